using PopInfo.Domain.Monitoring;
using PopInfo.Domain.Regions;
using PopInfo.ServiceDefaults.Outcomes;
using PopInfo.ServiceDefaults.Problems;

namespace PopInfo.Collection.Monitor;

/// <summary>
/// Daily clearing facts per community and day for the monitoring service (scope <c>collection.monitor</c>; docs/collection.md,
/// "For the monitoring service"): the desk's own definitions (<see cref="DayClearing"/>), counts only.
/// </summary>
public sealed class ClearingFactsService(ClearingFactsStore store, RegionCatalogue regions)
{
    public async Task<Result<CommunityFactsPage>> ReadAsync(string? from, string? to, string? street, CancellationToken ct)
    {
        var violations = FactsRange.Check(from, to, out var first, out var last).Select(v => new RuleViolation(v.Field, v.Rule, v.Message)).ToList();
        IReadOnlyList<string>? communities = null;
        if (street is not null)
        {
            if (!regions.TryGet(street, out var region) || region.Level != RegionLevel.Street)
            {
                violations.Add(new("street", "region.street", $"No street or town {street} in the city."));
            }
            else
            {
                communities = [.. regions.ChildrenOf(street).Select(c => c.Code)];
            }
        }

        if (violations.Count > 0)
        {
            return Refusal.Invalid(violations);
        }

        var (days, closed) = await store.ReadAsync(FactsRange.Format(first), FactsRange.Format(last), street, communities, ct);
        var closedAt = closed.ToDictionary(c => (c.Community_Code, c.Day), c => c.Closed_At);
        var facts = days.Select(d =>
        {
            closedAt.TryGetValue((d.Community_Code, d.Day), out var at);
            return Facts(d.Community_Code, d.Street_Code, d.Day, d, at == default ? null : at);
        }).ToList();

        // A day closed with no form is a day too (cleared, nothing in it).
        var seen = days.Select(d => (d.Community_Code, d.Day)).ToHashSet();
        facts.AddRange(closed.Where(c => !seen.Contains((c.Community_Code, c.Day)))
            .Select(c => Facts(c.Community_Code, regions.TryGet(c.Community_Code, out var r) ? r.ParentCode ?? "" : "", c.Day, new ClearingFactsStore.DayRow(), c.Closed_At)));
        return new CommunityFactsPage(FactsRange.Format(first), FactsRange.Format(last), street,
            [.. facts.OrderBy(f => f.CommunityCode, StringComparer.Ordinal).ThenBy(f => f.Day, StringComparer.Ordinal)]);
    }

    private static CommunityDayFacts Facts(string community, string street, string day, ClearingFactsStore.DayRow d, DateTimeOffset? closedAt) => new(
        community, street, day, (int)d.Forms, (int)d.Late, (int)d.Submitted_Same_Day, (int)d.Submitted_Later, (int)d.Withdrawn_Unsubmitted,
        (int)d.Drafts, (int)d.Pending, (int)d.Accepted, (int)d.Accepted_First_Time, (int)d.Rejected, (int)d.Rejected_Ever, (int)d.Withdrawn,
        DayClearing.IsCleared((int)d.Drafts, (int)d.Pending, (int)d.Rejected), closedAt,
        FactsRange.TryParse(day, out var date) && DayClearing.ClearedByDeadline(date, closedAt));
}
