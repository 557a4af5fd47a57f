namespace PopInfo.ServiceDefaults.Security.PeopleSignIn;

/// <summary>
/// How an application signs people in at the identity provider, by authorization code with PKCE (e.g.
/// <c>PopInfo:Collection:SignIn</c>, <c>PopInfo:Analytics:SignIn</c>). The provider must know the application with its
/// redirect address (<see cref="PeopleSignInApplication.CallbackPath"/>) and its post-logout address
/// (<see cref="PeopleSignInApplication.SignedOutCallbackPath"/>).
/// </summary>
public sealed class PeopleSignInOptions
{
    /// <summary>The issuer people sign in at; by default the platform's (<c>PopInfo:Auth:Authority</c>, itself by default <c>http://127.0.0.1:5107/</c>).</summary>
    public Uri? Authority { get; set; }

    /// <summary>The application's client id at the provider; by default <see cref="PeopleSignInApplication.DefaultClientId"/>.</summary>
    public string? ClientId { get; set; }

    /// <summary>The application's client secret (a confidential client); none makes it a public client, PKCE alone.</summary>
    public string? ClientSecret { get; set; }
}
