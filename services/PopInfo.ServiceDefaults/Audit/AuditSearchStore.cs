using System.Data.Common;
using System.Text;
using Dapper;
using PopInfo.ServiceDefaults.Data;

namespace PopInfo.ServiceDefaults.Audit;

/// <summary>
/// The SQL every source's audit search shares: a service gives the entries of its trail(s) as one query of the columns
/// <c>at, kind, part, id, actor, client, unit, action, target, purpose, reason, person_id, outcome</c> (person_id as text;
/// it may use <c>@from</c>, <c>@to</c>, <c>@personId</c> and <c>@personText</c>), and this filters them by actor, action and
/// cursor, orders them by (at, kind, part, id) and takes a page — the store of that SQL for every service.
/// </summary>
public static class AuditSearchStore
{
    /// <summary>A page of the entries <paramref name="entries"/> selects, on a connection of its own (a search that reads nothing beside it).</summary>
    public static async Task<IReadOnlyList<AuditSearchEntry>> PageAsync(ServiceDatabase database, string entries, AuditSearchCriteria criteria,
        Guid? personId, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        return await PageAsync(connection, database.Dialect, entries, criteria, personId, ct);
    }

    public static async Task<IReadOnlyList<AuditSearchEntry>> PageAsync(DbConnection connection, SqlDialect dialect, string entries, AuditSearchCriteria criteria,
        Guid? personId, CancellationToken ct)
    {
        var parameters = new DynamicParameters(new
        {
            from = criteria.From, to = criteria.To, limit = criteria.Limit, personId, personText = personId?.ToString("D"),
            personLike = personId is { } p ? $"%{p:D}%" : null,
        });
        if (criteria.Actor is { } actor)
        {
            parameters.Add("actor", actor);
        }

        if (criteria.Action is { } action)
        {
            parameters.Add("action", action);
        }

        if (criteria.After is { } after)
        {
            parameters.Add("afterAt", after.At);
            parameters.Add("afterKind", after.Kind);
            parameters.Add("afterPart", after.Part);
            parameters.Add("afterId", after.Id);
        }

        var sql = PageSql(dialect, entries, byActor: criteria.Actor is not null, byAction: criteria.Action is not null, afterCursor: criteria.After is not null);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(sql, parameters, cancellationToken: ct));
        return [.. rows.Select(r => new AuditSearchEntry(
            r.Part.Length == 0 ? $"{r.Kind}:{r.Id}" : $"{r.Kind}:{r.Part}:{r.Id}", r.At, r.Actor ?? "", r.Client, r.Unit, r.Action, r.Target, r.Purpose,
            r.Reason, Guid.TryParse(r.Person, out var person) ? person : null, r.Outcome, new AuditCursor(r.At, r.Kind, r.Part, r.Id).Encode()))];
    }

    /// <summary>
    /// A page of <paramref name="entries"/>: filtered by actor (<c>@actor</c>), action (<c>@action</c>) and a cursor
    /// (<c>@afterAt</c>, <c>@afterKind</c>, <c>@afterPart</c>, <c>@afterId</c>) when asked, in order, <c>@limit</c> rows.
    /// </summary>
    public static string PageSql(SqlDialect dialect, string entries, bool byActor, bool byAction, bool afterCursor)
    {
        var sql = new StringBuilder(
            $"""
            SELECT at AS At, kind AS Kind, part AS Part, id AS Id, actor AS Actor, client AS Client, unit AS Unit, action AS Action, target AS Target,
                   purpose AS Purpose, reason AS Reason, person_id AS Person, outcome AS Outcome
            FROM ({entries}) e WHERE at >= @from AND at < @to
            """);
        if (byActor)
        {
            sql.Append(" AND (actor = @actor OR client = @actor OR unit = @actor)");
        }

        if (byAction)
        {
            sql.Append(" AND action = @action");
        }

        if (afterCursor)
        {
            sql.Append(" AND (at > @afterAt OR (at = @afterAt AND (kind > @afterKind OR (kind = @afterKind AND (part > @afterPart OR (part = @afterPart AND id > @afterId))))))");
        }

        return sql.Append(" ORDER BY at, kind, part, id").Append(dialect.Limit("@limit")).ToString();
    }

    /// <summary>The cursor of the next page: the last entry's, when the page is full (more may follow).</summary>
    public static string? Next(IReadOnlyList<AuditSearchEntry> entries, int limit) => entries.Count == limit && limit > 0 ? entries[^1].Cursor : null;

    private sealed class Row
    {
        public DateTimeOffset At { get; init; }
        public string Kind { get; init; } = "";
        public string Part { get; init; } = "";
        public long Id { get; init; }
        public string? Actor { get; init; }
        public string? Client { get; init; }
        public string? Unit { get; init; }
        public string Action { get; init; } = "";
        public string? Target { get; init; }
        public string? Purpose { get; init; }
        public string? Reason { get; init; }
        public string? Person { get; init; }
        public string? Outcome { get; init; }
    }
}
