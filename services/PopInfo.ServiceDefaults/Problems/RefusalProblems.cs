using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using PopInfo.Contracts;
using PopInfo.ServiceDefaults.Outcomes;

namespace PopInfo.ServiceDefaults.Problems;

/// <summary>
/// The one mapping from the application's <see cref="Refusal"/> to HTTP: the status and the RFC 9457 problem type of
/// each <see cref="RefusalKind"/> (docs/api-errors.md), the title, the detail, and the field, rule, violations, facts
/// and retry-after as extension members.
/// </summary>
public static class RefusalProblems
{
    /// <summary>The HTTP status a kind of refusal is answered with.</summary>
    public static int StatusOf(RefusalKind kind) => kind switch
    {
        RefusalKind.Invalid or RefusalKind.Unreadable => StatusCodes.Status400BadRequest,
        RefusalKind.NotFound => StatusCodes.Status404NotFound,
        RefusalKind.Conflict or RefusalKind.VersionConflict => StatusCodes.Status409Conflict,
        RefusalKind.PreconditionFailed => StatusCodes.Status412PreconditionFailed,
        RefusalKind.PreconditionRequired => StatusCodes.Status428PreconditionRequired,
        RefusalKind.CommandIdReused => StatusCodes.Status422UnprocessableEntity,
        RefusalKind.Forbidden => StatusCodes.Status403Forbidden,
        RefusalKind.Busy => StatusCodes.Status503ServiceUnavailable,
        RefusalKind.RateLimited => StatusCodes.Status429TooManyRequests,
        RefusalKind.SourceUnavailable => StatusCodes.Status502BadGateway,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "A refusal kind with no HTTP status."),
    };

    /// <summary>The refusal as problem details, in the one shape every PopInfo API answers with.</summary>
    public static ProblemDetails ToProblem(this Refusal refusal)
    {
        var problem = new ProblemDetails
        {
            Type = TypeOf(refusal.Kind),
            Title = refusal.Title,
            Status = StatusOf(refusal.Kind),
            Detail = refusal.Detail,
        };
        var asValidation = ListsViolations(refusal.Kind) || refusal.ShapedAsValidation;
        if (asValidation)
        {
            // Both the ASP.NET Core errors map (field → messages) and the violations (field, rule, message), so a client
            // can act on the rule name rather than parse a message.
            problem.Detail ??= string.Join(" ", refusal.Violations.Select(v => $"{v.Field}: {v.Message} [{v.Rule}]"));
            problem.Extensions["errors"] = refusal.Violations
                .GroupBy(v => v.Field)
                .ToDictionary(g => g.Key, g => g.Select(v => v.Message).ToArray());
            problem.Extensions["violations"] = refusal.Violations;
        }

        if (refusal.Field is not null)
        {
            problem.Extensions["field"] = refusal.Field;
        }

        if (refusal.Rule is not null)
        {
            problem.Extensions["rule"] = refusal.Rule;
        }

        if (!asValidation && refusal.Violations.Count > 0)
        {
            problem.Extensions["violations"] = refusal.Violations;
        }

        foreach (var (name, value) in refusal.Facts)
        {
            problem.Extensions[name] = value;
        }

        if (refusal.RetryAfterSeconds is { } seconds)
        {
            problem.Extensions["retryAfterSeconds"] = seconds;
        }

        return problem;
    }

    /// <summary>
    /// The refusal's problem as JSON text in the platform's JSON settings (<see cref="Json.Options"/>), where the exchange
    /// keeps it outside an HTTP answer: an inbound record refused over AMQP stores it, in the same shape its HTTP answer
    /// has, and in the bytes the inbound path stored before the one result type (InboundRefusalShapeTests).
    /// </summary>
    public static string ToStoredProblemText(this Refusal refusal) => JsonSerializer.Serialize(refusal.ToProblem(), Json.Options);

    /// <summary>The refusal as an endpoint result: problem+json, and <c>Retry-After</c> when it says when to try again.</summary>
    public static IResult ToResult(this Refusal refusal) => refusal.ToProblem().ToResult();

    /// <summary>
    /// The refusal as a typed endpoint result (<c>Results&lt;Ok&lt;T&gt;, ProblemHttpResult&gt;</c>); the platform's problem
    /// details writer adds <c>Retry-After</c> when the refusal says when to try again (ProblemDetailsSetup).
    /// </summary>
    public static ProblemHttpResult ToTypedResult(this Refusal refusal) => TypedResults.Problem(refusal.ToProblem());

    /// <summary>The result as an endpoint's typed answer: 200 with the value, or the refusal's problem.</summary>
    public static Results<Ok<T>, ProblemHttpResult> ToOkOrProblem<T>(this Result<T> result) =>
        result.Refusal is { } refusal ? refusal.ToTypedResult() : TypedResults.Ok(result.Value!);

    /// <summary>
    /// The refusal's problem details as JSON, as ASP.NET Core writes them (camelCase, extension members at the top level):
    /// what a bus answer carries (<c>RegistryCommandAnswered.Problem</c>) and what the registry keeps for a command id, so
    /// the same refusal is the same problem over HTTP and over the bus.
    /// </summary>
    public static JsonElement ToProblemJson(this Refusal refusal) => JsonSerializer.SerializeToElement(refusal.ToProblem(), ProblemJson);

    /// <summary>
    /// The refusal whose problem JSON <paramref name="problem"/> is (<see cref="ToProblemJson"/>): the kind from the type and
    /// the status, the title when it is not the kind's own, the detail, the field, rule and violations, and every other
    /// extension member as a fact, in order. Mapped again it writes the same JSON (RefusalProblemsTests), so a refusal kept
    /// as JSON (the registry's commands table) is answered with the same bytes on every repeat.
    /// </summary>
    public static Refusal FromProblemJson(JsonElement problem)
    {
        var type = problem.GetProperty("type").GetString();
        var status = problem.GetProperty("status").GetInt32();
        var kind = Enum.GetValues<RefusalKind>().First(k => TypeOf(k) == type && StatusOf(k) == status);
        var title = problem.TryGetProperty("title", out var t) ? t.GetString() : null;
        var refusal = new Refusal(kind, problem.TryGetProperty("detail", out var d) ? d.GetString() : null);
        if (title is not null && title != Refusal.TitleOf(kind))
        {
            refusal = refusal with { Title = title };
        }

        foreach (var member in problem.EnumerateObject())
        {
            refusal = member.Name switch
            {
                "type" or "title" or "status" or "detail" or "errors" => refusal,
                "violations" => refusal with { Violations = member.Value.Deserialize<List<RuleViolation>>(ProblemJson)! },
                "field" => refusal with { Field = member.Value.GetString() },
                "rule" => refusal with { Rule = member.Value.GetString() },
                "retryAfterSeconds" => refusal with { RetryAfterSeconds = member.Value.GetInt32() },
                _ => refusal.With(member.Name, member.Value.Clone()),
            };
        }

        return refusal;
    }

    // A validation's violations are the errors map and the violations list; other kinds list theirs as they are.
    private static bool ListsViolations(RefusalKind kind) => kind is RefusalKind.Invalid or RefusalKind.Unreadable;

    // Problem details as ASP.NET Core writes them (camelCase, extensions at the top level).
    private static readonly JsonSerializerOptions ProblemJson = new(JsonSerializerDefaults.Web);

    private static string TypeOf(RefusalKind kind) => kind switch
    {
        RefusalKind.Invalid => ProblemTypes.Validation,
        RefusalKind.Unreadable => ProblemTypes.MalformedRequest,
        RefusalKind.NotFound => ProblemTypes.NotFound,
        RefusalKind.Conflict => ProblemTypes.Conflict,
        RefusalKind.VersionConflict or RefusalKind.PreconditionFailed or RefusalKind.PreconditionRequired => ProblemTypes.VersionConflict,
        RefusalKind.CommandIdReused => ProblemTypes.IdempotencyKeyReused,
        RefusalKind.Forbidden => ProblemTypes.Forbidden,
        RefusalKind.Busy => ProblemTypes.Busy,
        RefusalKind.RateLimited => ProblemTypes.RateLimited,
        RefusalKind.SourceUnavailable => ProblemTypes.SourceUnavailable,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "A refusal kind with no problem type."),
    };
}
