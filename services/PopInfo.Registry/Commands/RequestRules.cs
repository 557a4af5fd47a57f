using PopInfo.Contracts.Registry.Commands;
using PopInfo.Domain.Records;
using PopInfo.ServiceDefaults.Problems;

namespace PopInfo.Registry.Commands;

/// <summary>Rules on a request's own fields (what the record rules cannot see): ids, versions, event dates.</summary>
internal static class RequestRules
{
    public static IReadOnlyList<RuleViolation> ForNewPerson(NewPersonCommand r, params (string Field, bool Present)[] required) =>
        Check(r, [("idNumber", !string.IsNullOrEmpty(r.IdNumber)), ("birthDate", r.BirthDate is not null), .. required]);

    public static IReadOnlyList<RuleViolation> ForMoveIn(MoveIn r) =>
        ForNewPerson(r, ("moveDate", r.MoveDate is not null));

    public static IReadOnlyList<RuleViolation> ForMigrantArrival(MigrantArrival r) =>
        ForNewPerson(r, ("originRegionCode", !string.IsNullOrEmpty(r.OriginRegionCode)), ("arrivalDate", r.ArrivalDate is not null),
            ("reason", !string.IsNullOrEmpty(r.Reason)), ("expectedStayMonths", r.ExpectedStayMonths is not null));

    public static IReadOnlyList<RuleViolation> ForExisting(PersonCommand r, params (string Field, bool Present)[] required) =>
        Check(r, [("expectedVersion", r.ExpectedVersion is not null), .. required]);

    /// <summary>
    /// The request's text fields checked against the free-text rule (no control characters, bidirectional
    /// overrides, lone surrogates or non-characters): codes too, so that a poisoned code is named by the same
    /// rule as a poisoned address. The correction's reason is prose and may run over several lines.
    /// </summary>
    public static List<RuleViolation> ForText(RegistryCommand r)
    {
        var violations = TextViolations.Check([("source", r.Source), ("actor", r.Actor), .. TextFields(r)]);
        if (r is CorrectDetails { Reason: var reason } && TextViolations.Of("reason", reason, multiLine: true) is { } poisoned)
        {
            violations.Add(poisoned);
        }

        return violations;
    }

    private static (string Field, string? Value)[] TextFields(RegistryCommand r) => r switch
    {
        RegisterPerson p => [.. NewPerson(p), ("residenceType", p.ResidenceType), ("migrant.originRegionCode", p.Migrant?.OriginRegionCode), ("migrant.reason", p.Migrant?.Reason)],
        MoveIn p => [.. NewPerson(p), ("origin", p.Origin)],
        MigrantArrival p => [.. NewPerson(p), ("originRegionCode", p.OriginRegionCode), ("reason", p.Reason)],
        NewPersonCommand p => NewPerson(p),
        MoveWithinCity p => [("residenceAddress", p.ResidenceAddress), ("residenceRegionCode", p.ResidenceRegionCode)],
        MoveOut p => [("destination", p.Destination)],
        MigrantDeparture p => [("destination", p.Destination)],
        CorrectDetails p =>
        [
            ("idNumber", p.IdNumber), ("name", p.Name), ("sex", p.Sex), ("ethnicity", p.Ethnicity), ("maritalStatus", p.MaritalStatus),
            ("education", p.Education), ("occupation", p.Occupation), ("phone", p.Phone), ("registeredAddress", p.RegisteredAddress),
            ("residenceAddress", p.ResidenceAddress),
        ],
        ChangeHousehold p => [("relationshipToHead", p.RelationshipToHead)],
        CreateHouseholdRequest p => [("number", p.Number), ("address", p.Address), ("regionCode", p.RegionCode)],
        _ => [],
    };

    private static (string Field, string? Value)[] NewPerson(NewPersonCommand p) =>
    [
        ("idNumber", p.IdNumber), ("name", p.Name), ("sex", p.Sex), ("ethnicity", p.Ethnicity), ("maritalStatus", p.MaritalStatus),
        ("education", p.Education), ("occupation", p.Occupation), ("phone", p.Phone), ("registeredAddress", p.RegisteredAddress),
        ("registeredRegionCode", p.RegisteredRegionCode), ("residenceAddress", p.ResidenceAddress), ("residenceRegionCode", p.ResidenceRegionCode),
        ("relationshipToHead", p.RelationshipToHead),
    ];

    private static List<RuleViolation> Check(RegistryCommand r, IEnumerable<(string Field, bool Present)> required)
    {
        var violations = ForText(r);
        if (r.CommandId is null || r.CommandId == Guid.Empty)
        {
            violations.Add(new RuleViolation("commandId", PersonRules.Required, "A commandId (a new GUID per command, reused only to retry it) is required."));
        }

        if (r.Source is { Length: > 100 })
        {
            violations.Add(new RuleViolation("source", PersonRules.TextLength, "The source is at most 100 characters."));
        }

        if (r.Actor is { Length: > 100 })
        {
            violations.Add(new RuleViolation("actor", PersonRules.TextLength, "The actor is at most 100 characters."));
        }

        violations.AddRange(required.Where(f => !f.Present)
            .Select(f => new RuleViolation(f.Field, PersonRules.Required, $"{f.Field} is required.")));
        return violations;
    }
}
