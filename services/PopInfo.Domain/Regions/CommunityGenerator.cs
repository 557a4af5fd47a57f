using System.Globalization;

namespace PopInfo.Domain.Regions;

/// <summary>
/// Generates the communities (社区) and villages (村) below a street or town. The divisions file stops at
/// township level, so the platform needs plausible, stable community codes for synthetic data.
/// Every choice is derived from the street code with <see cref="StableHash"/>: the same street gives the
/// same communities on every machine and every run, which keeps generated data sets comparable.
/// </summary>
internal static class CommunityGenerator
{
    // The statistics bureau's convention for the last three digits of a twelve-digit code:
    // 001–199 residents' committees (社区, urban), 200–399 villagers' committees (村, rural).
    private const int FirstResidentsCommittee = 1;
    private const int FirstVillagersCommittee = 200;

    public static Region[] Generate(Region street)
    {
        var (residents, villages) = CountsFor(street.Code);
        var roots = PickNameRoots(street.Code, residents + villages);
        var communities = new Region[residents + villages];
        for (var i = 0; i < residents; i++)
        {
            communities[i] = new Region(
                street.Code + (FirstResidentsCommittee + i).ToString("D3", CultureInfo.InvariantCulture),
                RegionLevel.Community,
                roots[i] + "社区",
                street.Code);
        }

        for (var i = 0; i < villages; i++)
        {
            communities[residents + i] = new Region(
                street.Code + (FirstVillagersCommittee + i).ToString("D3", CultureInfo.InvariantCulture),
                RegionLevel.Community,
                roots[residents + i] + "村",
                street.Code);
        }

        return communities;
    }

    /// <exception cref="InvalidDataException">The code's last three digits are not a known kind of township unit.</exception>
    public static StreetKind KindOf(string streetCode)
    {
        var suffix = int.Parse(streetCode.AsSpan(6, 3), CultureInfo.InvariantCulture);
        return suffix switch
        {
            >= 1 and <= 99 => StreetKind.Subdistrict,
            >= 100 and <= 399 => StreetKind.Town,
            >= 400 and <= 599 => StreetKind.DevelopmentZone,
            _ => throw new InvalidDataException($"Street code {streetCode} has suffix {suffix:D3}, which is no known kind of township unit."),
        };
    }

    // The ranges give Wuxi's 88 township units 1,064 communities in all, within the 1,000–1,600 a city of
    // 7.5 million residents in 7 districts and county-level cities plausibly has.
    private static (int Residents, int Villages) CountsFor(string streetCode)
    {
        var residentsHash = StableHash.Fnv1a(streetCode + ":residents");
        var villagesHash = StableHash.Fnv1a(streetCode + ":villages");
        return KindOf(streetCode) switch
        {
            StreetKind.Subdistrict => (Between(residentsHash, 8, 20), 0),
            StreetKind.Town => (Between(residentsHash, 2, 5), Between(villagesHash, 6, 16)),
            _ => (Between(residentsHash, 3, 8), 0),
        };
    }

    private static int Between(uint hash, int min, int max) => min + (int)(hash % (uint)(max - min + 1));

    // A partial Fisher–Yates shuffle of the word list: the first `count` words are distinct by construction,
    // so no two communities of one street share a name, even a 社区 and a 村.
    private static string[] PickNameRoots(string streetCode, int count)
    {
        var words = CommunityNameRoots.Words;
        if (count > words.Count)
        {
            throw new InvalidOperationException($"Street {streetCode} needs {count} community names but only {words.Count} words exist.");
        }

        var order = new int[words.Count];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        var seed = StableHash.Fnv1a(streetCode + ":names");
        var picked = new string[count];
        for (var i = 0; i < count; i++)
        {
            var j = i + (int)(StableHash.Mix(seed, i) % (uint)(order.Length - i));
            (order[i], order[j]) = (order[j], order[i]);
            picked[i] = words[order[i]];
        }

        return picked;
    }
}
