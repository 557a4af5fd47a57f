using System.Text.Json;
using PopInfo.Domain.Identity;
using PopInfo.Domain.Regions;
using PopInfo.Exchange.Departments;
using PopInfo.Exchange.Inbound;
using PopInfo.ServiceDefaults.Outcomes;
using PopInfo.ServiceDefaults.Problems;

namespace PopInfo.UnitTests.Exchange;

public class InboundRecordReaderTests
{
    private static readonly InboundRecordReader Reader = new(RegionCatalogue.Wuxi, TimeProvider.System);
    private static readonly string Community = RegionCatalogue.Wuxi.Communities[0].Code;
    private static readonly DateOnly Born = new(1950, 3, 7);
    private static readonly string Male = IdentityNumber.Create("320205", Born, 31);

    private static ReadOutcome Read(string json, IReadOnlyCollection<string>? allowed = null, string path = "records[3]") =>
        Reader.Read(JsonDocument.Parse(json).RootElement, path, allowed ?? InboundKinds.All.ToArray());

    // Read from the refusal's problem, as the department gets it.
    private static List<(string Field, string Rule)> Violations(Refusal? refusal)
    {
        Assert.NotNull(refusal);
        return ((IReadOnlyCollection<RuleViolation>)refusal.ToProblem().Extensions["violations"]!).Select(v => (v.Field, v.Rule)).ToList();
    }

    [Fact]
    public void A_death_named_by_identity_number_is_read_with_the_number_normalised()
    {
        var lower = Male[..17] + Male[17..].ToLowerInvariant();
        var outcome = Read($$"""{"recordId": "HB-2026-0001", "kind": "death", "person": {"idNumber": "{{lower}}"}, "deathDate": "2026-01-02"}""");

        Assert.Null(outcome.Refusal);
        var record = outcome.Record!;
        Assert.Equal("HB-2026-0001", record.RecordId);
        Assert.Same(InboundKindCatalogue.Death, record.Kind);
        Assert.Equal(Male.ToUpperInvariant(), record.IdNumber);
        Assert.Equal("2026-01-02", (string?)record.Fields["deathDate"]);
        Assert.Equal("records[3].person.idNumber", record.FieldPath("person.idNumber"));
    }

    [Fact]
    public void Without_an_identity_number_name_sex_birth_date_and_region_are_all_required()
    {
        var outcome = Read("""{"recordId": "r1", "kind": "death", "person": {"name": "王芳"}, "deathDate": "2026-01-02"}""");

        Assert.Null(outcome.Record);
        Assert.Equal(400, outcome.Refusal!.ToProblem().Status);
        Assert.Equal(
            [("records[3].person.sex", "required"), ("records[3].person.birthDate", "required"), ("records[3].person.regionCode", "required")],
            Violations(outcome.Refusal));
    }

    [Fact]
    public void A_person_described_without_identity_number_is_read()
    {
        var outcome = Read($$"""{"recordId": "r1", "kind": "death", "person": {"name": " 王芳 ", "sex": "2", "birthDate": "1950-03-07", "regionCode": "{{Community[..9]}}"}, "deathDate": "2026-01-02"}""");

        Assert.Null(outcome.Refusal);
        Assert.Equal("王芳", outcome.Record!.Name);
        Assert.Equal(Born, outcome.Record.BirthDate);
        Assert.Equal(Community[..9], outcome.Record.RegionCode);
    }

    [Fact]
    public void A_kind_outside_the_departments_rights_is_refused_with_403_before_any_field_is_checked()
    {
        var outcome = Read("""{"recordId": "r1", "kind": "death", "person": {"idNumber": "nonsense"} }""", allowed: ["birth"]);

        Assert.Null(outcome.Record);
        var problem = outcome.Refusal!.ToProblem();
        Assert.Equal(403, problem.Status);
        Assert.Equal(ProblemTypes.Forbidden, problem.Type);
        Assert.Equal([("records[3].kind", InboundRecordReader.KindNotAllowedRule)], Violations(outcome.Refusal));
        Assert.Equal("r1", outcome.RecordId);
    }

    [Theory]
    [InlineData("""{"kind": "death"}""", "records[3].recordId", "required")]
    [InlineData("""{"recordId": "has space", "kind": "death"}""", "records[3].recordId", "record-id.format")]
    [InlineData("""{"recordId": "reviews", "kind": "death"}""", "records[3].recordId", "record-id.format")]
    [InlineData("""{"recordId": 12, "kind": "death"}""", "records[3].recordId", "json.format")]
    [InlineData("""{"recordId": "r1", "kind": "marriage"}""", "records[3].kind", "inbound.kind")]
    [InlineData("""{"recordId": "r1"}""", "records[3].kind", "required")]
    public void The_record_id_and_kind_are_checked_first(string json, string field, string rule)
    {
        var outcome = Read(json);

        Assert.Contains((field, rule), Violations(outcome.Refusal));
    }

    [Fact]
    public void A_record_id_of_more_than_100_characters_is_refused()
    {
        var outcome = Read($$"""{"recordId": "{{new string('a', 101)}}", "kind": "death", "person": {"idNumber": "{{Male}}"}, "deathDate": "2026-01-02"}""");

        Assert.Equal([("records[3].recordId", "record-id.format")], Violations(outcome.Refusal));
    }

    [Fact]
    public void Fields_a_kind_does_not_take_are_named()
    {
        var outcome = Read($$"""{"recordId": "r1", "kind": "death", "person": {"idNumber": "{{Male}}", "phone": "13912345678"}, "deathDate": "2026-01-02", "deathPlace": "hospital"}""");

        Assert.Equal([("records[3].person.phone", "field.allowed"), ("records[3].deathPlace", "field.allowed")], Violations(outcome.Refusal));
    }

    [Fact]
    public void A_bad_identity_number_names_its_rule_and_field()
    {
        var bad = Male[..17] + (Male[17] == '0' ? '1' : '0');
        var outcome = Read($$"""{"recordId": "r1", "kind": "death", "person": {"idNumber": "{{bad}}"}, "deathDate": "2026-01-02"}""");

        Assert.Equal([("records[3].person.idNumber", "id-number.check-character")], Violations(outcome.Refusal));
    }

    [Fact]
    public void Event_dates_are_not_in_the_future_nor_before_the_birth()
    {
        var future = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(3)).ToString("yyyy-MM-dd");
        var before = Read($$"""{"recordId": "r1", "kind": "death", "person": {"idNumber": "{{Male}}"}, "deathDate": "1949-12-31"}""");
        var ahead = Read($$"""{"recordId": "r1", "kind": "death", "person": {"idNumber": "{{Male}}"}, "deathDate": "{{future}}"}""");
        var malformed = Read($$"""{"recordId": "r1", "kind": "death", "person": {"idNumber": "{{Male}}"}, "deathDate": "2026-02-30"}""");

        Assert.Equal([("records[3].deathDate", "date.not-before-birth")], Violations(before.Refusal));
        Assert.Equal([("records[3].deathDate", "date.not-in-future")], Violations(ahead.Refusal));
        Assert.Equal([("records[3].deathDate", "date.format")], Violations(malformed.Refusal));
    }

    [Fact]
    public void A_missing_kind_field_is_required()
    {
        var outcome = Read($$"""{"recordId": "r1", "kind": "move-out", "person": {"idNumber": "{{Male}}"}, "moveDate": "2026-01-02"}""");

        Assert.Equal([("records[3].destination", "required")], Violations(outcome.Refusal));
    }

    [Fact]
    public void Stated_sex_and_birth_date_must_agree_with_the_identity_number()
    {
        var outcome = Read($$"""{"recordId": "r1", "kind": "death", "person": {"idNumber": "{{Male}}", "sex": "2", "birthDate": "1950-03-08"}, "deathDate": "2026-01-02"}""");

        Assert.Equal(
            [("records[3].person.birthDate", "birth-date.matches-id-number"), ("records[3].person.sex", "sex.matches-id-number")],
            Violations(outcome.Refusal));
    }

    [Fact]
    public void A_birth_needs_the_childs_details_and_takes_the_mothers_number()
    {
        var missing = Read("""{"recordId": "b1", "kind": "birth", "person": {"name": "王小雨"} }""");
        Assert.Equal(
            [("records[3].person.idNumber", "required"), ("records[3].person.sex", "required"), ("records[3].person.birthDate", "required"), ("records[3].person.ethnicity", "required")],
            Violations(missing.Refusal));

        var born = new DateOnly(2025, 5, 12);
        var child = IdentityNumber.Create("320213", born, 22);
        var ok = Read($$"""
            {"recordId": "b1", "kind": "birth", "motherIdNumber": "{{Male}}",
             "person": {"idNumber": "{{child}}", "name": "王小雨", "sex": "2", "birthDate": "2025-05-12", "ethnicity": "01", "residenceRegionCode": "{{Community}}"} }
            """);
        Assert.Null(ok.Refusal);
        Assert.Equal(child, ok.Record!.IdNumber);
    }

    [Fact]
    public void A_migrant_arrival_takes_a_home_county_as_registration_and_checks_its_codes()
    {
        var arrival = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(-10)).ToString("yyyy-MM-dd");
        var id = IdentityNumber.Create("410105", new DateOnly(1990, 1, 1), 41);
        var ok = Read($$"""
            {"recordId": "m1", "kind": "migrant-arrival", "originRegionCode": "410105", "arrivalDate": "{{arrival}}", "reason": "work", "expectedStayMonths": 12,
             "person": {"idNumber": "{{id}}", "name": "李强", "sex": "1", "birthDate": "1990-01-01", "ethnicity": "01", "registeredRegionCode": "410105", "residenceRegionCode": "{{Community}}"} }
            """);
        Assert.Null(ok.Refusal);

        var bad = Read($$"""
            {"recordId": "m1", "kind": "migrant-arrival", "originRegionCode": "99", "arrivalDate": "{{arrival}}", "reason": "holiday", "expectedStayMonths": "12",
             "person": {"idNumber": "{{id}}", "name": "李强", "sex": "1", "birthDate": "1990-01-01", "ethnicity": "77", "residenceRegionCode": "320205"} }
            """);
        Assert.Equal(
            [("records[3].expectedStayMonths", "json.format"), ("records[3].person.ethnicity", "ethnicity.code"), ("records[3].person.residenceRegionCode", "region.exists"),
             ("records[3].originRegionCode", "region.county-code"), ("records[3].reason", "migrant.reason")],
            Violations(bad.Refusal));
    }

    [Fact]
    public void A_correction_needs_something_to_correct()
    {
        var empty = Read($$"""{"recordId": "c1", "kind": "correction", "person": {"idNumber": "{{Male}}"}, "reason": "typo", "changes": {} }""");
        var unknown = Read($$"""{"recordId": "c1", "kind": "correction", "person": {"idNumber": "{{Male}}"}, "reason": "typo", "changes": {"status": "living"} }""");
        var ok = Read($$"""{"recordId": "c1", "kind": "correction", "person": {"idNumber": "{{Male}}"}, "reason": "typo", "changes": {"name": "张伟"} }""");

        Assert.Equal([("records[3].changes", "correction.nothing-to-correct")], Violations(empty.Refusal));
        Assert.Contains(("records[3].changes.status", "field.allowed"), Violations(unknown.Refusal));
        Assert.Null(ok.Refusal);
    }

    [Fact]
    public void A_region_unknown_to_the_city_is_refused()
    {
        var outcome = Read("""{"recordId": "r1", "kind": "death", "person": {"name": "王芳", "sex": "2", "birthDate": "1950-03-07", "regionCode": "110101"}, "deathDate": "2026-01-02"}""");

        Assert.Equal([("records[3].person.regionCode", "region.exists")], Violations(outcome.Refusal));
    }

    [Fact]
    public void A_record_that_is_not_an_object_is_refused_and_a_single_message_record_has_no_prefix()
    {
        Assert.Equal([("records[3]", "json.format")], Violations(Read("[1, 2]").Refusal));
        Assert.Equal([("person", "required"), ("deathDate", "required")], Violations(Read("""{"recordId": "r1", "kind": "death"}""", path: "").Refusal));
    }

    [Fact]
    public void The_payload_holds_what_was_sent_normalised()
    {
        var outcome = Read($$"""{"recordId": "r1", "kind": "move-within-city", "person": {"idNumber": "{{Male}}"}, "moveDate": "2026-01-02", "residenceAddress": " 春华路2号 ", "residenceRegionCode": "{{Community}}", "moveRegistration": true}""");

        var payload = outcome.Record!.ToPayload();
        Assert.Equal("move-within-city", (string?)payload["kind"]);
        Assert.Equal("春华路2号", (string?)payload["residenceAddress"]);
        Assert.True((bool)payload["moveRegistration"]!);
        Assert.Equal(Male, (string?)payload["person"]!["idNumber"]);
    }

    [Theory]
    [InlineData("\\u0000", "text.control-character")]
    [InlineData("\\u0009", "text.control-character")]
    [InlineData("\\u009B", "text.control-character")]
    [InlineData("\\u2066", "text.bidi-override")]
    [InlineData("\\uD800", "text.lone-surrogate")]
    [InlineData("\\uFFFE", "text.noncharacter")]
    public void A_poisoned_value_is_refused_naming_its_field_path_and_rule(string escape, string rule)
    {
        var outcome = Read($$"""{"recordId": "r1", "kind": "move-within-city", "person": {"idNumber": "{{Male}}", "name": "王{{escape}}芳"}, "moveDate": "2026-01-02", "residenceAddress": "青石路{{escape}}66号", "residenceRegionCode": "{{Community}}"}""");

        Assert.Null(outcome.Record);
        Assert.Equal([("records[3].person.name", rule), ("records[3].residenceAddress", rule)], Violations(outcome.Refusal).Where(v => v.Rule.StartsWith("text.", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_poisoned_property_name_is_refused_on_its_object_without_repeating_it()
    {
        var outcome = Read($$"""{"recordId": "r1", "kind": "death", "person": {"idNumber": "{{Male}}", "na\u0000me": "x"}, "dea\u202Eth": "y", "deathDate": "2026-01-02"}""");

        Assert.Equal([("records[3].person", "text.control-character"), ("records[3]", "text.bidi-override")], Violations(outcome.Refusal));
        var messages = ((IReadOnlyCollection<RuleViolation>)outcome.Refusal!.ToProblem().Extensions["violations"]!).Select(v => v.Message);
        Assert.All(messages, m => Assert.DoesNotContain('\0', m));
    }
}
