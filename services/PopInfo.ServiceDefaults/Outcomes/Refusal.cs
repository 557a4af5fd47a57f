using PopInfo.ServiceDefaults.Problems;

namespace PopInfo.ServiceDefaults.Outcomes;

/// <summary>
/// Why the application did not do what was asked: the kind, a sentence for people, and the field and rule a client can
/// act on (a validation names them in <see cref="Violations"/>). No HTTP status, no problem details: the endpoint layer
/// maps a refusal with <see cref="RefusalProblems"/>.
/// </summary>
public sealed record Refusal(RefusalKind Kind, string? Detail)
{
    /// <summary>The broken rules, each with its field: a validation's, or a refusal the page shows at its fields.</summary>
    public IReadOnlyList<RuleViolation> Violations { get; init; } = [];

    /// <summary>The field the refusal is about, when it is about one (e.g. <c>expectedVersion</c>).</summary>
    public string? Field { get; init; }

    /// <summary>The stable name of the rule that refused (e.g. <c>scope.community</c>).</summary>
    public string? Rule { get; init; }

    /// <summary>A title for people: the kind's usual one, unless one of its own is given (e.g. "Not your community.").</summary>
    public string Title
    {
        get => field ?? TitleOf(Kind);
        init;
    }

    /// <summary>When to try again, in seconds (busy, rate limited).</summary>
    public int? RetryAfterSeconds { get; init; }

    /// <summary>
    /// Answered in a validation's shape though its kind gives another status: the <c>errors</c> map and the violations
    /// first, and a detail made of them when none is given. A bureau's record of a kind its department may not push is
    /// refused so (403, named by its field like a broken rule), as its answers and stored refusals always were.
    /// </summary>
    public bool ShapedAsValidation { get; init; }

    /// <summary>Further named facts the caller can act on, in order (e.g. <c>currentVersion</c>, <c>blocking</c>).</summary>
    public IReadOnlyList<KeyValuePair<string, object?>> Facts { get; init; } = [];

    /// <summary>This refusal with one more named fact.</summary>
    public Refusal With(string name, object? value) => this with { Facts = [.. Facts, new(name, value)] };

    /// <summary>The request breaks these rules; <paramref name="detail"/> replaces the sentence made of them.</summary>
    public static Refusal Invalid(IReadOnlyList<RuleViolation> violations, string? detail = null) =>
        new(RefusalKind.Invalid, detail) { Violations = violations };

    /// <summary>The request breaks one rule.</summary>
    public static Refusal Invalid(string field, string rule, string message) => Invalid([new RuleViolation(field, rule, message)]);

    /// <summary>The body could not be read: <paramref name="field"/> holds a value of the wrong type (<paramref name="rule"/>, e.g. <c>json.format</c>).</summary>
    public static Refusal Unreadable(string field, string rule, string message) =>
        new(RefusalKind.Unreadable, null) { Violations = [new RuleViolation(field, rule, message)] };

    public static Refusal NotFound(string detail) => new(RefusalKind.NotFound, detail);

    public static Refusal Conflict(string field, string rule, string detail) => new(RefusalKind.Conflict, detail) { Field = field, Rule = rule };

    /// <summary>The caller sent <paramref name="expected"/> as the version; the record is at <paramref name="current"/>.</summary>
    public static Refusal VersionConflict(int expected, int current) =>
        new Refusal(RefusalKind.VersionConflict,
            $"expectedVersion was {expected} but the current version is {current}. Read the record again and resend.")
        { Field = "expectedVersion", Rule = "version.current" }.With("currentVersion", current);

    public static Refusal Forbidden(string rule, string detail) => new(RefusalKind.Forbidden, detail) { Rule = rule };

    /// <summary>A command id already used for a different request.</summary>
    public static Refusal CommandIdReused() =>
        new(RefusalKind.CommandIdReused, "A commandId identifies one command: resend the same body, or use a new commandId.")
        { Field = "commandId", Rule = "command-id.same-request" };

    /// <summary>The service has more work queued than it accepts: nothing was stored, try again after <paramref name="retryAfterSeconds"/>.</summary>
    public static Refusal Busy(int retryAfterSeconds) =>
        new(RefusalKind.Busy, $"Too many changes are waiting to be applied. Nothing was stored; send the same command again after {retryAfterSeconds} s.")
        { Rule = "service.busy", RetryAfterSeconds = retryAfterSeconds };

    /// <summary>Something the service needs does not answer now (<paramref name="rule"/> names what).</summary>
    public static Refusal Unavailable(string rule, string title, string? detail, int? retryAfterSeconds) =>
        new(RefusalKind.Busy, detail) { Rule = rule, Title = title, RetryAfterSeconds = retryAfterSeconds };

    /// <summary>The <paramref name="source"/> service did not answer with its facts (<paramref name="kind"/>).</summary>
    public static Refusal SourceUnavailable(string? source, string? kind) =>
        new Refusal(RefusalKind.SourceUnavailable, $"The {source} service did not answer with its facts ({kind}).") { Rule = "source.unavailable" }
            .With("source", source).With("kind", kind);

    /// <summary>The caller has used up the rate limit <paramref name="limit"/> (e.g. <c>sign-in.address</c>) for now.</summary>
    public static Refusal RateLimited(string limit, int retryAfterSeconds) =>
        new Refusal(RefusalKind.RateLimited, $"The limit {limit} is used up for now; try again after {retryAfterSeconds} s.")
        { Rule = "rate.limit", RetryAfterSeconds = retryAfterSeconds }.With("limit", limit);

    /// <summary>The usual title of a kind of refusal.</summary>
    public static string TitleOf(RefusalKind kind) => kind switch
    {
        RefusalKind.Invalid or RefusalKind.Unreadable => "The request breaks one or more rules.",
        RefusalKind.NotFound => "Not found.",
        RefusalKind.Conflict => "The request conflicts with the register.",
        RefusalKind.VersionConflict => "The record has changed since you read it.",
        RefusalKind.PreconditionFailed => "If-Match does not name the current version.",
        RefusalKind.PreconditionRequired => "Say which version you change.",
        RefusalKind.CommandIdReused => "This command id was already used for a different request.",
        RefusalKind.Forbidden => "Not allowed.",
        RefusalKind.Busy => "The service is busy.",
        RefusalKind.RateLimited => "Too many requests.",
        RefusalKind.SourceUnavailable => "A source of the answer did not give its facts.",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "A refusal kind with no title."),
    };
}
