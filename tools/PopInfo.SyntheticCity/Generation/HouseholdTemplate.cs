namespace PopInfo.SyntheticCity.Generation;

/// <summary>
/// The kinds of family household the generator builds, from the one-person household of a young
/// worker to four generations under one roof. Their weights (per 10,000 family households) give the
/// size distribution of Jiangsu's 2020 census (1: 26 %, 2: 31 %, 3: 21 %, 4: 11.5 %, 5: 6.5 %, 6+: 4 %;
/// mean 2.55) and, with the age ranges in <see cref="HouseholdComposer"/>, the city's age structure.
/// </summary>
internal enum HouseholdTemplate
{
    YoungSingle,
    MiddleAgedSingle,
    ElderlyAlone,
    YoungCouple,
    MiddleAgedCouple,
    OlderCouple,
    SingleParent,
    AdultChildWithParent,
    CoupleWithChild,
    CoupleWithParent,
    SingleParentTwoChildren,
    CoupleWithTwoChildren,
    CoupleChildAndParent,
    OlderCoupleMarriedChild,
    CoupleChildAndBothParents,
    ThreeGenerations,
    CoupleWithThreeChildren,
    ThreeGenerationsTwoGrandchildren,
    CoupleTwoChildrenBothParents,
    ThreeGenerationsLarge,
}

internal static class HouseholdTemplates
{
    /// <summary>Templates with their weight and how likely (‰) a household of that kind is migrant.</summary>
    public static IReadOnlyList<(HouseholdTemplate Template, int Weight, int MigrantPerMille)> All { get; } =
    [
        (HouseholdTemplate.YoungSingle, 1150, 740),
        (HouseholdTemplate.MiddleAgedSingle, 500, 540),
        (HouseholdTemplate.ElderlyAlone, 920, 50),
        (HouseholdTemplate.YoungCouple, 650, 650),
        (HouseholdTemplate.MiddleAgedCouple, 400, 480),
        (HouseholdTemplate.OlderCouple, 1450, 90),
        (HouseholdTemplate.SingleParent, 350, 370),
        (HouseholdTemplate.AdultChildWithParent, 250, 100),
        (HouseholdTemplate.CoupleWithChild, 1730, 480),
        (HouseholdTemplate.CoupleWithParent, 250, 150),
        (HouseholdTemplate.SingleParentTwoChildren, 150, 370),
        (HouseholdTemplate.CoupleWithTwoChildren, 500, 420),
        (HouseholdTemplate.CoupleChildAndParent, 350, 190),
        (HouseholdTemplate.OlderCoupleMarriedChild, 300, 80),
        (HouseholdTemplate.CoupleChildAndBothParents, 230, 190),
        (HouseholdTemplate.ThreeGenerations, 360, 80),
        (HouseholdTemplate.CoupleWithThreeChildren, 60, 500),
        (HouseholdTemplate.ThreeGenerationsTwoGrandchildren, 170, 80),
        (HouseholdTemplate.CoupleTwoChildrenBothParents, 110, 190),
        (HouseholdTemplate.ThreeGenerationsLarge, 120, 60),
    ];
}
