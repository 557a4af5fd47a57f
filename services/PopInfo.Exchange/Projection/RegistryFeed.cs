using PopInfo.Contracts;
using PopInfo.Contracts.Registry;

namespace PopInfo.Exchange.Projection;

/// <summary>The registry's change feed (<c>GET /api/v1/changes</c>): the complete, ordered change log.</summary>
public sealed class RegistryFeed(HttpClient http)
{
    public async Task<IReadOnlyList<PersonChanged>> ReadAsync(long after, int limit, CancellationToken ct)
    {
        var page = await http.GetFromJsonAsync<Page>($"api/v1/changes?after={after}&limit={Math.Min(limit, 1000)}", Json.Options, ct);
        return page?.Changes ?? [];
    }

    private sealed record Page(List<PersonChanged> Changes, long Next);
}
