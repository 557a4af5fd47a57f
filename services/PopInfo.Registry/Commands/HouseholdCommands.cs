using System.Text.Json;
using PopInfo.Contracts;
using PopInfo.Domain.Records;
using PopInfo.Domain.Regions;
using PopInfo.Registry.Data;
using PopInfo.ServiceDefaults.Data;
using PopInfo.ServiceDefaults.Outcomes;

namespace PopInfo.Registry.Commands;

/// <summary>Creates households (户). Membership is part of each person's record and changes by person command.</summary>
public sealed class HouseholdCommands(
    [FromKeyedServices(RegistryModule.Name)] ServiceDatabase database, RegionCatalogue regions, TimeProvider clock)
{
    public async Task<Result<CommandAnswer>> CreateAsync(CreateHouseholdRequest r, CancellationToken ct)
    {
        var violations = RequestRules.ForText(r);
        if (r.CommandId is null || r.CommandId == Guid.Empty)
        {
            violations.Add(new("commandId", PersonRules.Required, "A commandId is required."));
        }

        if (r.Number is not { Length: >= 1 and <= 32 } || !r.Number.All(char.IsAsciiLetterOrDigit))
        {
            violations.Add(new("number", "household.number-format", "The household number is 1 to 32 letters or digits."));
        }

        if (string.IsNullOrWhiteSpace(r.Address) || r.Address.Length > 200)
        {
            violations.Add(new("address", PersonRules.Required, "An address of at most 200 characters is required."));
        }

        if (!regions.TryGet(r.RegionCode, out var region) || region.Level != RegionLevel.Community)
        {
            violations.Add(new("regionCode", PersonRules.RegionExists, "The region must be a twelve-digit community or village code of Wuxi."));
        }

        if (violations.Count > 0)
        {
            return Refusal.Invalid(violations);
        }

        var commandId = r.CommandId!.Value;
        var requestHash = RequestHash.Of(r);
        await using var work = await database.BeginAsync(ct);
        var store = new PersonStore(work);
        if (await store.GetCommandAsync(commandId, ct) is { } stored)
        {
            return StoredAnswers.Replay(stored, r.CommandType, requestHash, json => JsonSerializer.Deserialize<HouseholdView>(json, Json.Options)?.Id);
        }

        var now = clock.GetUtcNow();
        var household = new HouseholdView(Guid.CreateVersion7(now), r.Number!, r.Address!, r.RegionCode!, []);
        try
        {
            await store.InsertHouseholdAsync(household.Id, household.Number, household.Address, household.RegionCode, now, ct);
            var answer = new CommandAnswer(JsonSerializer.Serialize(household, Json.Options), Created: true, household.Id);
            await store.InsertCommandAsync(commandId, r.CommandType, requestHash, StoredAnswers.StatusOf(answer), answer.Json, now, ct);
            await work.CommitAsync(ct);
            return answer;
        }
        catch (Exception ex) when (database.Dialect.IsUniqueViolation(ex, out var constraint) && constraint?.Contains("number", StringComparison.OrdinalIgnoreCase) == true)
        {
            return Refusal.Conflict("number", "household.number-unique", "A household with this number is already in the register.");
        }
    }
}
