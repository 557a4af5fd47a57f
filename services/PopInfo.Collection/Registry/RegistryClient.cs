using System.Net;
using System.Text.Json.Nodes;

namespace PopInfo.Collection.Registry;

/// <summary>A person as the registry shows them, with only what the desk needs to decide.</summary>
public sealed record RegisteredPerson(Guid PersonId, int Version, string Status, string ResidenceType, string Sex, JsonObject Record);

/// <summary>
/// Reads the register over the registry's REST API (the desk's "find a person", and the submit-time
/// checks). Writes never go this way: they go over the bus, so that they survive an outage.
/// </summary>
public sealed class RegistryClient(HttpClient http)
{
    public const string ClientName = nameof(RegistryClient);

    public Task<RegisteredPerson?> FindByIdNumberAsync(string idNumber, CancellationToken ct) =>
        GetOneAsync($"api/v1/persons/by-id-number/{Uri.EscapeDataString(idNumber)}", ct);

    public Task<RegisteredPerson?> FindByIdAsync(Guid personId, CancellationToken ct) => GetOneAsync($"api/v1/persons/{personId}", ct);

    public async Task<IReadOnlyList<RegisteredPerson>> FindByNameAsync(string name, CancellationToken ct)
    {
        var array = await http.GetFromJsonAsync<JsonArray>($"api/v1/persons?name={Uri.EscapeDataString(name)}&limit=20", ct) ?? [];
        return [.. array.OfType<JsonObject>().Select(From)];
    }

    private async Task<RegisteredPerson?> GetOneAsync(string path, CancellationToken ct)
    {
        using var response = await http.GetAsync(path, ct);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        return From((await response.Content.ReadFromJsonAsync<JsonObject>(ct))!);
    }

    private static RegisteredPerson From(JsonObject body)
    {
        var person = body["person"]!.AsObject();
        return new RegisteredPerson(
            Guid.Parse((string)person["personId"]!), (int)body["version"]!, (string)person["status"]!,
            (string)person["residenceType"]!, (string)person["sex"]!, person);
    }
}
