using System.Net;
using System.Text.Json.Nodes;

namespace PopInfo.Collection.Exchange;

/// <summary>
/// Asks the exchange which departments have a register change (<c>GET /api/v1/changes/{sequence}/deliveries</c>),
/// with the status key (<c>PopInfo:Collection:ExchangeKey</c>), so the desk can show where a form went.
/// </summary>
public sealed class ExchangeClient(HttpClient http)
{
    /// <summary>Null when the desk has no key for the exchange (not configured).</summary>
    public async Task<JsonArray?> DeliveriesAsync(long registrySequence, CancellationToken ct)
    {
        if (http.DefaultRequestHeaders.Authorization is null)
        {
            return null;
        }

        using var response = await http.GetAsync($"api/v1/changes/{registrySequence}/deliveries", ct);
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonArray>(ct) ?? [];
    }
}
