using System.Text.Json;
using PopInfo.Contracts;
using PopInfo.Domain.Regions;
using PopInfo.Exchange.Inbound;
using PopInfo.ServiceDefaults.Outcomes;
using PopInfo.ServiceDefaults.Problems;

namespace PopInfo.UnitTests.Exchange;

/// <summary>
/// The inbound path answers <see cref="Refusal"/>; what leaves it (a record's problem in the push's answer, the refusal
/// stored per record, a parked message's reason) is made of it by the one mapping (<see cref="RefusalProblems"/>). The
/// expected texts are what the path wrote before (problem details of its own, serialised for the database; the parked
/// reason), captured from that code: byte for byte the same, so that rows stored before read the same as new ones.
/// </summary>
public sealed class InboundRefusalShapeTests
{
    private static readonly InboundRecordReader Reader = new(RegionCatalogue.Wuxi, TimeProvider.System);

    private static Refusal Read(string json, string path)
    {
        var read = Reader.Read(JsonDocument.Parse(json).RootElement, path, ["death"]);
        Assert.Null(read.Record);
        return read.Refusal!;
    }

    // name → (the refusal, its problem as stored before, its parked reason as written before)
    private static readonly Dictionary<string, (Refusal Refusal, string Problem, string ParkReason)> Cases = new()
    {
        ["dept-none"] = (InboundService.DepartmentMayNotPush(known: false),
            """{"type":"urn:popinfo:problem:forbidden","title":"The department may not push records.","status":403,"detail":"No such department.","rule":"department.active"}""",
            """{"rule":"department.active","reason":"No such department."}"""),
        ["dept-suspended"] = (InboundService.DepartmentMayNotPush(known: true),
            """{"type":"urn:popinfo:problem:forbidden","title":"The department may not push records.","status":403,"detail":"The department is suspended.","rule":"department.active"}""",
            """{"rule":"department.active","reason":"The department is suspended."}"""),
        ["registry"] = (InboundService.RegistryUnavailableRefusal(),
            """{"type":"urn:popinfo:problem:busy","title":"The registry does not answer.","status":503,"detail":"The records could not be checked against the register. Nothing was stored; push the same records again after 30 s.","rule":"registry.unavailable","retryAfterSeconds":30}""",
            """{"rule":"registry.unavailable","reason":"The records could not be checked against the register. Nothing was stored; push the same records again after 30 s."}"""),
        ["kind"] = (InboundRecordReader.KindNotAllowed("records[0].kind", "birth"),
            """{"type":"urn:popinfo:problem:forbidden","title":"Your department may not push this kind of record.","status":403,"detail":"records[0].kind: Your department may not push 'birth' records; the administrator grants inbound kinds. [inbound.kind-not-allowed]","errors":{"records[0].kind":["Your department may not push 'birth' records; the administrator grants inbound kinds."]},"violations":[{"field":"records[0].kind","rule":"inbound.kind-not-allowed","message":"Your department may not push 'birth' records; the administrator grants inbound kinds."}],"field":"records[0].kind","rule":"inbound.kind-not-allowed"}""",
            """{"rule":"inbound.kind-not-allowed","field":"records[0].kind","reason":"Your department may not push 'birth' records; the administrator grants inbound kinds."}"""),
        ["hold"] = (InboundService.HoldRefusal(new HoldReason("inbound.person-dead", "person.idNumber", "The person died.")),
            """{"type":"urn:popinfo:problem:conflict","title":"Held for review: the record conflicts with the register.","status":409,"detail":"The person died.","field":"person.idNumber","rule":"inbound.person-dead"}""",
            """{"rule":"inbound.person-dead","reason":"The person died."}"""),
        ["surrogate"] = (Read("""{"\uD800": 1}""", ""),
            """{"type":"urn:popinfo:problem:validation","title":"The request breaks one or more rules.","status":400,"detail":"record: The text holds an escaped unpaired surrogate (\\uD800–\\uDFFF without its other half): it is not valid Unicode. [text.lone-surrogate]","errors":{"record":["The text holds an escaped unpaired surrogate (\\uD800–\\uDFFF without its other half): it is not valid Unicode."]},"violations":[{"field":"record","rule":"text.lone-surrogate","message":"The text holds an escaped unpaired surrogate (\\uD800–\\uDFFF without its other half): it is not valid Unicode."}]}""",
            """{"rule":"text.lone-surrogate","field":"record","reason":"The text holds an escaped unpaired surrogate (\\uD800–\\uDFFF without its other half): it is not valid Unicode."}"""),
        ["notobject"] = (Read("[1]", "records[2]"),
            """{"type":"urn:popinfo:problem:validation","title":"The request breaks one or more rules.","status":400,"detail":"records[2]: A record is a JSON object. [json.format]","errors":{"records[2]":["A record is a JSON object."]},"violations":[{"field":"records[2]","rule":"json.format","message":"A record is a JSON object."}]}""",
            """{"rule":"json.format","field":"records[2]","reason":"A record is a JSON object."}"""),
        ["kind-read"] = (Read("""{"kind": "birth"}""", ""),
            """{"type":"urn:popinfo:problem:forbidden","title":"Your department may not push this kind of record.","status":403,"detail":"kind: Your department may not push 'birth' records; the administrator grants inbound kinds. [inbound.kind-not-allowed]","errors":{"kind":["Your department may not push 'birth' records; the administrator grants inbound kinds."]},"violations":[{"field":"kind","rule":"inbound.kind-not-allowed","message":"Your department may not push 'birth' records; the administrator grants inbound kinds."}],"field":"kind","rule":"inbound.kind-not-allowed"}""",
            """{"rule":"inbound.kind-not-allowed","field":"kind","reason":"Your department may not push 'birth' records; the administrator grants inbound kinds."}"""),
        ["invalid"] = (Read("""{"recordId": "a", "kind": "death", "person": {"name": "x"}}""", "records[1]"),
            """{"type":"urn:popinfo:problem:validation","title":"The request breaks one or more rules.","status":400,"detail":"records[1].person.sex: Without person.idNumber, the person is named by name, sex, birthDate and regionCode together. [required] records[1].person.birthDate: Without person.idNumber, the person is named by name, sex, birthDate and regionCode together. [required] records[1].person.regionCode: Without person.idNumber, the person is named by name, sex, birthDate and regionCode together. [required] records[1].deathDate: A death record needs deathDate. [required]","errors":{"records[1].person.sex":["Without person.idNumber, the person is named by name, sex, birthDate and regionCode together."],"records[1].person.birthDate":["Without person.idNumber, the person is named by name, sex, birthDate and regionCode together."],"records[1].person.regionCode":["Without person.idNumber, the person is named by name, sex, birthDate and regionCode together."],"records[1].deathDate":["A death record needs deathDate."]},"violations":[{"field":"records[1].person.sex","rule":"required","message":"Without person.idNumber, the person is named by name, sex, birthDate and regionCode together."},{"field":"records[1].person.birthDate","rule":"required","message":"Without person.idNumber, the person is named by name, sex, birthDate and regionCode together."},{"field":"records[1].person.regionCode","rule":"required","message":"Without person.idNumber, the person is named by name, sex, birthDate and regionCode together."},{"field":"records[1].deathDate","rule":"required","message":"A death record needs deathDate."}]}""",
            """{"rule":"required","field":"records[1].person.sex","reason":"Without person.idNumber, the person is named by name, sex, birthDate and regionCode together."}"""),
    };

    public static TheoryData<string> Names => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(Names))]
    public void A_refusal_is_stored_as_the_problem_the_inbound_path_stored_before(string name)
    {
        var (refusal, problem, _) = Cases[name];

        Assert.Equal(problem, refusal.ToStoredProblemText());
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void A_refusal_parks_a_message_with_the_reason_written_before(string name)
    {
        var (refusal, _, parkReason) = Cases[name];

        Assert.Equal(parkReason, JsonSerializer.Serialize(ParkReason.From(refusal), Json.Options));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void A_refusal_stored_before_reads_back_as_it_was_stored(string name)
    {
        var stored = Cases[name].Problem;

        var view = new InboundRow { RecordId = "r1", State = InboundStates.Refused, Refusal = stored }.ToView();

        Assert.Equal(stored, view.Refusal!.Value.GetRawText());
    }

    [Fact]
    public void The_statuses_are_those_of_the_problems_before()
    {
        Assert.Equal(
            [403, 503, 403, 409, 400],
            [.. new[] { "dept-none", "registry", "kind", "hold", "invalid" }.Select(n => RefusalProblems.StatusOf(Cases[n].Refusal.Kind))]);
    }
}
