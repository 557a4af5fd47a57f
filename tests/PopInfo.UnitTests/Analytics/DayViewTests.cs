using PopInfo.Analytics.Engine;
using PopInfo.Domain.Regions;

namespace PopInfo.UnitTests.Analytics;

/// <summary>
/// A day view under a long run of changes — people arriving, changing and leaving, the tail growing past the point where
/// the words are put in order again, several times — against a plain dictionary of who holds which word: the same
/// people, each word in its core combination's run, the same core counts, and the same cells for tables that read the
/// core only, the core and one other window, and several.
/// </summary>
public class DayViewTests
{
    private static readonly Categories Categories = new(RegionCatalogue.Wuxi);
    private static readonly PackedLayout Layout = new(Categories);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void A_view_under_changes_holds_the_same_people_as_a_plain_model(int seed)
    {
        var random = new Random(seed);
        var view = new DayView(Layout, new DateOnly(2026, 6, 1).DayNumber, TimeBasis.Occurred, persons: 10, earliestBirthDay: new DateOnly(1920, 1, 1).DayNumber, expected: 10);
        var model = new Dictionary<int, ulong>();
        var bindingSets = BindingSets();
        bool sawTombstones = false, sawTail = false;
        // Made as the index makes a view: everyone set, then ordered once.
        for (var person = 0; person < 2500; person++)
        {
            model[person] = RandomWord(random);
            view.Set(person, model[person], tidy: false);
        }

        view.Order();
        for (var step = 1; step <= 40_000; step++)
        {
            var person = random.Next(3000);
            if (random.Next(4) == 0)
            {
                view.Remove(person);
                model.Remove(person);
            }
            else
            {
                var word = RandomWord(random);
                view.Set(person, word);
                model[person] = word;
            }

            if (step % 3000 == 0)
            {
                sawTombstones |= view.Words.Take(view.OrderedLength).Any(w => w == DayView.Tombstone);
                sawTail |= view.Length > view.OrderedLength;
                AssertSame(view, model);
                foreach (var (bindings, cells) in bindingSets)
                {
                    AssertCounts(view, model, bindings, cells);
                }
            }
        }

        Assert.True(sawTombstones && sawTail, $"tombstones seen: {sawTombstones}, a tail seen: {sawTail}");
        view.Order();
        Assert.Equal(view.Length, view.OrderedLength);
        AssertSame(view, model);
    }

    private static void AssertSame(DayView view, Dictionary<int, ulong> model)
    {
        var held = view.Words.Take(view.Length).Where(w => w != DayView.Tombstone).Order().ToList();
        Assert.Equal(model.Values.Order().ToList(), held);
        Assert.Equal(model.Count, view.People);
        var coreMask = (1UL << (Layout.Windows[1].Shift + Layout.Windows[1].Width)) - 1;
        for (var e = 0; e < view.Runs; e++)
        {
            for (var i = view.RunStart[e]; i < view.RunStart[e + 1]; i++)
            {
                Assert.True(view.Words[i] == DayView.Tombstone || (int)(view.Words[i] & coreMask) == view.RunCore[e], $"word {i} outside its run {e}");
            }
        }

        var byCore = model.Values.GroupBy(w => (int)(w & coreMask)).ToDictionary(g => g.Key, g => (Count: g.Count(), Keys: g.Aggregate(0u, (k, w) => k + Key(w))));
        for (var e = 0; e < view.CoreCount; e++)
        {
            var expected = byCore.GetValueOrDefault(view.CoreWords[e]);
            Assert.Equal(expected.Count, view.CoreCounts[e]);
            Assert.Equal(expected.Keys, view.CoreKeySums[e]);
        }
    }

    private static void AssertCounts(DayView view, Dictionary<int, ulong> model, IReadOnlyList<Binding> bindings, int cells)
    {
        // One to four partitions: the kept runs cut between them at different places.
        for (var partitions = 1; partitions <= 4; partitions++)
        {
            AssertCounts(view, model, bindings, cells, capacity: null, partitions);
        }

        // Accumulators emptied every 7 people: mid-run, in the tail, and runs longer than what is left of the room.
        AssertCounts(view, model, bindings, cells, capacity: 7, partitions: 3);
    }

    private static void AssertCounts(DayView view, Dictionary<int, ulong> model, IReadOnlyList<Binding> bindings, int cells, int? capacity, int partitions)
    {
        var counts = ViewCounter.Count(view, Layout, bindings, cells, capacity, partitions);
        var expected = new CellCounts(cells);
        foreach (var word in model.Values)
        {
            var cell = 0;
            foreach (var b in bindings)
            {
                var f = Layout.FieldOf(b.Source);
                var category = b.CategoryOfPacked((int)(word >> f.Shift) & f.Mask);
                cell = category < 0 || cell < 0 ? -1 : cell + (category * b.Stride);
            }

            if (cell >= 0)
            {
                expected.Counts[cell]++;
                expected.Keys[cell] += Key(word);
            }
        }

        Assert.Equal(expected.Counts, counts.Counts);
        Assert.Equal(expected.Keys, counts.Keys);
    }

    private static uint Key(ulong word) => (uint)(word >> Layout.KeyShift) << (32 - Layout.KeyBits);

    // People spread over a few communities and every field, so that runs have several words and tables several cells.
    private static ulong RandomWord(Random random) => Layout.Pack((uint)random.NextInt64(0, 1L << 32), random.Next(5), random.Next(101),
        (byte)random.Next(1, 3), (byte)random.Next(1, 3), (byte)random.Next(0, 5), (byte)random.Next(0, 4), (byte)random.Next(0, 3), (byte)random.Next(0, 4), (byte)random.Next(0, 3));

    private static List<(IReadOnlyList<Binding> Bindings, int Cells)> BindingSets()
    {
        static int[] Codes(int size, Func<int, int> category) => [.. Enumerable.Range(0, size).Select(category)];
        var byCommunity = new Binding(Source.Community, Codes(Categories.Communities.Count, c => c < 5 ? c : -1), 0, 1);
        // Every community a category (read word by word, no run dropped), and a filter keeping two of the five.
        var everyCommunity = new Binding(Source.Community, Codes(Categories.Communities.Count, c => c % 5), 0, 1);
        var twoCommunities = new Binding(Source.Community, Codes(Categories.Communities.Count, c => c is 1 or 3 ? 0 : -1), 0, 0);
        var sex = new Binding(Source.Sex, Codes(256, v => v is 1 or 2 ? v - 1 : -1), 0, 5);
        var over60 = new Binding(Source.BirthDay, [], 0, 0, Codes(101, a => a >= 60 ? 0 : -1));
        var band = new Binding(Source.BirthDay, [], 0, 10, Codes(101, a => Math.Min(a / 5, 20)));
        // As the service's own bindings do, a value no person has (a tombstone's all-ones) gets a category: the counter must
        // skip tombstones itself.
        var education = new Binding(Source.Education, Codes(256, v => v < 5 ? v : 0), 0, 10);
        var marital = new Binding(Source.Marital, Codes(256, v => v < 4 ? v : -1), 0, 50);
        var migrantsOnly = new Binding(Source.ResidenceType, Codes(256, v => v == 2 ? 0 : -1), 0, 0);
        var province = new Binding(Source.Province, Codes(256, v => v < 4 ? v : -1), 0, 10);
        var reason = new Binding(Source.Reason, Codes(256, v => v < 3 ? v : -1), 0, 40);
        return
        [
            ([byCommunity, sex, band], 5 * 2 * 21),
            ([byCommunity, sex, over60, education], 5 * 2 * 5),
            ([byCommunity, education, marital], 5 * 10 * 4),
            ([migrantsOnly, province, reason], 10 * 4 * 3),
            ([everyCommunity, sex, over60, education], 5 * 2 * 5),
            ([everyCommunity, migrantsOnly, province, reason], 10 * 4 * 3),
            ([twoCommunities, sex, band, education], 5 + 200 + 40 + 1),
            ([twoCommunities, marital], 50 * 4),
            ([], 1),
        ];
    }
}
