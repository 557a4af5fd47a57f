using System.Text.Json;
using PopInfo.ServiceDefaults.Projections;

namespace PopInfo.UnitTests.Projections;

/// <summary>
/// The registry's snapshot read into a projection's rows (docs/registry.md, "Format"): the header's sequence first, the
/// versions in batches, and a stream cut off (no trailer, another count, a line out of place) refused.
/// </summary>
public class SnapshotStreamTests
{
    private const string Header = """{"kind":"header","sequence":42,"takenAt":"2026-12-06T01:00:00Z","fields":["name","sex"],"history":false}""";

    // The record kept as it came (as the sharing service keeps a person's granted fields).
    private static readonly SnapshotMapping<Row> AsJson = SnapshotMapping.Of<JsonElement, Row>(["name", "sex"], history: false,
        line => new Row(line.PersonId, line.Version, line.ChangeType!, line.Record.GetProperty("name").GetString()!));

    private static string Version(int version, string name = "王芳", bool current = true) =>
        $$$"""{"kind":"version","personId":"0198f0c2-6a3e-7c59-9b5d-3f1e2a4b5c6d","version":{{{version}}},"current":{{{(current ? "true" : "false")}}},"changeType":"registered","occurredAt":"2020-10-31T16:00:00Z","recordedAt":"2020-11-01T02:00:00Z","supersededAt":null,"record":{"name":"{{{name}}}","sex":"2"}}""";

    private static string End(int count) => $$"""{"kind":"end","count":{{count}}}""";

    [Fact]
    public async Task The_header_comes_first_then_the_versions_in_batches()
    {
        var parts = await ReadAsync(AsJson, batchSize: 2, Header, Version(1, "甲"), "", Version(2, "乙"), Version(3, "丙"), End(3));

        Assert.Equal([42, 42, 42], parts.Select(p => p.Sequence));
        Assert.Equal([0, 2, 1], parts.Select(p => p.Versions.Count));
        var rows = parts.SelectMany(p => p.Versions).ToList();
        Assert.Equal([1, 2, 3], rows.Select(r => r.Version));
        Assert.Equal(["甲", "乙", "丙"], rows.Select(r => r.Name));
        Assert.All(rows, r => Assert.Equal(Guid.Parse("0198f0c2-6a3e-7c59-9b5d-3f1e2a4b5c6d"), r.Person));
        Assert.All(rows, r => Assert.Equal("registered", r.ChangeType));
    }

    [Fact]
    public async Task A_typed_record_gets_the_line_s_times_and_fields()
    {
        var typed = SnapshotMapping.Of<NameAndSex, SnapshotLine<NameAndSex>>(["name", "sex"], history: true, line => line);

        var line = (await ReadAsync(typed, batchSize: 10, Header, Version(1, current: false), End(1))).SelectMany(p => p.Versions).Single();

        Assert.Equal(new NameAndSex("王芳", "2"), line.Record);
        Assert.False(line.Current);
        Assert.Null(line.SupersededAt);
        Assert.Equal(new DateTimeOffset(2020, 10, 31, 16, 0, 0, TimeSpan.Zero), line.OccurredAt);
        Assert.Equal(new DateTimeOffset(2020, 11, 1, 2, 0, 0, TimeSpan.Zero), line.RecordedAt);
    }

    [Fact]
    public async Task An_empty_register_gives_its_sequence_and_no_versions()
    {
        var parts = await ReadAsync(AsJson, batchSize: 2, Header, End(0));

        Assert.Equal(42, Assert.Single(parts).Sequence);
        Assert.Empty(parts[0].Versions);
    }

    [Theory]
    [InlineData("missing trailer", "The snapshot ended after 2 versions without its trailer.")]
    [InlineData("other count", "The snapshot announced 3 versions and sent 2.")]
    [InlineData("no header", "Unexpected snapshot line of kind 'version'.")]
    public async Task A_cut_off_snapshot_is_refused(string how, string message)
    {
        string[] lines = how switch
        {
            "missing trailer" => [Header, Version(1), Version(2)],
            "other count" => [Header, Version(1), Version(2), End(3)],
            _ => [Version(1), Version(2), End(2)],
        };

        var error = await Assert.ThrowsAsync<RegistryFeedClient<Row>.TruncatedSnapshotException>(
            () => ReadAsync(AsJson, batchSize: 1, lines));
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void The_request_names_the_fields_and_the_history_asked_for()
    {
        Assert.Equal("api/v1/snapshot?fields=name,sex&history=false", AsJson.RequestUri);
        Assert.Equal("api/v1/snapshot?fields=sex&history=true", SnapshotMapping.Of<JsonElement, int>(["sex"], history: true, line => line.Version).RequestUri);
    }

    private static async Task<List<RegistryFeedClient<TRow>.SnapshotPart>> ReadAsync<TRow>(SnapshotMapping<TRow> mapping, int batchSize, params string[] lines)
    {
        using var reader = new StringReader(string.Join('\n', lines) + "\n");
        var parts = new List<RegistryFeedClient<TRow>.SnapshotPart>();
        await foreach (var part in SnapshotStream.ReadAsync(reader, mapping, batchSize, CancellationToken.None))
        {
            parts.Add(part);
        }

        return parts;
    }

    private sealed record Row(Guid Person, int Version, string ChangeType, string Name);

    private sealed record NameAndSex(string Name, string Sex);
}
