using System.Text.Json;
using PopInfo.Contracts;
using PopInfo.SyntheticCity.Generation;

namespace PopInfo.SyntheticCity.Tests;

public sealed class DeterminismTests
{
    [Fact]
    public void The_same_seed_and_size_give_the_same_households_and_people()
    {
        var first = Cities.Generate(seed: 7, people: 5_000);
        var second = Cities.Generate(seed: 7, people: 5_000);

        Assert.Equal(Fingerprint(first), Fingerprint(second));
    }

    [Fact]
    public void Another_seed_gives_other_people()
    {
        var a = Cities.Generate(seed: 7, people: 2_000).People().Select(p => p.IdNumber).ToHashSet(StringComparer.Ordinal);
        var b = Cities.Generate(seed: 8, people: 2_000).People().Select(p => p.IdNumber);

        Assert.True(b.Count(a.Contains) < 20);
    }

    [Fact]
    public void A_smaller_city_is_the_beginning_of_a_larger_one_with_the_same_seed()
    {
        var small = Cities.Generate(seed: 42, people: 3_000);
        var large = Cities.TwoHundredThousand;

        // The last household of the small city may be cut short to hit the size exactly.
        Assert.Equal(Fingerprint(small.SkipLast(1)), Fingerprint(large.Take(small.Count - 1)));
    }

    [Fact]
    public void The_size_is_exact()
    {
        Assert.Equal(12_345, Cities.Generate(seed: 1, people: 12_345).People().Count());
        Assert.Single(Cities.Generate(seed: 1, people: 1).People());
    }

    // Everything a load writes, in order: households' columns and every member's full record.
    private static List<string> Fingerprint(IEnumerable<GeneratedHousehold> households) =>
        [.. households.SelectMany(h => new[] { $"{h.Id}|{h.Number}|{h.Address}|{h.RegionCode}|{h.Collective}" }
            .Concat(h.Members.Select(p => JsonSerializer.Serialize(p, Json.Options))))];
}
