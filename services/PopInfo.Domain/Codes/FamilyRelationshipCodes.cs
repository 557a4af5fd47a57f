namespace PopInfo.Domain.Codes;

/// <summary>
/// Named GB/T 4761-2008 family relationship codes, for the codes the platform treats specially.
/// In a household register every member's relationship is stated relative to the head (户主).
/// </summary>
public static class FamilyRelationshipCodes
{
    public const string Self = "01";

    /// <summary>户主, head of household: exactly one per household.</summary>
    public const string Head = "02";

    public const string Spouse = "10";
    public const string Husband = "11";
    public const string Wife = "12";
    public const string Son = "20";
    public const string Daughter = "30";
    public const string Father = "51";
    public const string Mother = "52";
    public const string OtherRelative = "97";
    public const string NonRelative = "99";
}
