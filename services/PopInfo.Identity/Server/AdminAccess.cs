using Microsoft.AspNetCore.Antiforgery;
using PopInfo.Domain.Access;
using PopInfo.ServiceDefaults.Problems;
using PopInfo.ServiceDefaults.Security;

namespace PopInfo.Identity.Server;

/// <summary>
/// Who may administer accounts and clients: a token with <c>identity.admin</c> (scripts, other tools), or an
/// administrator signed in at the provider's own page (the administrators' page). One scheme picks which by the
/// request (a bearer token, else the session cookie); writes by a session also need the page's anti-forgery token.
/// </summary>
public static class AdminAccess
{
    public const string Scheme = "popinfo-identity-admin";
    public const string AntiforgeryHeader = "X-CSRF-TOKEN";

    public static IHostApplicationBuilder AddAdminAccess(this IHostApplicationBuilder builder)
    {
        builder.Services.AddAuthentication().AddPolicyScheme(Scheme, "token or administrator's session", options =>
            options.ForwardDefaultSelector = http => http.Request.Headers.Authorization.Count > 0 ? PlatformAuthentication.Scheme : PeopleSession.Scheme);
        builder.Services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "popinfo.identity.antiforgery";
            o.HeaderName = AntiforgeryHeader;
        });
        return builder;
    }

    public static TBuilder RequireIdentityAdmin<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        builder.WithMetadata(new PlatformAuthentication.RequiredAccess("scope", PlatformScopes.IdentityAdmin))
            .RequireAuthorization(policy => policy.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser().RequireAssertion(context =>
                TokenCaller.HasScope(context.User, PlatformScopes.IdentityAdmin)
                || context.User.Identities.Any(i => i.AuthenticationType == PeopleSession.Scheme && i.HasClaim("role", PlatformRoles.Admin))));
        builder.Add(endpoint => endpoint.FilterFactories.Add((_, next) => async invocation =>
        {
            var http = invocation.HttpContext;
            if (http.Request.Headers.Authorization.Count == 0 && !HttpMethods.IsGet(http.Request.Method)
                && !await http.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(http))
            {
                return Problem.Validation(AntiforgeryHeader, "antiforgery.token", "Send the page's anti-forgery token with every change.").ToResult();
            }

            return await next(invocation);
        }));
        return builder;
    }
}
