using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using PopInfo.ServiceDefaults.Security;

namespace PopInfo.Testing;

/// <summary>A person of the test issuer: who signs in, in which role and region.</summary>
public sealed record TestPerson(string UserName, string DisplayName, string Role, string? Region);

/// <summary>
/// People at the <see cref="TestIssuer"/>: an authorization endpoint that, instead of a sign-in page, takes the person
/// the test names in <c>login_hint</c> (a key handed out by <see cref="Add"/>, so that tests running at once never
/// share a person), authorization codes with PKCE, ID tokens, refresh tokens that stop when the person is disabled,
/// and end-session. What a standards-following provider does for the desk — no more.
/// </summary>
public sealed class TestIssuerPeople(TestIssuer issuer)
{
    private readonly ConcurrentDictionary<string, TestPerson> byHint = new();
    private readonly ConcurrentDictionary<string, bool> disabled = new();
    private readonly ConcurrentDictionary<string, Code> codes = new();
    private readonly ConcurrentDictionary<string, string> refreshTokens = new();
    private int next;

    private sealed record Code(string Hint, string ClientId, string RedirectUri, string? Nonce, string Challenge);

    /// <summary>Makes a person known; returns the key to name them by in <c>login_hint</c>.</summary>
    public string Add(TestPerson person)
    {
        var hint = $"person{Interlocked.Increment(ref next)}";
        byHint[hint] = person;
        return hint;
    }

    /// <summary>From now on the person's refresh tokens are refused (as a disabled account's are).</summary>
    public void Disable(string hint) => disabled[hint] = true;

    internal void Map(WebApplication web)
    {
        web.MapGet("/authorize", (HttpRequest request) =>
        {
            var q = request.Query;
            if (q["response_type"] != "code" || q["code_challenge_method"] != "S256" || string.IsNullOrEmpty(q["code_challenge"])
                || (string?)q["login_hint"] is not { } hint || !byHint.ContainsKey(hint) || disabled.ContainsKey(hint))
            {
                return Results.BadRequest(new { error = "invalid_request" });
            }

            var code = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
            codes[code] = new Code(hint, q["client_id"]!, q["redirect_uri"]!, q["nonce"], q["code_challenge"]!);
            var separator = ((string)q["redirect_uri"]!).Contains('?', StringComparison.Ordinal) ? '&' : '?';
            return Results.Redirect($"{q["redirect_uri"]}{separator}code={code}&state={Uri.EscapeDataString(q["state"].ToString())}&iss={Uri.EscapeDataString(issuer.Authority)}");
        });
        web.MapGet("/endsession", (HttpRequest request) =>
            request.Query["post_logout_redirect_uri"] is { Count: 1 } back
                ? Results.Redirect($"{back}?state={Uri.EscapeDataString(request.Query["state"].ToString())}")
                : Results.Ok());
    }

    /// <summary>The token endpoint's answer to an authorization code or a refresh token (the client is already checked).</summary>
    internal IResult Token(IFormCollection form, string clientId)
    {
        string hint;
        string? nonce = null;
        if (form["grant_type"] == "authorization_code")
        {
            if ((string?)form["code"] is not { } value || !codes.TryRemove(value, out var code) || code.ClientId != clientId
                || code.RedirectUri != form["redirect_uri"] || Challenge(form["code_verifier"].ToString()) != code.Challenge)
            {
                return Results.Json(new { error = "invalid_grant" }, statusCode: 400);
            }

            (hint, nonce) = (code.Hint, code.Nonce);
        }
        else if (form["grant_type"] == "refresh_token")
        {
            if ((string?)form["refresh_token"] is not { } token || !refreshTokens.TryGetValue(token, out var held))
            {
                return Results.Json(new { error = "invalid_grant" }, statusCode: 400);
            }

            hint = held;
        }
        else
        {
            return Results.Json(new { error = "unsupported_grant_type" }, statusCode: 400);
        }

        if (disabled.ContainsKey(hint))
        {
            return Results.Json(new { error = "invalid_grant", error_description = "The account is disabled." }, statusCode: 400);
        }

        var person = byHint[hint];
        var refresh = "rt-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        refreshTokens[refresh] = hint;
        return Results.Json(new
        {
            id_token = IdToken(person, clientId, nonce),
            access_token = issuer.Token(["openid"], clientId, person.UserName, person.Role, person.Region, TimeSpan.FromMinutes(5), audiences: [clientId]),
            refresh_token = refresh,
            token_type = "Bearer",
            expires_in = 300,
        });
    }

    private string IdToken(TestPerson person, string clientId, string? nonce)
    {
        var claims = new Dictionary<string, object>
        {
            [PlatformClaims.Subject] = person.UserName,
            [PlatformClaims.Name] = person.DisplayName,
            [PlatformClaims.Role] = person.Role,
            ["aud"] = clientId,
        };
        if (person.Region is not null)
        {
            claims[PlatformClaims.Region] = person.Region;
        }

        if (nonce is not null)
        {
            claims["nonce"] = nonce;
        }

        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer.Authority,
            Claims = claims,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddMinutes(5),
            SigningCredentials = issuer.SigningCredentials,
        });
    }

    private static string Challenge(string verifier) =>
        Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
}
