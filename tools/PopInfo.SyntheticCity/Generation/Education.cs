namespace PopInfo.SyntheticCity.Generation;

/// <summary>
/// Education (GB/T 4658 学历 codes) consistent with age: children hold the level they are in (小学 80,
/// 初中 70, 高中 60 or 中职 40), students 18–22 theirs; adults follow their generation — the young
/// mostly went to college (Wuxi: about 23,000 of every 100,000 residents), their grandparents mostly to
/// primary or junior school — and migrants somewhat less than registered residents. Under 6: none.
/// </summary>
internal static class Education
{
    private static readonly Weighted<string> Secondary = Weighted.Of(("60", 70), ("40", 30));
    private static readonly Weighted<string> StudentsRegistered = Weighted.Of(("20", 45), ("30", 30), ("60", 15), ("40", 10));
    private static readonly Weighted<string> StudentsMigrant = Weighted.Of(("20", 15), ("30", 20), ("40", 25), ("60", 20), ("70", 20));

    // 18–22 and out of education: what they finished, never yet a degree.
    private static readonly Weighted<string> Leavers = Weighted.Of(("30", 25), ("40", 30), ("60", 28), ("70", 17));
    private static readonly Weighted<string> LeaversMigrant = Weighted.Of(("30", 10), ("40", 25), ("60", 25), ("70", 40));

    private static readonly Weighted<string> Young = Weighted.Of(("11", 5), ("14", 60), ("20", 350), ("30", 250), ("40", 120), ("60", 100), ("70", 110), ("80", 5));
    private static readonly Weighted<string> Middle = Weighted.Of(("11", 4), ("14", 30), ("20", 200), ("30", 200), ("40", 140), ("60", 180), ("70", 220), ("80", 26));
    private static readonly Weighted<string> Older = Weighted.Of(("11", 1), ("14", 5), ("20", 60), ("30", 100), ("40", 120), ("60", 220), ("70", 380), ("80", 114));
    private static readonly Weighted<string> Elderly = Weighted.Of(("20", 20), ("30", 30), ("40", 40), ("60", 140), ("70", 300), ("80", 400), ("90", 70));

    private static readonly Weighted<string> YoungMigrant = Weighted.Of(("14", 20), ("20", 150), ("30", 200), ("40", 150), ("60", 150), ("70", 300), ("80", 30));
    private static readonly Weighted<string> MiddleMigrant = Weighted.Of(("20", 60), ("30", 90), ("40", 100), ("60", 170), ("70", 450), ("80", 130));
    private static readonly Weighted<string> OlderMigrant = Weighted.Of(("20", 10), ("30", 20), ("40", 40), ("60", 120), ("70", 450), ("80", 300), ("90", 60));

    /// <summary>The education code for this person, or null below school age; <paramref name="studying"/> says whether someone aged 18–22 is still in education.</summary>
    public static string? For(CityRandom random, int age, bool migrant, bool studying) => age switch
    {
        < 6 => null,
        < 12 => "80",
        < 15 => "70",
        < 18 => Secondary.Sample(random),
        <= 22 when studying => (migrant ? StudentsMigrant : StudentsRegistered).Sample(random),
        <= 22 => (migrant ? LeaversMigrant : Leavers).Sample(random),
        <= 35 => (migrant ? YoungMigrant : Young).Sample(random),
        <= 50 => (migrant ? MiddleMigrant : Middle).Sample(random),
        <= 65 => (migrant ? OlderMigrant : Older).Sample(random),
        _ => (migrant ? OlderMigrant : Elderly).Sample(random),
    };

    /// <summary>Whether the code is a college degree or above (大专 30 and up), which shapes the occupation.</summary>
    public static bool IsCollege(string? code) => code is "11" or "14" or "10" or "20" or "30";

    public static bool IsBasic(string? code) => code is "70" or "80" or "90";
}
