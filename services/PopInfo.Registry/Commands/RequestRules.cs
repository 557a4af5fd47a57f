using PopInfo.Registry.Validation;
using PopInfo.ServiceDefaults.Problems;

namespace PopInfo.Registry.Commands;

/// <summary>Rules on a request's own fields (what the record rules cannot see): ids, versions, event dates.</summary>
internal static class RequestRules
{
    public static IReadOnlyList<RuleViolation> ForNewPerson(NewPersonRequest r, params (string Field, bool Present)[] required) =>
        Check(r, [("idNumber", !string.IsNullOrEmpty(r.IdNumber)), ("birthDate", r.BirthDate is not null), .. required]);

    public static IReadOnlyList<RuleViolation> ForMoveIn(MoveInRequest r) =>
        ForNewPerson(r, ("moveDate", r.MoveDate is not null));

    public static IReadOnlyList<RuleViolation> ForMigrantArrival(MigrantArrivalRequest r) =>
        ForNewPerson(r, ("originRegionCode", !string.IsNullOrEmpty(r.OriginRegionCode)), ("arrivalDate", r.ArrivalDate is not null),
            ("reason", !string.IsNullOrEmpty(r.Reason)), ("expectedStayMonths", r.ExpectedStayMonths is not null));

    public static IReadOnlyList<RuleViolation> ForExisting(PersonCommandRequest r, params (string Field, bool Present)[] required) =>
        Check(r, [("expectedVersion", r.ExpectedVersion is not null), .. required]);

    private static List<RuleViolation> Check(CommandRequest r, IEnumerable<(string Field, bool Present)> required)
    {
        var violations = new List<RuleViolation>();
        if (r.CommandId is null || r.CommandId == Guid.Empty)
        {
            violations.Add(new RuleViolation("commandId", PersonRules.Required, "A commandId (a new GUID per command, reused only to retry it) is required."));
        }

        if (r.Source is { Length: > 100 })
        {
            violations.Add(new RuleViolation("source", PersonRules.TextLength, "The source is at most 100 characters."));
        }

        violations.AddRange(required.Where(f => !f.Present)
            .Select(f => new RuleViolation(f.Field, PersonRules.Required, $"{f.Field} is required.")));
        return violations;
    }
}
