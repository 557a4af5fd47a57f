using PopInfo.ServiceDefaults.Problems;

namespace PopInfo.Collection.Forms;

/// <summary>Where a person stands in the register: the community they live in and the one they are registered in.</summary>
public sealed record PersonRegions(string? ResidenceRegionCode, string? RegisteredRegionCode);

/// <summary>
/// Collectors act within their community (docs/security.md): a rule per form type saying whose community
/// a form belongs to. A pure decision — the caller supplies the person as the register shows them — so the
/// table is unit-tested as it stands. Without it a collector could file a death or an identity-number
/// correction for anyone in the city: the registry checks the facts of a command, not who may file it.
/// </summary>
public static class CollectorScope
{
    /// <summary>A death, correction, move-out or household change of a person who neither lives nor is registered in the community.</summary>
    public const string PersonOutsideCommunity = "scope.person-outside-community";

    /// <summary>A migrant's departure filed where the migrant does not live.</summary>
    public const string MigrantLivesElsewhere = "scope.migrant-lives-elsewhere";

    /// <summary>A move within the city filed anywhere but the destination community.</summary>
    public const string MoveNotAtDestination = "scope.move-not-at-destination";

    /// <summary>A birth, move-in or migrant's arrival that brings the person into another community.</summary>
    public const string ArrivalOutsideCommunity = "scope.arrival-outside-community";

    /// <summary>The registry did not answer, so whether the person is the community's is unknown: refused, not guessed.</summary>
    public const string RegisterUnavailable = "scope.register-unavailable";

    /// <summary>What the community of a form is judged by.</summary>
    public enum Basis
    {
        /// <summary>A new person: where the form says they will live (the community when it says nothing) or be registered.</summary>
        Arrival,

        /// <summary>The form's destination (<c>residenceRegionCode</c>).</summary>
        Destination,

        /// <summary>The person in the register: where they live or are registered.</summary>
        ResidenceOrRegistration,

        /// <summary>The person in the register: where they live.</summary>
        Residence,
    }

    private static readonly Dictionary<string, Basis> Bases = new()
    {
        [FormTypes.Birth.Code] = Basis.Arrival,
        [FormTypes.MoveIn.Code] = Basis.Arrival,
        [FormTypes.MigrantArrival.Code] = Basis.Arrival,
        [FormTypes.MoveWithinCity.Code] = Basis.Destination,
        [FormTypes.MigrantDeparture.Code] = Basis.Residence,
        [FormTypes.Death.Code] = Basis.ResidenceOrRegistration,
        [FormTypes.MoveOut.Code] = Basis.ResidenceOrRegistration,
        [FormTypes.Correction.Code] = Basis.ResidenceOrRegistration,
        [FormTypes.HouseholdChange.Code] = Basis.ResidenceOrRegistration,
    };

    public static Basis BasisOf(FormType type) =>
        Bases.TryGetValue(type.Code, out var basis) ? basis : throw new ArgumentOutOfRangeException(nameof(type), type.Code, "A form type without a scope rule.");

    /// <summary>Whether the decision needs the person as the register shows them.</summary>
    public static bool NeedsRegister(FormType type) => BasisOf(type) is Basis.ResidenceOrRegistration or Basis.Residence;

    /// <summary>
    /// Null when the collector of <paramref name="community"/> may file the form; otherwise the rule it breaks.
    /// </summary>
    /// <param name="type">The form type.</param>
    /// <param name="community">The collector's community (12 digits).</param>
    /// <param name="data">The form's fields.</param>
    /// <param name="registerAnswered">Whether the registry answered the look-up of the person (only read when <see cref="NeedsRegister"/>).</param>
    /// <param name="person">The person as the register shows them; null when the register has no such person (another rule says so).</param>
    public static RuleViolation? Check(FormType type, string community, IReadOnlyDictionary<string, string> data, bool registerAnswered, PersonRegions? person)
    {
        switch (BasisOf(type))
        {
            case Basis.Arrival:
                var residence = data.GetValueOrDefault("residenceRegionCode") ?? community;
                var registered = data.GetValueOrDefault("registeredRegionCode");
                return residence == community || registered == community
                    ? null
                    : new(data.ContainsKey("residenceRegionCode") ? "residenceRegionCode" : "registeredRegionCode", ArrivalOutsideCommunity,
                        $"A {type.Code} is filed by the community the person comes to live or be registered in, not by {community}.");

            case Basis.Destination:
                return !data.TryGetValue("residenceRegionCode", out var destination) || destination == community
                    ? null
                    : new("residenceRegionCode", MoveNotAtDestination,
                        $"A move within the city is filed by the destination community ({destination}), not by {community}.");
        }

        if (!registerAnswered)
        {
            return new("idNumber", RegisterUnavailable,
                "The register cannot be read now, so the desk cannot tell whether this person is of your community. Nothing was sent: save the form as a draft and submit it later.");
        }

        if (person is null)
        {
            return null;
        }

        return BasisOf(type) == Basis.Residence
            ? person.ResidenceRegionCode == community
                ? null
                : new("idNumber", MigrantLivesElsewhere, $"A migrant's departure is filed by the community the migrant lives in, not by {community}.")
            : person.ResidenceRegionCode == community || person.RegisteredRegionCode == community
                ? null
                : new("idNumber", PersonOutsideCommunity, $"The person neither lives nor is registered in {community}: their own community files this {type.Code}.");
    }
}
