using PopInfo.Analytics.Engine;
using PopInfo.Domain.Regions;

namespace PopInfo.UnitTests.Analytics;

/// <summary>The day views' word: every field in its own bits, windows small enough for a cached look-up, the key in the rest.</summary>
public class PackedLayoutTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly PackedLayout Layout = new(new Categories(RegionCatalogue.Wuxi));

    [Fact]
    public void Fields_do_not_overlap_and_sit_inside_their_windows()
    {
        var used = 0UL;
        foreach (var f in Layout.Fields)
        {
            var bits = (ulong)f.Mask << f.Shift;
            Assert.Equal(0UL, used & bits);
            used |= bits;
            var w = Layout.Windows[f.Window];
            Assert.True(f.Shift >= w.Shift && f.Shift + f.Width <= w.Shift + w.Width, $"{f.Source} outside window {w.Number}");
        }

        Assert.All(Layout.Windows, w => Assert.InRange(w.Width, 1, PackedLayout.WindowBits));
        Assert.Equal(Layout.KeyShift, 64 - System.Numerics.BitOperations.LeadingZeroCount(used));
        Assert.InRange(Layout.KeyBits, 16, PackedLayout.MaxKeyBits);
        Assert.True(Layout.KeyShift + Layout.KeyBits <= 64);
        output.WriteLine($"fields {Layout.KeyShift} bits in {Layout.Windows.Count} windows ({string.Join(", ", Layout.Windows.Select(w => w.Width))}); key {Layout.KeyBits} bits");
    }

    [Fact]
    public void The_core_windows_hold_region_age_sex_and_residence()
    {
        Source[] core = [Source.Community, Source.BirthDay, Source.Sex, Source.ResidenceType];
        Assert.All(core, s => Assert.True(Layout.FieldOf(s).Window < DayView.CoreWindows, $"{s} not in the core"));
        Assert.All(Layout.Fields.Where(f => !core.Contains(f.Source)), f => Assert.True(f.Window >= DayView.CoreWindows, $"{f.Source} in the core"));
    }

    [Fact]
    public void What_is_packed_reads_back_field_by_field()
    {
        var random = new Random(3);
        for (var i = 0; i < 1000; i++)
        {
            var key = (uint)random.NextInt64(0, 1L << 32);
            (Source Source, int Value)[] values =
            [
                (Source.Community, random.Next(RegionCatalogue.Wuxi.Communities.Count)),
                (Source.BirthDay, random.Next(101)),
                (Source.Sex, random.Next(1 << Layout.FieldOf(Source.Sex).Width)),
                (Source.ResidenceType, random.Next(3)),
                (Source.Education, random.Next(1 << Layout.FieldOf(Source.Education).Width)),
                (Source.Marital, random.Next(1 << Layout.FieldOf(Source.Marital).Width)),
                (Source.Ethnicity, random.Next(1 << Layout.FieldOf(Source.Ethnicity).Width)),
                (Source.Province, random.Next(1 << Layout.FieldOf(Source.Province).Width)),
                (Source.Reason, random.Next(1 << Layout.FieldOf(Source.Reason).Width)),
            ];
            var v = values.ToDictionary(p => p.Source, p => p.Value);
            var word = Layout.Pack(key, v[Source.Community], v[Source.BirthDay], (byte)v[Source.Sex], (byte)v[Source.ResidenceType], (byte)v[Source.Education],
                (byte)v[Source.Marital], (byte)v[Source.Ethnicity], (byte)v[Source.Province], (byte)v[Source.Reason]);
            foreach (var f in Layout.Fields)
            {
                Assert.Equal(v[f.Source], (int)(word >> f.Shift) & f.Mask);
            }

            Assert.Equal(Layout.KeepKeyBits(key), (uint)(word >> Layout.KeyShift) << (32 - Layout.KeyBits));
        }

        // Before birth and past 100: the ages no category and the open-ended one.
        Assert.Equal(PackedLayout.NotBorn, (int)(Layout.Pack(0, 0, -1, 0, 0, 0, 0, 0, 0, 0) >> Layout.FieldOf(Source.BirthDay).Shift) & Layout.FieldOf(Source.BirthDay).Mask);
        Assert.Equal(100, (int)(Layout.Pack(0, 0, 104, 0, 0, 0, 0, 0, 0, 0) >> Layout.FieldOf(Source.BirthDay).Shift) & Layout.FieldOf(Source.BirthDay).Mask);
    }
}
