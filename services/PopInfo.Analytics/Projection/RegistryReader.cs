using System.Runtime.CompilerServices;
using System.Text.Json;
using PopInfo.Contracts;
using PopInfo.Contracts.Registry;

namespace PopInfo.Analytics.Projection;

/// <summary>
/// What the projection reads from the registry: its consistent snapshot (<c>GET /api/v1/snapshot</c>, NDJSON: a header
/// naming the change-log sequence, one line per person version, a trailer with the count), its change feed and the
/// relay's status. docs/registry.md describes the snapshot's format.
/// </summary>
public sealed class RegistryReader(HttpClient http)
{
    /// <summary>Thrown when a snapshot stream ends without its trailer, or with a different count: it was cut off.</summary>
    public sealed class TruncatedSnapshotException(string message) : Exception(message);

    /// <summary>Streams the snapshot: first the sequence it is consistent with, then batches of versions.</summary>
    public async IAsyncEnumerable<SnapshotPart> ReadSnapshotAsync(int batchSize, [EnumeratorCancellation] CancellationToken ct)
    {
        var fields = string.Join(',', PersonFacts.RecordFields);
        using var response = await http.GetAsync($"api/v1/snapshot?fields={fields}&history=true", HttpCompletionOption.ResponseHeadersRead, ct);
        response.EnsureSuccessStatusCode();
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        using var reader = new StreamReader(stream);
        long? sequence = null;
        long count = 0;
        var batch = new List<PersonFacts>(batchSize);
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            var entry = JsonSerializer.Deserialize<SnapshotLine>(line, Json.Options)!;
            switch (entry.Kind)
            {
                case "header":
                    sequence = entry.Sequence;
                    yield return new SnapshotPart(entry.Sequence!.Value, []);
                    break;
                case "version" when sequence is not null:
                    count++;
                    batch.Add(entry.ToFacts());
                    if (batch.Count == batchSize)
                    {
                        yield return new SnapshotPart(sequence.Value, batch);
                        batch = new List<PersonFacts>(batchSize);
                    }

                    break;
                case "end":
                    if (entry.Count != count)
                    {
                        throw new TruncatedSnapshotException($"The snapshot announced {entry.Count} versions and sent {count}.");
                    }

                    if (batch.Count > 0)
                    {
                        yield return new SnapshotPart(sequence!.Value, batch);
                    }

                    yield break;
                default:
                    throw new TruncatedSnapshotException($"Unexpected snapshot line of kind '{entry.Kind}'.");
            }
        }

        throw new TruncatedSnapshotException($"The snapshot ended after {count} versions without its trailer.");
    }

    public async Task<IReadOnlyList<PersonChanged>> ReadChangesAsync(long after, int limit, CancellationToken ct)
    {
        var page = await http.GetFromJsonAsync<ChangePage>($"api/v1/changes?after={after}&limit={Math.Min(limit, 1000)}", Json.Options, ct);
        return page?.Changes ?? [];
    }

    /// <summary>The last sequence the registry wrote.</summary>
    public async Task<long> LastSequenceAsync(CancellationToken ct) =>
        (await http.GetFromJsonAsync<RelayStatus>("api/v1/changes/status", Json.Options, ct))?.LastSequence ?? 0;

    /// <summary>The living population counted by the registry's SQL at one sequence (its reconciliation answer).</summary>
    public async Task<PopulationCountsAnswer> PopulationCountsAsync(DateOnly asOf, CancellationToken ct) =>
        (await http.GetFromJsonAsync<PopulationCountsAnswer>($"api/v1/population-counts?asOf={asOf:yyyy-MM-dd}", Json.Options, ct))!;

    public sealed record PopulationCountsAnswer(long Sequence, DateOnly AsOf, IReadOnlyList<PopulationCountRow> Counts);

    public sealed record PopulationCountRow(string Region, string Sex, string ResidenceType, int Band, long Count);

    /// <summary>A piece of a snapshot: its sequence and some versions (none in the first piece).</summary>
    public sealed record SnapshotPart(long Sequence, IReadOnlyList<PersonFacts> Versions);

    private sealed record ChangePage(List<PersonChanged> Changes, long Next);

    private sealed record RelayStatus(long LastSequence, long PublishedSequence, long Backlog);

    private sealed record SnapshotLine(
        string Kind, long? Sequence, long? Count, Guid PersonId, int Version, string? ChangeType,
        DateTimeOffset OccurredAt, DateTimeOffset RecordedAt, SnapshotRecord? Record)
    {
        public PersonFacts ToFacts() => new()
        {
            Person_Id = PersonId,
            Version = Version,
            Change_Type = ChangeType ?? "",
            Occurred_At = OccurredAt,
            Recorded_At = RecordedAt,
            Status = Record!.Status,
            Residence_Region_Code = Record.ResidenceRegionCode,
            Sex = Record.Sex,
            Birth_Date = Record.BirthDate,
            Residence_Type = Record.ResidenceType,
            Education = Record.Education,
            Marital_Status = Record.MaritalStatus,
            Ethnicity = Record.Ethnicity,
            Household_Id = Record.HouseholdId,
            Origin_Region_Code = Record.Migrant?.OriginRegionCode,
            Migrant_Reason = Record.Migrant?.Reason,
        };
    }

    // The record's fields the projection asks for (PersonFacts.RecordFields), nothing else.
    private sealed record SnapshotRecord(
        string Sex, DateOnly BirthDate, string Ethnicity, string? MaritalStatus, string? Education, string? ResidenceRegionCode,
        string ResidenceType, MigrantDetails? Migrant, string Status, Guid? HouseholdId);
}
