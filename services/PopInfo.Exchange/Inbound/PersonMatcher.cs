using PopInfo.Contracts.Registry;
using PopInfo.Domain.Regions;

namespace PopInfo.Exchange.Inbound;

/// <summary>How a record was tied to a person of the register (the <c>match</c> of a result).</summary>
public static class MatchKinds
{
    /// <summary>The record's identity number is a person's in the register.</summary>
    public const string IdNumber = "id-number";

    /// <summary>No identity number: exactly one person has the record's name, sex and birth date and lives or is registered in its region.</summary>
    public const string NameSexBirthRegion = "name-sex-birth-region";

    /// <summary>A birth, move-in or migrant arrival of someone the register does not know yet.</summary>
    public const string NewPerson = "new-person";
}

/// <summary>The rules of why a record is held for review rather than sent (part of the contract: docs/exchange-inbound.md).</summary>
public static class HoldRules
{
    public const string PersonNotFound = "inbound.person-not-found";
    public const string AmbiguousMatch = "inbound.ambiguous-match";
    public const string NotLiving = "inbound.conflict.not-living";
    public const string AlreadyRegistered = "inbound.conflict.already-registered";
    public const string NotAMigrant = "inbound.conflict.not-a-migrant";
    public const string DetailsDiffer = "inbound.conflict.details-differ";
}

/// <summary>Why a record waits for review: the rule, the field of the record it is about, and a message for people.</summary>
public sealed record HoldReason(string Rule, string Field, string Message);

/// <summary>Who the record is about, as far as the register knows: the match, the person, or why none could be settled.</summary>
public sealed record MatchResult(string? Match, RegisteredPerson? Person, HoldReason? Hold)
{
    public static MatchResult Matched(string match, RegisteredPerson person) => new(match, person, null);

    public static MatchResult New() => new(MatchKinds.NewPerson, null, null);

    public static MatchResult Held(string rule, string field, string message) => new(null, null, new HoldReason(rule, field, message));
}

/// <summary>
/// Recognises the person a record is about. With an identity number: the register's person with that
/// number. Without one (possible only for records about someone already in the register): the people
/// with exactly the record's name, kept when sex and birth date are equal and the record's region is the
/// person's residence or household registration or contains it (a district or street holds its
/// communities). Exactly one such person is a match; several are held as ambiguous; none, as not found.
/// The register lists at most <see cref="RegistryClient.MaxNameResults"/> people per name: when the list is
/// full the search cannot be complete, and a single candidate in it is held as ambiguous rather than taken.
/// </summary>
public sealed class PersonMatcher(RegionCatalogue regions)
{
    public async Task<MatchResult> MatchAsync(InboundRecord record, RegistryClient registry, CancellationToken ct)
    {
        if (record.IdNumber is { } idNumber)
        {
            var person = await registry.FindByIdNumberAsync(idNumber, ct);
            return ByIdNumber(record, person);
        }

        var sameName = await registry.FindByNameAsync(record.Name!, ct, RegistryClient.MaxNameResults);
        return ByDescription(record, sameName, complete: sameName.Count < RegistryClient.MaxNameResults);
    }

    /// <summary>The outcome of the look-up by identity number.</summary>
    public static MatchResult ByIdNumber(InboundRecord record, RegisteredPerson? person) =>
        person is not null ? MatchResult.Matched(MatchKinds.IdNumber, person)
        : record.Kind.NewPerson ? MatchResult.New()
        : MatchResult.Held(HoldRules.PersonNotFound, record.FieldPath("person.idNumber"), "No person with this identity number is in the register.");

    /// <summary>The outcome of the search by name, given the people with the record's name (<paramref name="complete"/>: all of them).</summary>
    public MatchResult ByDescription(InboundRecord record, IReadOnlyList<RegisteredPerson> sameName, bool complete)
    {
        var candidates = Candidates(record, sameName);
        return candidates.Count switch
        {
            1 when complete => MatchResult.Matched(MatchKinds.NameSexBirthRegion, candidates[0]),
            0 when complete => MatchResult.Held(HoldRules.PersonNotFound, record.FieldPath("person"),
                "No person in the register has this name, sex and birth date in this region."),
            0 => MatchResult.Held(HoldRules.AmbiguousMatch, record.FieldPath("person"),
                $"More than {RegistryClient.MaxNameResults} people in the register have this name: without an identity number the person cannot be told apart."),
            _ => MatchResult.Held(HoldRules.AmbiguousMatch, record.FieldPath("person"),
                complete
                    ? $"{candidates.Count} people in the register have this name, sex and birth date in this region."
                    : $"More than {RegistryClient.MaxNameResults} people in the register have this name: without an identity number the person cannot be told apart."),
        };
    }

    /// <summary>The people of <paramref name="sameName"/> the record's sex, birth date and region fit.</summary>
    public IReadOnlyList<RegisteredPerson> Candidates(InboundRecord record, IEnumerable<RegisteredPerson> sameName) =>
        [.. sameName.Where(p =>
            string.Equals(p.Record["name"]?.GetValue<string>(), record.Name, StringComparison.Ordinal)
            && p.Sex == record.Sex
            && p.BirthDate == record.BirthDate
            && InRegion(p, record.RegionCode!))];

    /// <summary>Whether the person lives or is registered in <paramref name="regionCode"/> (or a region within it).</summary>
    public bool InRegion(RegisteredPerson person, string regionCode) =>
        (person.ResidenceRegionCode is { } residence && regions.IsWithin(residence, regionCode))
        || (person.RegisteredRegionCode is { } registered && regions.IsWithin(registered, regionCode));
}
