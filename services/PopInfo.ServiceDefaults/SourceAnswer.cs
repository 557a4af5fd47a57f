using System.Net.Http.Json;

namespace PopInfo.ServiceDefaults;

/// <summary>
/// What another service answered a service's question (the sharing service's access report, the monitoring service's audit
/// search): its value, or its HTTP status (and the problem's rule, when it named one).
/// </summary>
public sealed record SourceAnswer<T>(T? Value, int Status, string? Rule);

public static class SourceAnswer
{
    public static async Task<SourceAnswer<T>> ReadAsync<T>(HttpResponseMessage response, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode)
        {
            return new(await response.Content.ReadFromJsonAsync<T>(ct), (int)response.StatusCode, null);
        }

        string? rule = null;
        if (response.Content.Headers.ContentType?.MediaType is "application/problem+json")
        {
            try
            {
                var problem = await response.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>(ct);
                rule = problem?["rule"]?.GetValue<string>() ?? problem?["errors"]?.AsArray().FirstOrDefault()?["rule"]?.GetValue<string>();
            }
            catch (System.Text.Json.JsonException)
            {
                // A problem that is not one: the status says enough.
            }
            catch (InvalidOperationException)
            {
                // A rule that is not a string.
            }
        }

        return new(default, (int)response.StatusCode, rule);
    }
}
