using System.Security.Claims;
using Dapper;
using PopInfo.ServiceDefaults.Data;
using PopInfo.ServiceDefaults.Security;

namespace PopInfo.Registry.Data;

/// <summary>Records every read of persons before the answer leaves: who read, how, and which persons (by id).</summary>
public sealed class ReadAudit([FromKeyedServices(RegistryModule.Name)] ServiceDatabase database, TimeProvider clock)
{
    public async Task WriteAsync(ClaimsPrincipal user, string action, IEnumerable<Guid> personIds, string? detail, CancellationToken ct)
    {
        var caller = TokenCaller.From(user);
        var ids = string.Join(',', personIds);
        await using var connection = await database.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO read_audit (at, client, subject, action, person_ids, detail) VALUES (@at, @client, @subject, @action, @ids, @detail)",
            new { at = clock.GetUtcNow(), client = caller.Source, subject = caller.Subject, action, ids = ids.Length == 0 ? null : ids, detail },
            cancellationToken: ct));
    }

    public sealed class Row
    {
        public long Id { get; init; }
        public DateTimeOffset At { get; init; }
        public string Client { get; init; } = "";
        public string Subject { get; init; } = "";
        public string Action { get; init; } = "";
        public string? Person_Ids { get; init; }
        public string? Detail { get; init; }
    }

    /// <summary>The newest entries first (for tests and the coming monitoring of audits).</summary>
    public async Task<IReadOnlyList<Row>> LatestAsync(int limit, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        return [.. await connection.QueryAsync<Row>(new CommandDefinition(
            "SELECT id, at, client, subject, action, person_ids, detail FROM read_audit ORDER BY id DESC LIMIT @limit", new { limit }, cancellationToken: ct))];
    }
}
