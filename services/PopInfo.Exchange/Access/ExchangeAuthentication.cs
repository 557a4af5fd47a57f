using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using PopInfo.Exchange.Departments;
using PopInfo.ServiceDefaults.Problems;
using PopInfo.ServiceDefaults.Security;

namespace PopInfo.Exchange.Access;

/// <summary>
/// Two ways in, both <c>Authorization: Bearer …</c>: an access token of the platform's issuer (the way forward —
/// <c>exchange.admin</c> for administrators, <c>exchange.status</c> for the desk, <c>exchange.department</c> for a
/// department's client <c>dept-{code}</c>), or, deprecated and kept until the bureaus have moved (docs/exchange.md),
/// the administrator's key or a department's API key (looked up by its SHA-256). Either way a suspended
/// department is refused. Failures answer 401/403 as problem details.
/// </summary>
public static class ExchangeAuthentication
{
    public const string Scheme = "popinfo-exchange-key";
    public const string AdminPolicy = "exchange-admin";
    public const string DepartmentPolicy = "exchange-department";
    public const string AdminOrDepartmentPolicy = "exchange-admin-or-department";
    public const string AdminOrStatusReaderPolicy = "exchange-admin-or-status-reader";
    public const string AdminOrMonitorPolicy = "exchange-admin-or-monitor";
    public const string MonitorRole = "monitor";
    public const string StatusReaderRole = "status-reader";
    public const string AdminRole = "exchange-admin";
    public const string DepartmentRole = "department";

    public static IHostApplicationBuilder AddExchangeAuthentication(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<AdminKey>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AdminKey>());
        builder.Services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, KeyHandler>(Scheme, null);
        builder.AddPlatformAuthentication(ExchangeModule.Name);
        builder.Services.AddSingleton<ActiveDepartments>();
        builder.Services.AddTransient<IClaimsTransformation, TokenRoles>();
        // The token scheme first: its 401/403 (token.required, token.valid, token.scope) is the answer callers should act on.
        string[] schemes = [PlatformAuthentication.Scheme, Scheme];
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(AdminPolicy, p => p.AddAuthenticationSchemes(schemes).RequireRole(AdminRole))
            .AddPolicy(DepartmentPolicy, p => p.AddAuthenticationSchemes(schemes).RequireRole(DepartmentRole))
            .AddPolicy(AdminOrDepartmentPolicy, p => p.AddAuthenticationSchemes(schemes).RequireRole(AdminRole, DepartmentRole))
            .AddPolicy(AdminOrStatusReaderPolicy, p => p.AddAuthenticationSchemes(schemes).RequireRole(AdminRole, StatusReaderRole))
            .AddPolicy(AdminOrMonitorPolicy, p => p.AddAuthenticationSchemes(schemes).RequireRole(AdminRole, MonitorRole));
        return builder;
    }

    private sealed class KeyHandler(
        IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
        AdminKey adminKey, IOptions<ExchangeOptions> exchange, DepartmentStore departments)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        private readonly string? statusKeyHash = exchange.Value.StatusKey is { Length: >= 20 } key ? Secrets.Hash(key) : null;

        protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            var header = Request.Headers.Authorization.ToString();
            if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            {
                return AuthenticateResult.NoResult();
            }

            var presented = header["Bearer ".Length..].Trim();
            if (presented.Count(c => c == '.') == 2)
            {
                // A JSON Web Token: the token scheme's to judge.
                return AuthenticateResult.NoResult();
            }

            var hash = Secrets.Hash(presented);
            if (adminKey.Matches(hash))
            {
                return Success(new Claim(ClaimTypes.Role, AdminRole), new Claim(ClaimTypes.Name, "admin"));
            }

            if (statusKeyHash is not null && Secrets.EqualHashes(statusKeyHash, hash))
            {
                return Success(new Claim(ClaimTypes.Role, StatusReaderRole), new Claim(ClaimTypes.Name, StatusReaderRole));
            }

            var code = await departments.ActiveCodeByKeyAsync(hash, Context.RequestAborted);
            return code is null
                ? AuthenticateResult.Fail("Unknown key.")
                : Success(new Claim(ClaimTypes.Role, DepartmentRole), new Claim(ClaimTypes.Name, code), new Claim(Caller.DepartmentClaim, code));
        }

        protected override Task HandleChallengeAsync(AuthenticationProperties properties) => Response.HasStarted ? Task.CompletedTask : WriteAsync(new ProblemDetails
        {
            Type = ProblemTypes.Unauthorized,
            Title = "A valid key is required.",
            Status = StatusCodes.Status401Unauthorized,
            Detail = "Send 'Authorization: Bearer <access token>' from the platform's identity provider (or, deprecated, your department's API key).",
            Extensions = { ["rule"] = "key.required" },
        });

        protected override Task HandleForbiddenAsync(AuthenticationProperties properties) => Response.HasStarted ? Task.CompletedTask : WriteAsync(new ProblemDetails
        {
            Type = ProblemTypes.Forbidden,
            Title = "Your key may not do this.",
            Status = StatusCodes.Status403Forbidden,
            Extensions = { ["rule"] = "key.allowed" },
        });

        private static AuthenticateResult Success(params Claim[] claims) =>
            AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, ExchangeAuthentication.Scheme)), ExchangeAuthentication.Scheme));

        private Task WriteAsync(ProblemDetails problem)
        {
            Response.StatusCode = problem.Status!.Value;
            return Response.WriteAsJsonAsync(problem, options: null, contentType: "application/problem+json");
        }
    }
}
