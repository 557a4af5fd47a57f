using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PopInfo.Testing;

public static class HttpJson
{
    public static async Task<(int Status, JsonObject Body)> PostAsync(this HttpClient client, string url, object body)
    {
        using var response = await client.PostAsJsonAsync(url, body);
        return ((int)response.StatusCode, await ReadAsync(response));
    }

    public static async Task<(int Status, JsonObject Body)> SendAsync(this HttpClient client, HttpMethod method, string url, object body)
    {
        using var response = await client.SendAsync(new HttpRequestMessage(method, url) { Content = JsonContent.Create(body) });
        return ((int)response.StatusCode, await ReadAsync(response));
    }

    public static async Task<(int Status, JsonObject Body)> GetJsonAsync(this HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        return ((int)response.StatusCode, await ReadAsync(response));
    }

    public static async Task<JsonArray> GetArrayAsync(this HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray();
    }

    public static async Task<(int Status, JsonArray Body)> GetJsonArrayAsync(this HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, response.IsSuccessStatusCode ? JsonNode.Parse(text)!.AsArray() : []);
    }

    private static async Task<JsonObject> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return text.Length == 0 ? [] : JsonNode.Parse(text) as JsonObject ?? throw new JsonException($"Not a JSON object: {text}");
    }

    /// <summary>The (field, rule) pairs of a problem's violations.</summary>
    public static IReadOnlyList<(string Field, string Rule)> Violations(this JsonObject problem) =>
        problem["violations"]?.AsArray().Select(v => ((string)v!["field"]!, (string)v["rule"]!)).ToList() ?? [];
}
