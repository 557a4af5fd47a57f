using PopInfo.Domain.Access;
using System.Data.Common;
using Dapper;
using Microsoft.AspNetCore.Mvc;
using PopInfo.Collection.Accounts;
using PopInfo.Collection.Audit;
using PopInfo.Collection.Forms;
using PopInfo.Domain.Monitoring;
using PopInfo.Domain.Regions;
using PopInfo.ServiceDefaults.Data;
using PopInfo.ServiceDefaults.Problems;

namespace PopInfo.Collection.Days;

/// <summary>Daily clearing (一日一清): the daily reports of communities and streets, and closing a community's day.</summary>
public sealed class DayService(
    [FromKeyedServices(CollectionModule.Name)] ServiceDatabase database, RegionCatalogue regions, AuditLog audit, TimeProvider clock)
{
    // Classes with setters rather than positional records: SQLite hands back INTEGER for booleans and TEXT
    // for times, which Dapper converts for properties but not for constructor arguments.
    private sealed class CountRow
    {
        public string Community_Code { get; init; } = "";
        public string Form_Type { get; init; } = "";
        public string State { get; init; } = "";
        public bool Late { get; init; }
        public long N { get; init; }
    }

    private sealed class ClosedRow
    {
        public string Community_Code { get; init; } = "";
        public DateTimeOffset Closed_At { get; init; }
        public string Closed_By { get; init; } = "";
    }

    public async Task<(CommunityDayReport? Report, ProblemDetails? Problem)> CommunityReportAsync(DeskUser user, string community, string day, CancellationToken ct)
    {
        if (Refusal(user, community, day, "day.report") is { } problem)
        {
            await audit.WriteAsync(user, "day.report", day, community, "refused", problem.Title, ct: ct);
            return (null, problem);
        }

        await using var connection = await database.OpenConnectionAsync(ct);
        var report = await BuildAsync(connection, null, [community], day, ct);
        await audit.WriteAsync(user, "day.report", day, community, "ok", connection: connection, ct: ct);
        return (report[0], null);
    }

    public async Task<(StreetDayReport? Report, ProblemDetails? Problem)> StreetReportAsync(DeskUser user, string street, string day, CancellationToken ct)
    {
        if (!BusinessDay.TryParse(day, out _))
        {
            return (null, Problem.Validation("day", "date.format", "A day is written yyyy-MM-dd."));
        }

        if (!regions.TryGet(street, out var region) || region.Level != RegionLevel.Street)
        {
            return (null, Problem.NotFound($"No street or town {street}."));
        }

        if (!(user.Role == PlatformRoles.Supervisor && user.StreetCode == street))
        {
            await audit.WriteAsync(user, "day.street-report", day, street, "forbidden", ct: ct);
            return (null, FormService.Forbidden(street));
        }

        var communities = regions.ChildrenOf(street).Select(c => c.Code).ToList();
        await using var connection = await database.OpenConnectionAsync(ct);
        var reports = await BuildAsync(connection, null, communities, day, ct);
        await audit.WriteAsync(user, "day.street-report", day, street, "ok", connection: connection, ct: ct);
        return (new StreetDayReport(street, region.Name, day, Sum(reports.Select(r => r.Totals)), reports,
            [.. reports.Where(r => !r.Cleared).Select(r => r.CommunityCode)],
            [.. reports.Where(r => r.ClosedAt is null).Select(r => r.CommunityCode)]), null);
    }

    /// <summary>Closes a cleared day: from then on it takes no new forms (they go to the next day, marked late).</summary>
    public async Task<(CommunityDayReport? Report, ProblemDetails? Problem)> CloseAsync(DeskUser user, string community, string day, CancellationToken ct)
    {
        if (Refusal(user, community, day, "day.close") is { } problem)
        {
            await audit.WriteAsync(user, "day.close", day, community, "refused", problem.Title, ct: ct);
            return (null, problem);
        }

        if (!user.MayWrite(community))
        {
            await audit.WriteAsync(user, "day.close", day, community, "forbidden", ct: ct);
            return (null, FormService.Forbidden(community));
        }

        if (string.CompareOrdinal(day, BusinessDay.Today(clock)) > 0)
        {
            return (null, Problem.Validation("day", "day.not-future", "A day can be closed only once it has begun."));
        }

        await using var connection = await database.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await database.Dialect.LockAsync(connection, transaction, FormService.DayLockName(community), shared: false, ct);
        var report = (await BuildAsync(connection, transaction, [community], day, ct))[0];
        if (report.ClosedAt is not null)
        {
            return (null, Problem.Conflict("day", "day.closed", $"The day {day} was closed at {report.ClosedAt:O} by {report.ClosedBy}."));
        }

        if (!report.Cleared)
        {
            var notCleared = Problem.Conflict("day", "day.not-cleared",
                $"{report.Blocking.Count} form(s) of {day} are drafts, waiting for the registry, or rejected and not dealt with: finish, resubmit or withdraw them first.");
            notCleared.Extensions["blocking"] = report.Blocking;
            // In this transaction: on SQLite a second connection would wait for its write lock.
            await audit.WriteAsync(user, "day.close", day, community, "refused", "not cleared", connection, transaction, ct);
            await transaction.CommitAsync(ct);
            return (null, notCleared);
        }

        var now = clock.GetUtcNow();
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO closed_days (community_code, day, closed_at, closed_by) VALUES (@community, @day, @now, @by)",
            new { community, day, now, by = user.UserName }, transaction, cancellationToken: ct));
        await audit.WriteAsync(user, "day.close", day, community, "ok", $"{report.Totals.Forms} forms", connection, transaction, ct);
        await transaction.CommitAsync(ct);
        return (report with { ClosedAt = now, ClosedBy = user.UserName }, null);
    }

    private ProblemDetails? Refusal(DeskUser user, string community, string day, string action)
    {
        if (!BusinessDay.TryParse(day, out _))
        {
            return Problem.Validation("day", "date.format", "A day is written yyyy-MM-dd.");
        }

        if (!regions.TryGet(community, out var region) || region.Level != RegionLevel.Community)
        {
            return Problem.NotFound($"No community or village {community}.");
        }

        return user.MayRead(community, regions) ? null : FormService.Forbidden(community);
    }

    private async Task<List<CommunityDayReport>> BuildAsync(DbConnection connection, DbTransaction? transaction, IReadOnlyList<string> communities, string day, CancellationToken ct)
    {
        var counts = (await connection.QueryAsync<CountRow>(new CommandDefinition(
            $"""
            SELECT community_code AS Community_Code, form_type AS Form_Type, state AS State, late AS Late, COUNT(*) AS N
            FROM forms WHERE {database.Dialect.In("community_code", "communities")} AND day = @day
            GROUP BY community_code, form_type, state, late
            """, new { communities = communities.ToArray(), day }, transaction, cancellationToken: ct))).ToList();
        var closed = (await connection.QueryAsync<ClosedRow>(new CommandDefinition(
            $"SELECT community_code AS Community_Code, closed_at AS Closed_At, closed_by AS Closed_By FROM closed_days WHERE {database.Dialect.In("community_code", "communities")} AND day = @day",
            new { communities = communities.ToArray(), day }, transaction, cancellationToken: ct))).ToDictionary(c => c.Community_Code);
        var blocking = (await connection.QueryAsync<(string Community, Guid Id)>(new CommandDefinition(
            $"SELECT community_code, id FROM forms WHERE {database.Dialect.In("community_code", "communities")} AND day = @day AND state IN ('draft', 'submitted', 'rejected') ORDER BY created_at",
            new { communities = communities.ToArray(), day }, transaction, cancellationToken: ct))).ToLookup(b => b.Community, b => b.Id);

        return [.. communities.Select(code =>
        {
            var mine = counts.Where(c => c.Community_Code == code).ToList();
            var byType = FormTypes.All
                .Select(t => new FormTypeCounts(t.Code, Count(mine.Where(c => c.Form_Type == t.Code))))
                .Where(t => t.Counts.Forms > 0)
                .ToList();
            var totals = Count(mine);
            closed.TryGetValue(code, out var closedRow);
            return new CommunityDayReport(code, regions.TryGet(code, out var r) ? r.Name : code, day,
                DayClearing.IsCleared(totals.Drafts, totals.Pending, totals.Rejected), closedRow?.Closed_At, closedRow?.Closed_By,
                totals, byType, [.. blocking[code]]);
        })];
    }

    private static FormCounts Count(IEnumerable<CountRow> rows)
    {
        var list = rows.ToList();
        int Of(string state) => (int)list.Where(r => r.State == state).Sum(r => r.N);
        return new FormCounts((int)list.Sum(r => r.N), Of(FormStates.Draft), Of(FormStates.Submitted), Of(FormStates.Accepted),
            Of(FormStates.Rejected), Of(FormStates.Withdrawn), (int)list.Where(r => r.Late).Sum(r => r.N));
    }

    private static FormCounts Sum(IEnumerable<FormCounts> all)
    {
        var list = all.ToList();
        return new FormCounts(list.Sum(c => c.Forms), list.Sum(c => c.Drafts), list.Sum(c => c.Pending), list.Sum(c => c.Accepted),
            list.Sum(c => c.Rejected), list.Sum(c => c.Withdrawn), list.Sum(c => c.Late));
    }
}
