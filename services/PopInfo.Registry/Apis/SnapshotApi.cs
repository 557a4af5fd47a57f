using System.Buffers;
using System.Reflection;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using PopInfo.Contracts;
using PopInfo.Contracts.Registry;
using PopInfo.Registry.Data;
using PopInfo.ServiceDefaults.Problems;
using PopInfo.ServiceDefaults.Security;

namespace PopInfo.Registry.Apis;

public static class SnapshotApi
{
    public const string ContentType = "application/x-ndjson";

    public static IEndpointRouteBuilder MapSnapshotApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithTags("Snapshot").WithGroupName(RegistryModule.Name).RequireScope(PlatformScopes.RegistryRead);
        api.MapGet("/snapshot", GetSnapshot).WithName("GetRegistrySnapshot")
            .WithSummary("Every person (with history=true every version) as of one change-log sequence, streamed as NDJSON: a header, "
                + "one line per version with the chosen fields (fields=, required), a trailer with the count.")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        api.MapGet("/population-counts", GetPopulationCounts).WithName("GetRegistryPopulationCounts")
            .WithSummary("The living population by community, sex, residence type and five-year band on 'asOf' (ages only), counted by SQL "
                + "in one consistent read with the change-log sequence it reflects: what the analytics service reconciles with.")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return app;
    }

    public static async Task<Results<Ok<PopulationCountsAnswer>, ProblemHttpResult>> GetPopulationCounts(
        ClaimsPrincipal user, PopulationCountStore counts, ReadAuditStore audit, CancellationToken ct, [FromQuery] DateOnly? asOf = null)
    {
        if (asOf is null)
        {
            return TypedResults.Problem(Problem.Validation("asOf", "required", "asOf is the date (yyyy-MM-dd) the ages are counted on."));
        }

        var (sequence, rows) = await counts.CountAsync(asOf.Value, ct);
        // Counts, no persons: audited as a bulk read by its sequence.
        await audit.WriteAsync(user, "population-counts.read", [], $"sequence {sequence}; ages on {asOf:yyyy-MM-dd}", ct);
        return TypedResults.Ok(new PopulationCountsAnswer(sequence, asOf.Value, [.. rows.Select(r => new PopulationCountRow(r.Region, r.Sex, r.Residence_Type, r.Band, r.Count))]));
    }

    public static async Task<Results<SnapshotStream, ProblemHttpResult>> GetSnapshot(
        ClaimsPrincipal user, SnapshotStore store, ReadAuditStore audit, ILogger<SnapshotStream> logger, CancellationToken ct,
        [FromQuery] string? fields = null, [FromQuery] bool history = false)
    {
        if (string.IsNullOrWhiteSpace(fields))
        {
            return TypedResults.Problem(Problem.Validation("fields", "required",
                $"Name the fields of a person to take, comma-separated: {string.Join(",", SnapshotFields.All)}."));
        }

        var (chosen, unknown) = SnapshotFields.Parse(fields);
        if (chosen is null)
        {
            return TypedResults.Problem(unknown.Count == 0
                ? Problem.Validation("fields", "required", "Name at least one field of a person.")
                : Problem.Validation("fields", "snapshot.field-known",
                    $"Not a field of a person: {string.Join(", ", unknown)}. The fields are {string.Join(",", SnapshotFields.All)}."));
        }

        var snapshot = await store.OpenAsync(history, ct);
        try
        {
            // A bulk read of every person: audited by what it took, before any of it leaves.
            await audit.WriteAsync(user, "snapshot.read", [],
                $"sequence {snapshot.Sequence}; fields {string.Join(",", chosen.Names)}; history {(history ? "true" : "false")}", ct);
            return new SnapshotStream(snapshot, chosen, logger);
        }
        catch
        {
            await snapshot.DisposeAsync();
            throw;
        }
    }
}

/// <summary>
/// Writes an open snapshot as NDJSON and closes it. What fails after the header can only cut the stream short:
/// the trailer is then missing, which is how the caller knows.
/// </summary>
public sealed class SnapshotStream(RegistrySnapshot snapshot, SnapshotFields fields, ILogger logger) : IResult, IEndpointMetadataProvider
{
    /// <summary>Bytes written before the response is flushed to the caller (and the wait for a slow caller begins).</summary>
    private const int FlushBytes = 64 * 1024;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        await using var _ = snapshot;
        var response = httpContext.Response;
        var ct = httpContext.RequestAborted;
        response.ContentType = SnapshotApi.ContentType + "; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        var body = response.BodyWriter;
        await using var json = new Utf8JsonWriter(body, new JsonWriterOptions { Encoder = Json.Options.Encoder });
        long unflushed = 0;

        void WriteLine<T>(T line)
        {
            JsonSerializer.Serialize(json, line, Json.Options);
            json.Flush();
            body.Write("\n"u8);
            unflushed += json.BytesCommitted + 1;
            json.Reset();
        }

        WriteLine(new SnapshotHeader(snapshot.Sequence, snapshot.TakenAt, fields.Names, snapshot.History));
        await body.FlushAsync(ct);
        long count = 0;
        try
        {
            await foreach (var row in snapshot.ReadAsync(ct))
            {
                var person = JsonSerializer.Deserialize<PersonRecord>(row.Record, Json.Options)!;
                WriteLine(new SnapshotVersion(row.Person_Id, row.Version, row.Current, row.Change_Type, row.Occurred_At, row.Recorded_At,
                    row.Superseded_At, new ChosenFields(person, fields)));
                count++;
                if (unflushed >= FlushBytes)
                {
                    await body.FlushAsync(ct);
                    unflushed = 0;
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The header has gone: no status can be sent any more. Stop without the trailer.
            logger.LogError(e, "A snapshot at sequence {Sequence} stopped after {Count} versions; the stream ends without its trailer.", snapshot.Sequence, count);
            httpContext.Abort();
            return;
        }

        WriteLine(new SnapshotEnd(count));
        await body.FlushAsync(ct);
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(SnapshotHeader), [SnapshotApi.ContentType]));
}

/// <summary>The living population counted by SQL at one change-log sequence.</summary>
public sealed record PopulationCountsAnswer(long Sequence, DateOnly AsOf, IReadOnlyList<PopulationCountRow> Counts);

/// <summary>One group: community, sex, residence type, five-year band (20: 100 and over), count.</summary>
public sealed record PopulationCountRow(string Region, string Sex, string ResidenceType, int Band, long Count);
