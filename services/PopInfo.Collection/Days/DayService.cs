using System.Globalization;
using PopInfo.Collection.Accounts;
using PopInfo.Collection.Audit;
using PopInfo.Collection.Forms;
using PopInfo.Domain.Monitoring;
using PopInfo.Domain.Regions;
using PopInfo.ServiceDefaults.Data;
using PopInfo.ServiceDefaults.Outcomes;
using PopInfo.ServiceDefaults.Problems;

namespace PopInfo.Collection.Days;

/// <summary>Daily clearing (一日一清): the daily reports of communities and streets, the supervisor's board, and closing a community's day.</summary>
public sealed class DayService(
    [FromKeyedServices(CollectionModule.Name)] ServiceDatabase database, RegionCatalogue regions, AuditLog audit, TimeProvider clock)
{
    /// <summary>The most days the board shows at once (a month): its query stays one indexed range per street.</summary>
    public const int MaxBoardDays = 31;

    /// <summary>The board's days when the request names none: a week.</summary>
    public const int DefaultBoardDays = 7;

    public async Task<Result<CommunityDayReport>> CommunityReportAsync(DeskUser user, string community, string day, CancellationToken ct)
    {
        if (RefusalOf(user, community, day) is { } refusal)
        {
            await audit.WriteAsync(user, "day.report", day, community, "refused", refusal.Title, ct: ct);
            return refusal;
        }

        await using var work = await database.OpenAsync(ct);
        var report = await ReportAsync(work, community, day, ct);
        await audit.WriteAsync(user, "day.report", day, community, "ok", work: work, ct: ct);
        return report;
    }

    public async Task<Result<StreetDayReport>> StreetReportAsync(DeskUser user, string street, string day, CancellationToken ct)
    {
        if (!BusinessDay.TryParse(day, out _))
        {
            return Refusal.Invalid("day", "date.format", "A day is written yyyy-MM-dd.");
        }

        if (!regions.TryGet(street, out var region) || region.Level != RegionLevel.Street)
        {
            return UnknownStreet(street);
        }

        if (!user.MayReadStreet(street))
        {
            await audit.WriteAsync(user, "day.street-report", day, street, "forbidden", ct: ct);
            return FormService.Forbidden(street);
        }

        var communities = regions.ChildrenOf(street).Select(c => c.Code).ToList();
        await using var work = await database.OpenAsync(ct);
        var reports = await BuildAsync(work, communities, day, ct);
        await audit.WriteAsync(user, "day.street-report", day, street, "ok", work: work, ct: ct);
        return new StreetDayReport(street, region.Name, day, Sum(reports.Select(r => r.Totals)), reports,
            [.. reports.Where(r => !r.Cleared).Select(r => r.CommunityCode)],
            [.. reports.Where(r => r.ClosedAt is null).Select(r => r.CommunityCode)]);
    }

    /// <summary>
    /// The supervisor's board: each community of the street on <paramref name="days"/> days (1–31, default 7) ending with
    /// <paramref name="to"/> (default today in the city; not later), newest first. Who may read the street's day reports may
    /// read its board. The values come as the query gave them, so that a bad one is named by field and rule.
    /// </summary>
    public async Task<Result<StreetBoard>> BoardAsync(DeskUser user, string street, string? days, string? to, CancellationToken ct)
    {
        var today = BusinessDay.Today(clock);
        var violations = new List<RuleViolation>();
        var count = DefaultBoardDays;
        if (days is not null && (!int.TryParse(days, NumberStyles.None, CultureInfo.InvariantCulture, out count) || count is < 1 or > MaxBoardDays))
        {
            violations.Add(new("days", "board.days", $"days is a whole number of days from 1 to {MaxBoardDays}."));
        }

        var last = today;
        if (to is not null)
        {
            if (!BusinessDay.TryParse(to, out _))
            {
                violations.Add(new("to", "date.format", "A day is written yyyy-MM-dd."));
            }
            else if (string.CompareOrdinal(to, today) > 0)
            {
                violations.Add(new("to", "day.not-future", $"The board ends today ({today}) at the latest."));
            }
            else
            {
                last = to;
            }
        }

        if (violations.Count > 0)
        {
            return Refusal.Invalid(violations);
        }

        if (!regions.TryGet(street, out var region) || region.Level != RegionLevel.Street)
        {
            return UnknownStreet(street);
        }

        if (!user.MayReadStreet(street))
        {
            await audit.WriteAsync(user, "day.board", last, street, "forbidden", ct: ct);
            return FormService.Forbidden(street);
        }

        var lastDay = DateOnly.ParseExact(last, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var shown = Enumerable.Range(0, count).Select(i => BusinessDay.Format(lastDay.AddDays(-i))).ToList();
        var communities = regions.ChildrenOf(street).Select(c => c.Code).ToList();
        await using var work = await database.OpenAsync(ct);
        var store = new DayStore(work);
        var counts = (await store.CountsAsync(communities, shown[^1], shown[0], ct)).ToLookup(c => (c.Community_Code, c.Day));
        var closed = (await store.ClosedAsync(communities, shown[^1], shown[0], ct)).ToDictionary(c => (c.Community_Code, c.Day));
        await audit.WriteAsync(user, "day.board", last, street, "ok", $"{count} days from {shown[^1]}", work, ct);

        var rows = communities.Select(code => new BoardCommunity(code, NameOf(code), [.. shown.Select(day =>
        {
            var totals = Count(counts[(code, day)]);
            var closing = closed.GetValueOrDefault((code, day));
            return new BoardDay(day, DayClearing.IsCleared(totals.Drafts, totals.Pending, totals.Rejected), closing is not null,
                closing?.Closed_At, closing?.Closed_By, totals);
        })])).ToList();
        var summary = shown.Select((day, i) => new BoardDaySummary(day, rows.Count, rows.Count(r => r.Days[i].Cleared), rows.Count(r => r.Days[i].Closed),
            Sum(rows.Select(r => r.Days[i].Counts)))).ToList();
        return new StreetBoard(street, region.Name, shown[^1], shown[0], clock.GetUtcNow(), shown, summary, rows);
    }

    /// <summary>Closes a cleared day: from then on it takes no new forms (they go to the next day, marked late).</summary>
    public async Task<Result<CommunityDayReport>> CloseAsync(DeskUser user, string community, string day, CancellationToken ct)
    {
        if (RefusalOf(user, community, day) is { } refusal)
        {
            await audit.WriteAsync(user, "day.close", day, community, "refused", refusal.Title, ct: ct);
            return refusal;
        }

        if (!user.MayWrite(community))
        {
            await audit.WriteAsync(user, "day.close", day, community, "forbidden", ct: ct);
            return FormService.Forbidden(community);
        }

        if (string.CompareOrdinal(day, BusinessDay.Today(clock)) > 0)
        {
            return Refusal.Invalid("day", "day.not-future", "A day can be closed only once it has begun.");
        }

        await using var work = await database.BeginAsync(ct);
        await work.LockAsync(FormService.DayLockName(community), shared: false, ct);
        var report = (await BuildAsync(work, [community], day, ct))[0];
        if (report.ClosedAt is not null)
        {
            return Refusal.Conflict("day", "day.closed", $"The day {day} was closed at {report.ClosedAt:O} by {report.ClosedBy}.");
        }

        if (!report.Cleared)
        {
            var notCleared = Refusal.Conflict("day", "day.not-cleared",
                $"{report.Blocking.Count} form(s) of {day} are drafts, waiting for the registry, or rejected and not dealt with: finish, resubmit or withdraw them first.")
                .With("blocking", report.Blocking);
            // In this transaction: on SQLite a second connection would wait for its write lock.
            await audit.WriteAsync(user, "day.close", day, community, "refused", "not cleared", work, ct);
            await work.CommitAsync(ct);
            return notCleared;
        }

        var now = clock.GetUtcNow();
        await new DayStore(work).CloseAsync(community, day, now, user.UserName, ct);
        await audit.WriteAsync(user, "day.close", day, community, "ok", $"{report.Totals.Forms} forms", work, ct);
        await work.CommitAsync(ct);
        return report with { ClosedAt = now, ClosedBy = user.UserName };
    }

    /// <summary>Why the user may not read or act on the community's day (a malformed day, no such community, not theirs), or null.</summary>
    internal Refusal? RefusalOf(DeskUser user, string community, string day)
    {
        if (!BusinessDay.TryParse(day, out _))
        {
            return Refusal.Invalid("day", "date.format", "A day is written yyyy-MM-dd.");
        }

        if (!regions.TryGet(community, out var region) || region.Level != RegionLevel.Community)
        {
            return Refusal.NotFound($"No community or village {community}.");
        }

        return user.MayRead(community, regions) ? null : FormService.Forbidden(community);
    }

    /// <summary>One community's daily report, in the caller's work (the day sheet reads it beside the day's forms, in one snapshot).</summary>
    internal async Task<CommunityDayReport> ReportAsync(UnitOfWork work, string community, string day, CancellationToken ct) =>
        (await BuildAsync(work, [community], day, ct))[0];

    private async Task<List<CommunityDayReport>> BuildAsync(UnitOfWork work, IReadOnlyList<string> communities, string day, CancellationToken ct)
    {
        var store = new DayStore(work);
        var counts = await store.CountsAsync(communities, day, day, ct);
        var closed = (await store.ClosedAsync(communities, day, day, ct)).ToDictionary(c => c.Community_Code);
        var blocking = await store.BlockingAsync(communities, day, ct);

        return [.. communities.Select(code =>
        {
            var mine = counts.Where(c => c.Community_Code == code).ToList();
            var byType = FormTypes.All
                .Select(t => new FormTypeCounts(t.Code, Count(mine.Where(c => c.Form_Type == t.Code))))
                .Where(t => t.Counts.Forms > 0)
                .ToList();
            var totals = Count(mine);
            closed.TryGetValue(code, out var closedRow);
            return new CommunityDayReport(code, NameOf(code), day,
                DayClearing.IsCleared(totals.Drafts, totals.Pending, totals.Rejected), closedRow?.Closed_At, closedRow?.Closed_By,
                totals, byType, [.. blocking[code]]);
        })];
    }

    private string NameOf(string code) => regions.TryGet(code, out var region) ? region.Name : code;

    /// <summary>A street code that names no street or town of the city: 404, naming the field and the rule.</summary>
    private static Refusal UnknownStreet(string street) =>
        Refusal.NotFound($"No street or town {street} in the city.") with { Field = "streetCode", Rule = "region.street" };

    private static FormCounts Count(IEnumerable<DayStore.CountRow> rows)
    {
        var list = rows.ToList();
        int Of(string state) => (int)list.Where(r => r.State == state).Sum(r => r.N);
        return new FormCounts((int)list.Sum(r => r.N), Of(FormStates.Draft), Of(FormStates.Submitted), Of(FormStates.Accepted),
            Of(FormStates.Rejected), Of(FormStates.Withdrawn), (int)list.Where(r => r.Late).Sum(r => r.N), (int)list.Sum(r => r.Sent));
    }

    private static FormCounts Sum(IEnumerable<FormCounts> all)
    {
        var list = all.ToList();
        return new FormCounts(list.Sum(c => c.Forms), list.Sum(c => c.Drafts), list.Sum(c => c.Pending), list.Sum(c => c.Accepted),
            list.Sum(c => c.Rejected), list.Sum(c => c.Withdrawn), list.Sum(c => c.Late), list.Sum(c => c.Submitted));
    }
}
