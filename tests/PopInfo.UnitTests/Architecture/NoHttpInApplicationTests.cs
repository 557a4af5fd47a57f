namespace PopInfo.UnitTests.Architecture;

/// <summary>
/// Application code answers with <c>Result&lt;T&gt;</c> (a value or a <c>Refusal</c>): no HTTP status, no problem details,
/// no endpoint result (docs/architecture.md, the house conventions). Only the endpoint layer turns a refusal into HTTP:
/// endpoint types (a name ending in Api, Endpoint(s) or Page(s), or a type in an Apis namespace) and the one mapping in
/// PopInfo.ServiceDefaults.Problems.
/// <para>
/// It is not so everywhere yet: <see cref="KnownExceptions"/> names every other type that still depends on them, with
/// why. The test fails on a new one, and on a listed one that no longer does (take it off the list: the list only shrinks).
/// </para>
/// </summary>
public sealed class NoHttpInApplicationTests
{
    private static readonly string[] HttpTypes =
    [
        "Microsoft.AspNetCore.Http.IResult", "Microsoft.AspNetCore.Mvc.ProblemDetails", "Microsoft.AspNetCore.Http.StatusCodes",
    ];

    private static readonly string[] EndpointSuffixes = ["Api", "Endpoint", "Endpoints", "Page", "Pages"];

    private const string ProblemMapping = "PopInfo.ServiceDefaults.Problems.";

    /// <summary>
    /// Types outside the endpoint layer that depend on HTTP results, statuses or problem details (at the commit of issue 14's
    /// result type, on fdc00fc's line), and why. HTTP plumbing (authentication handlers, middleware) stays; the rest moves.
    /// </summary>
    private static readonly Dictionary<string, string> KnownExceptions = new(StringComparer.Ordinal)
    {
        // HTTP plumbing that writes answers itself, outside any endpoint
        ["PopInfo.Exchange.Access.ExchangeAuthentication"] = "an authentication handler: writes its 401 and 403 problems itself",
        ["PopInfo.Identity.Server.PeopleSession"] = "an authorization result handler: writes the session's 401 and 403 problems itself",
        ["PopInfo.ServiceDefaults.Security.PeopleSignIn.PeopleSignInRegistration"] = "the sign-in cookie's events write 401 and 403 problems",
        ["PopInfo.ServiceDefaults.Security.RateLimits.RateLimitDecision"] = "a refused rate limit as problem details (429)",
        ["PopInfo.ServiceDefaults.Security.RateLimits.RateLimitRegistration"] = "the rate limiter's 429 answer and its OpenAPI metadata",
    };

    private static bool IsEndpointLayer(string type)
    {
        var name = type[(type.LastIndexOf('.') + 1)..];
        return type.StartsWith(ProblemMapping, StringComparison.Ordinal)
            || type.Contains(".Apis.", StringComparison.Ordinal)
            || EndpointSuffixes.Any(suffix => name.EndsWith(suffix, StringComparison.Ordinal));
    }

    private static IReadOnlyList<string> TypesUsingHttp() =>
        [.. PopInfoAssemblies.All.SelectMany(assembly => PopInfoAssemblies.TypesDependingOn(assembly, HttpTypes))];

    [Fact]
    public void Application_code_answers_without_http_but_for_the_known_exceptions()
    {
        var outside = TypesUsingHttp().Where(type => !IsEndpointLayer(type)).ToHashSet(StringComparer.Ordinal);
        var newOnes = outside.Where(type => !KnownExceptions.ContainsKey(type)).Order(StringComparer.Ordinal).ToList();
        var noLongerUsingHttp = KnownExceptions.Keys.Where(type => !outside.Contains(type)).Order(StringComparer.Ordinal).ToList();

        Assert.True(newOnes.Count == 0 && noLongerUsingHttp.Count == 0,
            $"""
            Application code answers Result<T> (PopInfo.ServiceDefaults.Outcomes); {string.Join(", ", HttpTypes)} belong to the endpoint layer.
            New types outside it that use them (return a Refusal; map it in the endpoint): {List(newOnes)}
            Known exceptions that no longer use them (take them off KnownExceptions): {List(noLongerUsingHttp)}
            The known exceptions ({KnownExceptions.Count}):{string.Concat(KnownExceptions.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{Environment.NewLine}  {e.Key}: {e.Value}"))}
            """);
    }

    /// <summary>The control of the rule above: it does see HTTP where HTTP is, in the endpoints and the one mapping.</summary>
    [Fact]
    public void The_rule_sees_the_http_of_the_endpoints_and_the_mapping()
    {
        var usingHttp = TypesUsingHttp();

        Assert.Contains("PopInfo.ServiceDefaults.Problems.RefusalProblems", usingHttp);
        Assert.Contains("PopInfo.Exchange.Apis.InboundResult", usingHttp);
        Assert.Contains("PopInfo.Exchange.Delivery.FeedPage", usingHttp);
    }

    private static string List(List<string> types) => types.Count == 0 ? "none" : string.Join(", ", types);
}
