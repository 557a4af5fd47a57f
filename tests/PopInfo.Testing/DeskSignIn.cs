namespace PopInfo.Testing;

/// <summary>
/// Signs a person in at a desk the way a browser does, against the <see cref="TestIssuer"/>: the desk sends the
/// browser to the issuer's authorization endpoint, the issuer sends it back with a code (for the person named in
/// <c>login_hint</c>, where a real provider shows its sign-in page), and the desk redeems the code and sets its cookie.
/// </summary>
public static class DeskSignIn
{
    /// <param name="desk">A client of the desk that keeps cookies and does not follow redirects.</param>
    /// <param name="hint">The person's key at the issuer (<see cref="TestIssuerPeople.Add"/>).</param>
    public static async Task<HttpClient> SignInAsync(HttpClient desk, string hint)
    {
        await SignInCookiesAsync(desk, hint);
        return desk;
    }

    /// <summary>
    /// As <see cref="SignInAsync"/>; returns the cookies the desk set when the browser came back. Any application people
    /// sign in to the same way (the planners' dashboard) signs in here too: its client and its <paramref name="signInPath"/>.
    /// </summary>
    public static async Task<IReadOnlyList<string>> SignInCookiesAsync(HttpClient desk, string hint, string signInPath = "/account/sign-in")
    {
        using var start = await desk.GetAsync(signInPath + "?loginHint=" + Uri.EscapeDataString(hint));
        var authorize = Redirected(start, "the desk's sign-in");
        using var issuer = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var code = await issuer.GetAsync(authorize);
        var callback = Redirected(code, "the issuer's authorization endpoint");
        using var back = await desk.GetAsync(callback.PathAndQuery);
        var landed = Redirected(back, "the desk's callback");
        if (landed.OriginalString.Contains("signIn=", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"The desk refused the sign-in: {landed}");
        }

        return back.Headers.TryGetValues("Set-Cookie", out var cookies) ? [.. cookies] : [];
    }

    private static Uri Redirected(HttpResponseMessage response, string step) =>
        response.StatusCode == System.Net.HttpStatusCode.Redirect && response.Headers.Location is { } location
            ? location
            : throw new InvalidOperationException($"Signing in at the desk: {step} answered {(int)response.StatusCode} {response.Content.ReadAsStringAsync().GetAwaiter().GetResult()}");
}
