using PopInfo.Domain.Codes;

namespace PopInfo.Domain.Records;

/// <summary>The register's rules on joining a household (户): it exists, and it has at most one living head.</summary>
public static class HouseholdRules
{
    /// <summary>Whether a member joins as the household's head (so another living head must be looked for).</summary>
    public static bool JoinsAsHead(string? relationshipToHead) => relationshipToHead == FamilyRelationshipCodes.Head;

    /// <param name="householdExists">The household is in the register.</param>
    /// <param name="anotherLivingHead">The member joins as head and the household already has another living head.</param>
    public static RuleBreach? CheckJoin(bool householdExists, bool anotherLivingHead)
    {
        if (!householdExists)
        {
            return new("householdId", PersonRules.HouseholdExists, "The household is not in the register.");
        }

        return anotherLivingHead ? new("relationshipToHead", PersonRules.HouseholdOneHead, "The household already has a living head.") : null;
    }

    /// <summary>A person's relationship to the head after a household change: none outside a household.</summary>
    public static string? RelationshipAfterChange(Guid? householdId, string? relationshipToHead) => householdId is null ? null : relationshipToHead;
}
