using PopInfo.Contracts.Registry;

namespace PopInfo.SyntheticCity.Generation;

/// <summary>
/// The migrant side of a person: where they are registered at home, when they came, why, and how long
/// they mean to stay. Heads mostly came to work or trade; spouses, children and parents follow them
/// (随迁, "family"), students come to study; the stay a reason implies is drawn from a table per reason.
/// </summary>
internal static class Migration
{
    private static readonly string[] Towns =
    [
        "城关", "新集", "高庙", "杨桥", "张集", "黄岭", "李桥", "王集", "白庙", "双河", "龙潭", "桥头", "石桥", "太平",
        "永安", "长宁", "三河", "马店", "古城", "青龙", "金山", "大桥", "柳林", "观音", "河口", "新店",
    ];

    private static readonly string[] VillageRoots =
    [
        "东风", "红旗", "光明", "新民", "前进", "团结", "胜利", "和平", "幸福", "丰收", "联合", "跃进", "建新", "友谊",
        "王庄", "李湾", "张营", "刘楼", "陈店", "杨集", "赵沟", "周岗", "吴圩", "孙塘", "朱庄", "胡湾", "郭营", "何楼",
    ];

    // Months since arrival: a fifth came within the year, a sixth over ten years ago.
    private static readonly Weighted<(int Min, int Max)> MonthsAgo = Weighted.Of(
        ((0, 11), 18), ((12, 35), 25), ((36, 59), 18), ((60, 119), 22), ((120, 239), 14), ((240, 360), 3));

    private static readonly Weighted<string> HeadReason = Weighted.Of(("work", 74), ("business", 16), ("family", 4), ("other", 6));
    private static readonly Weighted<string> OlderHeadReason = Weighted.Of(("family", 60), ("work", 15), ("other", 25));
    private static readonly Weighted<string> SpouseReason = Weighted.Of(("work", 55), ("family", 38), ("business", 5), ("other", 2));
    private static readonly Weighted<string> AdultChildReason = Weighted.Of(("work", 80), ("family", 20));
    private static readonly Weighted<string> InLawReason = Weighted.Of(("work", 75), ("family", 25));
    private static readonly Weighted<string> ParentReason = Weighted.Of(("family", 85), ("other", 15));
    private static readonly Weighted<string> DormitoryReason = Weighted.Of(("work", 90), ("business", 2), ("other", 8));

    private static readonly Dictionary<string, Weighted<int>> Stays = new(StringComparer.Ordinal)
    {
        ["work"] = Weighted.Of((6, 5), (12, 25), (24, 20), (36, 20), (60, 15), (120, 10), (240, 5)),
        ["business"] = Weighted.Of((12, 10), (36, 30), (60, 30), (120, 20), (240, 10)),
        ["study"] = Weighted.Of((12, 10), (36, 30), (48, 50), (60, 10)),
        ["family"] = Weighted.Of((12, 15), (24, 15), (36, 20), (60, 25), (120, 20), (240, 5)),
        ["other"] = Weighted.Of((3, 20), (6, 30), (12, 30), (24, 20)),
    };

    /// <summary>The household registration address back home, e.g. 安徽省阜阳市临泉县杨桥镇王庄村3组.</summary>
    public static string HomeAddress(CityRandom random, OriginCounty origin) =>
        $"{origin.FullName}{Towns[random.Next(Towns.Length)]}镇{VillageRoots[random.Next(VillageRoots.Length)]}村{random.Between(1, 12)}组";

    /// <summary>When the household's first member arrived.</summary>
    public static DateOnly HouseholdArrival(CityRandom random, DateOnly asOf)
    {
        var (min, max) = MonthsAgo.Sample(random);
        return asOf.AddMonths(-random.Between(min, max)).AddDays(-random.Next(28));
    }

    /// <summary>When this member arrived: with or after the household, never before birth nor after the reference date.</summary>
    public static DateOnly MemberArrival(CityRandom random, Role role, DateOnly householdArrival, DateOnly birthDate, DateOnly asOf)
    {
        var laterMonths = role switch
        {
            Role.Head => 0,
            Role.Housemate => random.Next(24),
            Role.Spouse or Role.ChildInLaw => random.Next(100) < 60 ? 0 : random.Between(1, 24),
            Role.ParentOfHead => random.Between(6, 96),
            _ => random.Next(100) < 50 ? 0 : random.Between(1, 36),
        };
        var arrival = householdArrival.AddMonths(laterMonths);
        if (arrival > asOf)
        {
            arrival = asOf;
        }

        return arrival < birthDate ? birthDate : arrival;
    }

    public static string Reason(CityRandom random, Role role, int age, bool studying, CollectiveKind? collective)
    {
        if (studying)
        {
            return "study";
        }

        if (collective is { } kind)
        {
            return kind == CollectiveKind.Dormitory ? DormitoryReason.Sample(random) : "family";
        }

        return role switch
        {
            Role.Head or Role.Housemate => (age >= 60 ? OlderHeadReason : HeadReason).Sample(random),
            Role.Spouse => SpouseReason.Sample(random),
            Role.Child when age > 22 => AdultChildReason.Sample(random),
            Role.ChildInLaw => InLawReason.Sample(random),
            Role.ParentOfHead => ParentReason.Sample(random),
            _ => "family",
        };
    }

    public static MigrantDetails Details(CityRandom random, OriginCounty origin, DateOnly arrival, string reason) => new()
    {
        OriginRegionCode = origin.Code,
        ArrivalDate = arrival,
        Reason = reason,
        ExpectedStayMonths = Stays[reason].Sample(random),
    };
}
