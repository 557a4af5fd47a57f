using System.Text.Json;
using PopInfo.ServiceDefaults.Problems;
using PopInfo.ServiceDefaults.Outcomes;

namespace PopInfo.UnitTests.Outcomes;

/// <summary>
/// The one mapping from a refusal to problem details: each kind's status and type, and the members on the wire as the
/// APIs answered before the refusal existed (docs/api-errors.md), written out as JSON.
/// </summary>
public sealed class RefusalProblemsTests
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    private static string Json(Refusal refusal) => JsonSerializer.Serialize(refusal.ToProblem(), Web);

    [Theory]
    [InlineData(RefusalKind.Invalid, 400, ProblemTypes.Validation)]
    [InlineData(RefusalKind.Unreadable, 400, ProblemTypes.MalformedRequest)]
    [InlineData(RefusalKind.NotFound, 404, ProblemTypes.NotFound)]
    [InlineData(RefusalKind.Conflict, 409, ProblemTypes.Conflict)]
    [InlineData(RefusalKind.VersionConflict, 409, ProblemTypes.VersionConflict)]
    [InlineData(RefusalKind.PreconditionFailed, 412, ProblemTypes.VersionConflict)]
    [InlineData(RefusalKind.PreconditionRequired, 428, ProblemTypes.VersionConflict)]
    [InlineData(RefusalKind.CommandIdReused, 422, ProblemTypes.IdempotencyKeyReused)]
    [InlineData(RefusalKind.Forbidden, 403, ProblemTypes.Forbidden)]
    [InlineData(RefusalKind.Busy, 503, ProblemTypes.Busy)]
    [InlineData(RefusalKind.RateLimited, 429, ProblemTypes.RateLimited)]
    [InlineData(RefusalKind.SourceUnavailable, 502, ProblemTypes.SourceUnavailable)]
    public void Each_kind_has_its_status_and_problem_type(RefusalKind kind, int status, string type)
    {
        var problem = new Refusal(kind, "why").ToProblem();

        Assert.Equal((status, type), (problem.Status, problem.Type));
    }

    [Fact]
    public void Every_kind_is_mapped()
    {
        foreach (var kind in Enum.GetValues<RefusalKind>())
        {
            Assert.InRange(RefusalProblems.StatusOf(kind), 400, 599);
        }
    }

    [Fact]
    public void A_validation_lists_errors_by_field_and_violations_with_their_rules()
    {
        var refusal = Refusal.Invalid([new("limit", "range", "limit is 1 to 500."), new("limit", "other", "x."), new("after", "range", "after is 0 or more.")]);

        Assert.Equal(
            """{"type":"urn:popinfo:problem:validation","title":"The request breaks one or more rules.","status":400,"detail":"limit: limit is 1 to 500. [range] limit: x. [other] after: after is 0 or more. [range]","errors":{"limit":["limit is 1 to 500.","x."],"after":["after is 0 or more."]},"violations":[{"field":"limit","rule":"range","message":"limit is 1 to 500."},{"field":"limit","rule":"other","message":"x."},{"field":"after","rule":"range","message":"after is 0 or more."}]}""",
            Json(refusal));
    }

    [Fact]
    public void A_validation_keeps_a_detail_of_its_own()
    {
        var problem = Refusal.Invalid([new("file", "csv.header", "No header.")], "Nothing was taken.").ToProblem();

        Assert.Equal("Nothing was taken.", problem.Detail);
    }

    [Fact]
    public void A_version_conflict_names_the_field_the_rule_and_the_current_version()
    {
        Assert.Equal(
            """{"type":"urn:popinfo:problem:version-conflict","title":"The record has changed since you read it.","status":409,"detail":"expectedVersion was 2 but the current version is 3. Read the record again and resend.","field":"expectedVersion","rule":"version.current","currentVersion":3}""",
            Json(Refusal.VersionConflict(2, 3)));
    }

    [Fact]
    public void A_conflict_names_the_field_and_the_rule()
    {
        Assert.Equal(
            """{"type":"urn:popinfo:problem:conflict","title":"The request conflicts with the register.","status":409,"detail":"Taken.","field":"number","rule":"household.number-unique"}""",
            Json(Refusal.Conflict("number", "household.number-unique", "Taken.")));
    }

    [Fact]
    public void A_refusal_with_its_own_title_violations_facts_and_retry_after_writes_them_in_that_order()
    {
        var refusal = new Refusal(RefusalKind.Busy, "The register does not answer.")
        {
            Title = "The register does not answer.",
            Field = "child.idNumber",
            Rule = "registry.available",
            Violations = [new("child.idNumber", "registry.available", "The register does not answer.")],
            RetryAfterSeconds = 10,
        }.With("blocking", new[] { 1, 2 });

        Assert.Equal(
            """{"type":"urn:popinfo:problem:busy","title":"The register does not answer.","status":503,"detail":"The register does not answer.","field":"child.idNumber","rule":"registry.available","violations":[{"field":"child.idNumber","rule":"registry.available","message":"The register does not answer."}],"blocking":[1,2],"retryAfterSeconds":10}""",
            Json(refusal));
    }

    [Fact]
    public void Busy_rate_limited_and_a_reused_command_id_read_as_they_did()
    {
        Assert.Equal(
            [
                """{"type":"urn:popinfo:problem:busy","title":"The service is busy.","status":503,"detail":"Too many changes are waiting to be applied. Nothing was stored; send the same command again after 1 s.","rule":"service.busy","retryAfterSeconds":1}""",
                """{"type":"urn:popinfo:problem:rate-limited","title":"Too many requests.","status":429,"detail":"The limit sign-in.address is used up for now; try again after 30 s.","rule":"rate.limit","limit":"sign-in.address","retryAfterSeconds":30}""",
                """{"type":"urn:popinfo:problem:idempotency-key-reused","title":"This command id was already used for a different request.","status":422,"detail":"A commandId identifies one command: resend the same body, or use a new commandId.","field":"commandId","rule":"command-id.same-request"}""",
                """{"type":"urn:popinfo:problem:forbidden","title":"Not allowed.","status":403,"detail":"Not yours.","rule":"scope.community"}""",
                """{"type":"urn:popinfo:problem:source-unavailable","title":"A source of the answer did not give its facts.","status":502,"detail":"The collection service did not answer with its facts (clearing).","rule":"source.unavailable","source":"collection","kind":"clearing"}""",
            ],
            [Json(Refusal.Busy(1)), Json(Refusal.RateLimited("sign-in.address", 30)), Json(Refusal.CommandIdReused()), Json(Refusal.Forbidden("scope.community", "Not yours.")),
                Json(Refusal.SourceUnavailable("collection", "clearing"))]);
    }

    [Fact]
    public void An_unreadable_body_is_a_validation_of_the_malformed_request_type_naming_the_field_and_json_format()
    {
        var problem = UnreadableJson.RefusalOf(WrongType("""{"birthDate": 12}""")).ToProblem();

        Assert.Equal((ProblemTypes.MalformedRequest, "The request breaks one or more rules.", 400), (problem.Type, problem.Title, problem.Status));
        var violation = Assert.Single(Assert.IsType<IReadOnlyList<RuleViolation>>(problem.Extensions["violations"], exactMatch: false));
        Assert.Equal(("birthDate", "json.format"), (violation.Field, violation.Rule));
        Assert.Equal(["birthDate"], Assert.IsType<Dictionary<string, string[]>>(problem.Extensions["errors"]).Keys);
    }

    [Fact]
    public void The_reader_names_the_field_of_the_wrong_type_by_its_path()
    {
        var refusal = UnreadableJson.RefusalOf(WrongType("""{"migrant": {"expectedStayMonths": "long"}}"""));

        Assert.Equal((RefusalKind.Unreadable, "migrant.expectedStayMonths", UnreadableJson.Rule),
            (refusal.Kind, refusal.Violations.Single().Field, refusal.Violations.Single().Rule));
    }

    /// <summary>
    /// The refusals the registry keeps under a command id (the database's own: a value refused, 400; a constraint, 409), and
    /// refusals of every other shape: read back from their problem JSON, they write the same bytes again.
    /// </summary>
    public static TheoryData<string> KeptRefusals => [.. Kept.Keys];

    private static readonly Dictionary<string, Refusal> Kept = new()
    {
        ["database.refused-value"] = Refusal.Invalid("birthDate", "database.refused-value",
            "The database refused a value of the command (22008): nothing was stored, and the same command will be refused again."),
        ["database.constraint"] = Refusal.Conflict("persons_name_check", "database.constraint",
            "The command breaks a rule of the database (23514): nothing was stored, and the same command will be refused again."),
        ["validation with a detail"] = Refusal.Invalid([new("a", "r1", "m1."), new("a", "r2", "m2."), new("b", "r1", "m3.")], "Nothing was taken."),
        ["unreadable"] = Refusal.Unreadable("birthDate", "json.format", "The value of 'birthDate' is not a date written YYYY-MM-DD."),
        ["not found with field and rule"] = Refusal.NotFound("No person.") with { Field = "subjectIdNumber", Rule = "person.exists" },
        ["version conflict"] = Refusal.VersionConflict(2, 3),
        ["reused command id"] = Refusal.CommandIdReused(),
        ["busy with everything"] = new Refusal(RefusalKind.Busy, "Down.") { Title = "Own title.", Field = "f", Rule = "r", Violations = [new("f", "r", "m.")], RetryAfterSeconds = 10 }
            .With("blocking", new[] { 1, 2 }).With("source", "collection"),
        ["precondition required"] = new Refusal(RefusalKind.PreconditionRequired, "Say which."),
    };

    [Theory]
    [MemberData(nameof(KeptRefusals))]
    public void A_refusal_read_back_from_its_problem_json_writes_the_same_bytes(string name)
    {
        var kept = Kept[name].ToProblemJson().GetRawText();

        using var stored = JsonDocument.Parse(kept);
        var again = RefusalProblems.FromProblemJson(stored.RootElement);

        Assert.Equal(Kept[name].Kind, again.Kind);
        Assert.Equal(kept, again.ToProblemJson().GetRawText());
        Assert.Equal(kept, Json(again));
    }

    private static JsonException WrongType(string json) =>
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Shape>(json, Web));

    private sealed record Shape(DateOnly? BirthDate, Stay? Migrant);

    private sealed record Stay(int? ExpectedStayMonths);
}
