using System.Text.Json;
using PopInfo.Contracts;
using PopInfo.Domain.Identity;
using PopInfo.SyntheticCity.Generation;
using PopInfo.SyntheticCity.Loading;

namespace PopInfo.SyntheticCity.Tests;

public sealed class PieceTests
{
    [Fact]
    public void The_batch_writes_each_record_exactly_as_the_registry_serialises_it()
    {
        var batch = new PersonBatch();
        foreach (var unit in Cities.Units(new CitySpec(3, 2_000, Cities.AsOf)))
        {
            batch.Add(unit);
        }

        Assert.Equal(2_000, batch.Living);
        Assert.True(batch.History.Count > 500);
        for (var i = 0; i < batch.Count; i++)
        {
            var expected = JsonSerializer.SerializeToUtf8Bytes(batch.People[i].Record, Json.Options);
            Assert.True(expected.AsSpan().SequenceEqual(batch.JsonOf(i).Span), $"record {i} differs");
        }

        // Every superseded version, superseded when the next one was recorded; the current one in persons.
        var versions = Cities.Units(new CitySpec(3, 2_000, Cities.AsOf)).SelectMany(u => u.People)
            .SelectMany(p => p.Versions.SkipLast(1).Select((v, i) => (p.Record.PersonId, i + 1, v.ChangeType, v.OccurredAt, v.RecordedAt, p.Versions[i + 1].RecordedAt, v.Record)))
            .ToList();
        Assert.Equal(versions.Count, batch.History.Count);
        for (var i = 0; i < batch.History.Count; i++)
        {
            var row = batch.History[i];
            var record = JsonSerializer.Deserialize<PopInfo.Contracts.Registry.PersonRecord>(batch.HistoryJsonOf(i).Span, Json.Options)!;
            Assert.Equal(versions[i], (row.PersonId, row.Version, row.ChangeType, row.OccurredAt, row.RecordedAt, row.SupersededAt, record));
        }
    }

    [Fact]
    public void Two_allocators_with_their_own_ranges_never_hand_out_the_same_number()
    {
        var asOf = new DateOnly(2026, 1, 1);
        var living = new IdentityAllocator(asOf.AddYears(-105), asOf, 0, IdentityAllocator.LivingSlots);
        var history = new IdentityAllocator(asOf.AddYears(-105), asOf, IdentityAllocator.LivingSlots, 500 - IdentityAllocator.LivingSlots);
        var numbers = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < IdentityAllocator.LivingSlots; i++)
        {
            var birth = new DateOnly(1990, 6, 15);
            Assert.True(numbers.Add(living.Allocate("320213", ref birth, male: false)));
            Assert.Equal(new DateOnly(1990, 6, 15), birth);
        }

        for (var i = 0; i < 500 - IdentityAllocator.LivingSlots; i++)
        {
            var birth = new DateOnly(1990, 6, 15);
            Assert.True(numbers.Add(history.Allocate("320213", ref birth, male: false)));
            Assert.Equal(new DateOnly(1990, 6, 15), birth);
        }

        Assert.Equal(500, numbers.Count);
    }

    [Fact]
    public void A_full_birth_date_moves_to_the_next_free_day_and_numbers_stay_unique()
    {
        var asOf = new DateOnly(2026, 1, 1);
        var allocator = new IdentityAllocator(asOf.AddYears(-105), asOf);
        var numbers = new HashSet<string>(StringComparer.Ordinal);
        var dates = new List<DateOnly>();
        for (var i = 0; i < 600; i++)
        {
            var birth = new DateOnly(1990, 6, 15);
            numbers.Add(allocator.Allocate("320213", ref birth, male: true));
            dates.Add(birth);
        }

        Assert.Equal(600, numbers.Count);
        Assert.Equal(500, dates.Count(d => d == new DateOnly(1990, 6, 15)));
        Assert.Equal(100, dates.Count(d => d == new DateOnly(1990, 6, 16)));
        Assert.Equal(100, allocator.DatesMoved);
        Assert.All(numbers, n => Assert.True(IdentityNumber.Parse(n).Parts!.IsMale));
    }

    [Fact]
    public void A_date_never_moves_past_the_reference_date()
    {
        var asOf = new DateOnly(2026, 1, 1);
        var allocator = new IdentityAllocator(asOf.AddYears(-105), asOf);
        for (var i = 0; i < 501; i++)
        {
            var birth = asOf;
            allocator.Allocate("320205", ref birth, male: false);
            Assert.True(birth <= asOf);
        }
    }

    [Fact]
    public void Weighted_draws_follow_the_weights()
    {
        var table = Weighted.Of(("a", 1), ("b", 3));
        var random = new CityRandom(5);
        var b = Enumerable.Range(0, 40_000).Count(_ => table.Sample(random) == "b");
        Assert.InRange(b, 29_000, 31_000);
    }

    [Fact]
    public void The_random_stream_is_the_same_for_the_same_seed_and_bounded()
    {
        var a = new CityRandom(99);
        var b = new CityRandom(99);
        for (var i = 0; i < 1000; i++)
        {
            var x = a.Next(17);
            Assert.Equal(x, b.Next(17));
            Assert.InRange(x, 0, 16);
        }
    }
}
