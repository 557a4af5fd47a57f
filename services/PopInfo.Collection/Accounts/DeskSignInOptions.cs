namespace PopInfo.Collection.Accounts;

/// <summary>
/// How the desk signs people in: at the identity provider, by authorization code with PKCE
/// (<c>PopInfo:Collection:SignIn</c>). The provider must know the desk as an application with the redirect
/// address <c>{desk}/signin-oidc</c> and the post-logout address <c>{desk}/signout-callback-oidc</c>.
/// </summary>
public sealed class DeskSignInOptions
{
    public const string Section = "PopInfo:Collection:SignIn";

    /// <summary>The issuer people sign in at; by default the platform's (<c>PopInfo:Auth:Authority</c>).</summary>
    public Uri? Authority { get; set; }

    /// <summary>The desk's client id at the provider.</summary>
    public string ClientId { get; set; } = "popinfo-desk";

    /// <summary>The desk's client secret (a confidential client); none makes it a public client, PKCE alone.</summary>
    public string? ClientSecret { get; set; }
}
