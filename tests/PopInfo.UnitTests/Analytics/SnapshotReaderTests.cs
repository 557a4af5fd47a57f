using System.Net;
using System.Text;
using PopInfo.Analytics.Projection;

namespace PopInfo.UnitTests.Analytics;

/// <summary>The projection's reading of the registry's snapshot: the versions, and a cut-off stream noticed.</summary>
public class SnapshotReaderTests
{
    private const string Header = """{"kind":"header","sequence":42,"takenAt":"2026-12-06T01:00:00Z","fields":["sex"],"history":true}""";

    private static string Version(int version, string status = "living") =>
        $$$"""{"kind":"version","personId":"0198f0c2-6a3e-7c59-9b5d-3f1e2a4b5c6d","version":{{{version}}},"current":false,"changeType":"registered","occurredAt":"2020-10-31T16:00:00Z","recordedAt":"2020-10-31T16:00:00Z","supersededAt":null,"record":{"sex":"1","birthDate":"1980-02-29","ethnicity":"01","residenceRegionCode":"320205001001","residenceType":"migrant","migrant":{"originRegionCode":"341221","arrivalDate":"2019-01-01","reason":"work","expectedStayMonths":12},"status":"{{{status}}}"}}""";

    [Fact]
    public async Task A_whole_snapshot_gives_its_sequence_and_every_version()
    {
        var parts = await ReadAsync(string.Join('\n', Header, Version(1), Version(2, "deceased"), """{"kind":"end","count":2}""") + "\n");

        Assert.Equal(42, parts[0].Sequence);
        var versions = parts.SelectMany(p => p.Versions).ToList();
        Assert.Equal([1, 2], versions.Select(v => v.Version));
        Assert.Equal("341221", versions[0].Origin_Region_Code);
        Assert.Equal("work", versions[0].Migrant_Reason);
        Assert.Equal(new DateOnly(1980, 2, 29), versions[0].Birth_Date);
        Assert.Equal("deceased", versions[1].Status);
        Assert.All(versions, v => Assert.Null(v.Sequence));
    }

    [Theory]
    [InlineData(false, "without its trailer")]
    [InlineData(true, "announced 3")]
    public async Task A_cut_off_snapshot_is_refused(bool wrongCount, string message)
    {
        var body = string.Join('\n', Header, Version(1), Version(2)) + (wrongCount ? "\n{\"kind\":\"end\",\"count\":3}\n" : "\n");
        var error = await Assert.ThrowsAsync<RegistryReader.TruncatedSnapshotException>(() => ReadAsync(body));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    private static async Task<List<RegistryReader.SnapshotPart>> ReadAsync(string body)
    {
        using var http = new HttpClient(new Answer(body)) { BaseAddress = new Uri("http://registry/") };
        var parts = new List<RegistryReader.SnapshotPart>();
        await foreach (var part in new RegistryReader(http).ReadSnapshotAsync(100, CancellationToken.None))
        {
            parts.Add(part);
        }

        return parts;
    }

    private sealed class Answer(string body) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Assert.Contains("fields=sex,birthDate", request.RequestUri!.Query, StringComparison.Ordinal);
            Assert.DoesNotContain("name", request.RequestUri.Query, StringComparison.Ordinal);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/x-ndjson") });
        }
    }
}
