using PopInfo.Domain.Statistics;

namespace PopInfo.UnitTests.Statistics;

public class CellKeyPerturbationTests
{
    private static readonly CellKeyPerturbation Method = new();

    private static IEnumerable<uint> SpreadKeys(int n) => Enumerable.Range(0, n).Select(i => (uint)((ulong)i * uint.MaxValue / (ulong)n));

    [Fact]
    public void Zero_stays_zero()
    {
        Assert.All(SpreadKeys(1000), key => Assert.Equal(0, Method.Publish(0, key)));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void No_small_count_is_ever_published(int count)
    {
        var published = SpreadKeys(10_000).Select(k => Method.Publish(count, k)).Distinct().Order().ToList();
        Assert.Equal([0, 5], published);
    }

    [Fact]
    public void Large_counts_move_by_at_most_the_largest_noise_and_never_below_the_threshold()
    {
        for (var count = 5; count <= 60; count++)
        {
            var values = SpreadKeys(5000).Select(k => Method.Publish(count, k)).ToList();
            Assert.All(values, v => Assert.InRange(v, Math.Max(5, count - 4), count + 4));
        }

        // A large count uses the whole range of noise.
        Assert.Equal(Enumerable.Range(96, 9).Select(v => (long)v), SpreadKeys(100_000).Select(k => Method.Publish(100, k)).Distinct().Order());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(7)]
    [InlineData(9)]
    [InlineData(1000)]
    public void The_noise_is_unbiased(int count)
    {
        var noise = Method.NoiseOf(count);
        Assert.Equal(1.0, noise.Sum(n => n.Probability), 12);
        Assert.Equal(0.0, noise.Sum(n => n.Probability * n.Noise), 12);
        // And what the keys give matches the table: the mean over evenly spread keys is the count.
        Assert.Equal(count, SpreadKeys(200_000).Average(k => (double)Method.Publish(count, k)), 2);
    }

    [Fact]
    public void The_same_cell_key_always_gives_the_same_value()
    {
        var random = new Random(7);
        for (var i = 0; i < 1000; i++)
        {
            var key = (uint)random.NextInt64(0, uint.MaxValue);
            var count = random.Next(0, 500);
            Assert.Equal(Method.Publish(count, key), new CellKeyPerturbation().Publish(count, key));
        }
    }

    [Fact]
    public void The_large_count_variance_is_what_the_documentation_says()
    {
        // docs/analytics.md states the variance of the noise of large counts: about 3.4 with the defaults.
        Assert.Equal(3.4, Method.LargeCountVariance, 1);
    }

    [Fact]
    public void Parameters_are_checked()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new CellKeyPerturbation(threshold: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CellKeyPerturbation(sigma: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Method.Publish(-1, 0));
    }
}
