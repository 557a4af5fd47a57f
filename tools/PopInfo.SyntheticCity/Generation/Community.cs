using PopInfo.Domain.Regions;

namespace PopInfo.SyntheticCity.Generation;

/// <summary>
/// A community or village with what addresses there need: its roads and housing estates (chosen by a
/// hash of its code, so they never depend on the seed), and the counters that number its households.
/// </summary>
internal sealed class Community
{
    private static readonly string[] EstateRoots =
    [
        "清扬", "梅园", "惠峰", "蠡湖", "金科", "春江", "太湖", "湖滨", "梁溪", "运河", "新城", "东方", "阳光", "翠竹",
        "桃园", "兰亭", "紫金", "香樟", "御景", "凤凰", "天鹅", "名都", "锦绣", "锡惠", "长江", "华庄", "芙蓉", "映月",
        "红星", "光明", "丽景", "枫林", "水岸", "观山", "听涛", "九里", "望湖", "泰和",
    ];

    private static readonly string[] EstateSuffixes = ["新村", "花园", "苑", "家园", "名邸", "雅苑", "嘉园", "公寓", "小区", "华庭"];

    private int _familyCount;
    private int _collectiveCount;
    private int _formerFamilyCount;
    private int _formerCollectiveCount;

    public Community(Region region, Region street, DistrictProfile district)
    {
        Region = region;
        Street = street;
        District = district;
        // Codes 200–399 below a town are villagers' committees (村); everything else is urban.
        IsVillage = region.Code[9] is '2' or '3';
        Roads = [PickRoad(0), PickRoad(1), PickRoad(2)];
        Estates = [PickEstate(0), PickEstate(1)];
        OldAddressCode = OldCodeFor(street.Code, district.Code);
    }

    public Region Region { get; }

    public Region Street { get; }

    public DistrictProfile District { get; }

    public string Code => Region.Code;

    public bool IsVillage { get; }

    public string[] Roads { get; }

    public string[] Estates { get; }

    /// <summary>The address code identity numbers issued here carried before the 2015 reorganisation.</summary>
    public string OldAddressCode { get; }

    /// <summary>A household number unique in the city: the community's twelve digits and a serial.</summary>
    /// <remarks>Collective households (集体户) carry a 'J' so the two series never meet.</remarks>
    public string NextHouseholdNumber(bool collective)
    {
        if (collective)
        {
            var n = ++_collectiveCount;
            return n <= 99_999 ? $"{Code}J{n:D5}" : throw Exhausted();
        }

        var f = ++_familyCount;
        return f <= 999_999 ? $"{Code}{f:D6}" : throw Exhausted();
    }

    /// <summary>
    /// The number of a household of the city's past (one that has left since): the same form, counted down
    /// from the top of the serials, so it never meets the living city's numbers and never shifts them.
    /// </summary>
    public string NextFormerHouseholdNumber(bool collective)
    {
        if (collective)
        {
            var n = 99_999 - _formerCollectiveCount++;
            return n > _collectiveCount ? $"{Code}J{n:D5}" : throw Exhausted();
        }

        var f = 999_999 - _formerFamilyCount++;
        return f > _familyCount ? $"{Code}{f:D6}" : throw Exhausted();
    }

    /// <summary>A plausible address in this community: estate, road or village group.</summary>
    public string Address(CityRandom random)
    {
        var prefix = District.AddressPrefix;
        if (IsVillage)
        {
            return $"{prefix}{Street.Name}{Region.Name}{random.Between(1, 16)}组{random.Between(1, 120)}号";
        }

        var floor = random.Between(1, 18);
        var room = (floor * 100) + random.Between(1, 4);
        return random.Next(100) < 55
            ? $"{prefix}{Estates[random.Next(2)]}{random.Between(1, 60)}幢{room}室"
            : $"{prefix}{Roads[random.Next(3)]}{random.Between(1, 999)}号{random.Between(1, 30)}幢{random.Between(1, 4)}单元{room}室";
    }

    /// <summary>The address of a collective household: a works dormitory, a student residence or a care home.</summary>
    public string CollectiveAddress(CityRandom random, CollectiveKind kind)
    {
        var place = $"{District.AddressPrefix}{Roads[random.Next(3)]}{random.Between(1, 999)}号";
        return kind switch
        {
            CollectiveKind.Dormitory => $"{place}员工宿舍{random.Between(1, 12)}号楼",
            CollectiveKind.Students => $"{place}学生公寓{random.Between(1, 20)}号楼",
            _ => $"{place}{Street.Name}敬老院",
        };
    }

    private string PickRoad(int i)
    {
        var roads = District.Roads;
        return roads[(int)(Fnv.Hash(Code, "road" + i) % (uint)roads.Length)];
    }

    private string PickEstate(int i) =>
        EstateRoots[Fnv.Hash(Code, "estate-root" + i) % (uint)EstateRoots.Length]
        + EstateSuffixes[Fnv.Hash(Code, "estate-suffix" + i) % (uint)EstateSuffixes.Length];

    // 梁溪区 (2015) merged 崇安 320202, 南长 320203 and 北塘 320204; 新吴区 (2015) was carved from 滨湖 320211
    // and 锡山 320205. Numbers issued before keep those codes, decided per street so neighbours agree.
    private static string OldCodeFor(string streetCode, string districtCode) => districtCode switch
    {
        "320213" => (Fnv.Hash(streetCode, "old") % 3) switch { 0 => "320202", 1 => "320203", _ => "320204" },
        "320214" => Fnv.Hash(streetCode, "old") % 10 < 7 ? "320211" : "320205",
        _ => districtCode,
    };

    private InvalidOperationException Exhausted() =>
        new($"Community {Code} ran out of household numbers.");
}

internal enum CollectiveKind
{
    Dormitory,
    Students,
    CareHome,
}
