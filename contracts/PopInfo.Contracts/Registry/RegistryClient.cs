using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace PopInfo.Contracts.Registry;

/// <summary>A person as the registry shows them, with only what a reader of the register needs to decide.</summary>
/// <param name="PersonId">The person's id in the register.</param>
/// <param name="Version">The person's current version.</param>
/// <param name="Status"><c>living</c>, <c>deceased</c> or <c>moved-away</c>.</param>
/// <param name="ResidenceType"><c>registered</c> or <c>migrant</c>.</param>
/// <param name="Sex">GB/T 2261.1 code: 1 male, 2 female.</param>
/// <param name="Record">The whole person record, as the registry serialises <see cref="PersonRecord"/>.</param>
public sealed record RegisteredPerson(Guid PersonId, int Version, string Status, string ResidenceType, string Sex, JsonObject Record)
{
    /// <summary>The person's birth date, as the register has it.</summary>
    public DateOnly? BirthDate => Record["birthDate"] is JsonValue value && DateOnly.TryParse((string?)value, out var date) ? date : null;

    /// <summary>Where the person lives (a community code), absent once they left the city.</summary>
    public string? ResidenceRegionCode => (string?)Record["residenceRegionCode"];

    /// <summary>The person's household registration (a community code, or a migrant's home county).</summary>
    public string? RegisteredRegionCode => (string?)Record["registeredRegionCode"];

    /// <summary>The person's identity number.</summary>
    public string? IdNumber => (string?)Record["idNumber"];
}

/// <summary>
/// Reads the register over the registry's REST API (the desk's "find a person" and submit-time checks,
/// the exchange's matching of bureaus' records). Writes never go this way: they go over the bus, so that
/// they survive an outage. A registry that does not answer surfaces as the <see cref="HttpClient"/>'s
/// exception (<see cref="HttpRequestException"/>, a timeout): the caller decides what that means.
/// </summary>
/// <param name="http">A client whose base address is the registry's.</param>
public sealed class RegistryClient(HttpClient http)
{
    /// <summary>The name of the typed HTTP client.</summary>
    public const string ClientName = nameof(RegistryClient);

    /// <summary>The most people the registry returns for one name (<c>limit</c> 1–50).</summary>
    public const int MaxNameResults = 50;

    /// <summary>The person with this identity number, or null when the register has none.</summary>
    public Task<RegisteredPerson?> FindByIdNumberAsync(string idNumber, CancellationToken ct) =>
        GetOneAsync($"api/v1/persons/by-id-number/{Uri.EscapeDataString(idNumber)}", ct);

    /// <summary>The person with this id, or null when the register has none.</summary>
    public Task<RegisteredPerson?> FindByIdAsync(Guid personId, CancellationToken ct) => GetOneAsync($"api/v1/persons/{personId}", ct);

    /// <summary>People with exactly this name, by identity number, at most <paramref name="limit"/> (1–50) of them.</summary>
    public async Task<IReadOnlyList<RegisteredPerson>> FindByNameAsync(string name, CancellationToken ct, int limit = 20)
    {
        var array = await http.GetFromJsonAsync<JsonArray>($"api/v1/persons?name={Uri.EscapeDataString(name)}&limit={Math.Clamp(limit, 1, MaxNameResults)}", ct) ?? [];
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
