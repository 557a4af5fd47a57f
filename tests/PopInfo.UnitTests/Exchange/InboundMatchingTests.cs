using System.Text.Json;
using System.Text.Json.Nodes;
using PopInfo.Contracts;
using PopInfo.Contracts.Registry;
using PopInfo.Contracts.Registry.Commands;
using PopInfo.Domain.Identity;
using PopInfo.Domain.Regions;
using PopInfo.Exchange.Departments;
using PopInfo.Exchange.Inbound;

namespace PopInfo.UnitTests.Exchange;

public class InboundMatchingTests
{
    private static readonly RegionCatalogue Regions = RegionCatalogue.Wuxi;
    private static readonly InboundRecordReader Reader = new(Regions, TimeProvider.System);
    private static readonly PersonMatcher Matcher = new(Regions);
    private static readonly string Community = Regions.Communities[0].Code;
    private static readonly string Street = Regions.Communities[0].ParentCode!;
    private static readonly string Elsewhere = Regions.Communities.First(c => c.ParentCode != Street).Code;
    private static readonly DateOnly Born = new(1950, 3, 7);
    private static readonly string Female = IdentityNumber.Create("320205", Born, 42);

    private static InboundRecord Record(string json)
    {
        var outcome = Reader.Read(JsonDocument.Parse(json).RootElement, "records[0]", InboundKinds.All.ToArray());
        Assert.Null(outcome.Refusal);
        return outcome.Record!;
    }

    private static InboundRecord DescribedDeath(string region) =>
        Record($$"""{"recordId": "d1", "kind": "death", "person": {"name": "王芳", "sex": "2", "birthDate": "1950-03-07", "regionCode": "{{region}}"}, "deathDate": "2026-01-02"}""");

    private static RegisteredPerson Person(
        string name = "王芳", string sex = "2", DateOnly? born = null, string? residence = null, string? registered = null,
        string status = "living", string residenceType = "registered", string? idNumber = null, int version = 3)
    {
        var record = new JsonObject
        {
            ["personId"] = Guid.NewGuid().ToString(),
            ["idNumber"] = idNumber ?? Female,
            ["name"] = name,
            ["sex"] = sex,
            ["birthDate"] = (born ?? Born).ToString("yyyy-MM-dd"),
            ["residenceRegionCode"] = residence,
            ["registeredRegionCode"] = registered,
            ["residenceType"] = residenceType,
            ["status"] = status,
        };
        return new RegisteredPerson(Guid.Parse((string)record["personId"]!), version, status, residenceType, sex, record);
    }

    [Fact]
    public void A_person_living_in_a_community_of_the_records_street_is_the_one_match()
    {
        var record = DescribedDeath(Street);
        var her = Person(residence: Community, registered: Community);
        var others = new[]
        {
            Person(sex: "1"),
            Person(born: Born.AddDays(1), residence: Community),
            Person(residence: Elsewhere, registered: Elsewhere),
        };

        var result = Matcher.ByDescription(record, [her, .. others], complete: true);

        Assert.Equal(MatchKinds.NameSexBirthRegion, result.Match);
        Assert.Same(her, result.Person);
        Assert.Null(result.Hold);
    }

    [Fact]
    public void The_household_registration_counts_as_the_persons_region_too()
    {
        var movedAway = Person(residence: null, registered: Community, status: "moved-away");

        Assert.True(Matcher.InRegion(movedAway, Street));
        Assert.True(Matcher.InRegion(movedAway, Community));
        Assert.False(Matcher.InRegion(movedAway, Elsewhere));
        Assert.Single(Matcher.Candidates(DescribedDeath(Community), [movedAway]));
    }

    [Fact]
    public void Two_fitting_people_are_ambiguous_and_none_is_not_found()
    {
        var record = DescribedDeath(Street);

        var two = Matcher.ByDescription(record, [Person(residence: Community), Person(registered: Community)], complete: true);
        var none = Matcher.ByDescription(record, [Person(residence: Elsewhere)], complete: true);

        Assert.Equal(HoldRules.AmbiguousMatch, two.Hold!.Rule);
        Assert.Null(two.Person);
        Assert.Equal(HoldRules.PersonNotFound, none.Hold!.Rule);
        Assert.Equal("records[0].person", none.Hold.Field);
    }

    [Fact]
    public void A_single_fit_in_a_full_name_list_is_not_taken()
    {
        var result = Matcher.ByDescription(DescribedDeath(Street), [Person(residence: Community)], complete: false);

        Assert.Equal(HoldRules.AmbiguousMatch, result.Hold!.Rule);
    }

    [Fact]
    public void By_identity_number_an_unknown_person_is_new_for_a_birth_and_not_found_for_a_death()
    {
        var child = IdentityNumber.Create("320213", new DateOnly(2025, 5, 12), 22);
        var birth = Record($$"""{"recordId": "b1", "kind": "birth", "person": {"idNumber": "{{child}}", "name": "王小雨", "sex": "2", "birthDate": "2025-05-12", "ethnicity": "01"} }""");
        var death = Record($$"""{"recordId": "d1", "kind": "death", "person": {"idNumber": "{{Female}}"}, "deathDate": "2026-01-02"}""");

        Assert.Equal(MatchKinds.NewPerson, PersonMatcher.ByIdNumber(birth, null).Match);
        Assert.Equal(HoldRules.PersonNotFound, PersonMatcher.ByIdNumber(death, null).Hold!.Rule);
        Assert.Equal("records[0].person.idNumber", PersonMatcher.ByIdNumber(death, null).Hold!.Field);
        Assert.Equal(MatchKinds.IdNumber, PersonMatcher.ByIdNumber(death, Person()).Match);
    }

    [Theory]
    [InlineData("death", "moved-away", "registered", HoldRules.NotLiving)]
    [InlineData("death", "deceased", "registered", HoldRules.NotLiving)]
    [InlineData("move-out", "moved-away", "registered", HoldRules.NotLiving)]
    [InlineData("migrant-departure", "living", "registered", HoldRules.NotAMigrant)]
    [InlineData("migrant-departure", "living", "migrant", null)]
    [InlineData("death", "living", "registered", null)]
    [InlineData("correction", "deceased", "registered", null)]
    public void Records_that_conflict_with_the_persons_state_are_held(string kind, string status, string residenceType, string? rule)
    {
        var fields = kind switch
        {
            "death" => """ "deathDate": "2026-01-02" """,
            "move-out" => """ "moveDate": "2026-01-02", "destination": "上海市" """,
            "migrant-departure" => """ "departureDate": "2026-01-02" """,
            _ => """ "reason": "typo", "changes": {"occupation": "教师"} """,
        };
        var record = Record($$"""{"recordId": "x1", "kind": "{{kind}}", "person": {"idNumber": "{{Female}}"}, {{fields}} }""");

        Assert.Equal(rule, InboundConflicts.Check(record, Person(status: status, residenceType: residenceType))?.Rule);
    }

    [Fact]
    public void A_birth_of_a_child_already_registered_is_held()
    {
        var child = IdentityNumber.Create("320213", new DateOnly(2025, 5, 12), 22);
        var birth = Record($$"""{"recordId": "b1", "kind": "birth", "person": {"idNumber": "{{child}}", "name": "王小雨", "sex": "2", "birthDate": "2025-05-12", "ethnicity": "01"} }""");

        var hold = InboundConflicts.Check(birth, Person(idNumber: child, born: new DateOnly(2025, 5, 12)));

        Assert.Equal(HoldRules.AlreadyRegistered, hold!.Rule);
        Assert.Equal("records[0].person.idNumber", hold.Field);
    }

    [Fact]
    public void Stated_details_that_differ_from_the_register_are_held_before_anything_else()
    {
        var record = Record($$"""{"recordId": "d1", "kind": "death", "person": {"idNumber": "{{Female}}", "sex": "2", "birthDate": "1950-03-07"}, "deathDate": "2026-01-02"}""");

        var hold = InboundConflicts.Check(record, Person(born: Born.AddYears(1), status: "moved-away"));

        Assert.Equal(HoldRules.DetailsDiffer, hold!.Rule);
        Assert.Equal("records[0].person.birthDate", hold.Field);
    }

    [Fact]
    public void A_death_becomes_a_command_on_the_matched_person_at_the_matched_version()
    {
        var record = Record($$"""{"recordId": "d1", "kind": "death", "person": {"idNumber": "{{Female}}"}, "deathDate": "2026-01-02"}""");
        var person = Person(version: 7);
        var id = Guid.CreateVersion7();

        var command = InboundCommand.Build(id, "health", record, person, DateTimeOffset.UtcNow);

        Assert.Equal(id, command.CommandId);
        Assert.Equal(RegistryCommandTypes.RegisterDeath, command.CommandType);
        Assert.Equal(person.PersonId, command.PersonId);
        Assert.Null(command.SubjectIdNumber);
        Assert.Equal("department:health", command.Actor);
        var death = Assert.IsType<RegisterDeath>(command);
        Assert.Equal((new DateOnly(2026, 1, 2), 7), (death.DeathDate, death.ExpectedVersion));
    }

    [Fact]
    public void A_move_in_names_the_person_by_identity_number_with_all_their_details()
    {
        var id = IdentityNumber.Create("320205", new DateOnly(1990, 1, 1), 41);
        var record = Record($$"""
            {"recordId": "mi1", "kind": "move-in", "moveDate": "2026-01-02", "origin": "上海市",
             "person": {"idNumber": "{{id}}", "name": "李强", "sex": "1", "birthDate": "1990-01-01", "ethnicity": "01", "registeredRegionCode": "{{Community}}"} }
            """);

        var command = InboundCommand.Build(Guid.CreateVersion7(), "police", record, null, DateTimeOffset.UtcNow);

        var moveIn = Assert.IsType<MoveIn>(command);
        Assert.Equal(id, command.SubjectIdNumber);
        Assert.Null(command.PersonId);
        Assert.Equal(("李强", "上海市", (int?)null), (moveIn.Name, moveIn.Origin, moveIn.ExpectedVersion));
    }

    [Fact]
    public void A_correction_sends_the_changed_fields_flat_as_the_registry_takes_them()
    {
        var record = Record($$"""{"recordId": "c1", "kind": "correction", "person": {"idNumber": "{{Female}}"}, "reason": "typo", "changes": {"occupation": "教师"} }""");

        var command = InboundCommand.Build(Guid.CreateVersion7(), "police", record, Person(version: 2), DateTimeOffset.UtcNow);

        var correction = Assert.IsType<CorrectDetails>(command);
        Assert.Equal(("typo", "教师", (int?)2), (correction.Reason, correction.Occupation, correction.ExpectedVersion));
        // Nothing else: the fields not in "changes" stay as the register has them.
        Assert.Equal("""{"occupation":"教师","reason":"typo","expectedVersion":2}""",
            JsonSerializer.Serialize(correction with { CommandId = null, PersonId = null, SubjectIdNumber = null, Actor = null, CorrelationId = null, SentAt = null }, Json.Options));
    }

    [Fact]
    public void An_unmatched_record_without_identity_number_names_nobody()
    {
        var record = DescribedDeath(Street);

        var command = InboundCommand.Build(Guid.CreateVersion7(), "health", record, null, DateTimeOffset.UtcNow);

        Assert.False(InboundCommand.NamesPerson(JsonSerializer.Serialize(command, command.GetType(), Json.Options), record.Kind));
    }
}
