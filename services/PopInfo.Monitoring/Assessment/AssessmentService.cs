using PopInfo.Domain.Monitoring;
using PopInfo.Domain.Regions;
using PopInfo.ServiceDefaults.Outcomes;
using PopInfo.ServiceDefaults.Problems;

namespace PopInfo.Monitoring.Assessment;

/// <summary>
/// Timeliness (一日一清 per community and street) and the assessment (以评促建) of communities and departments, from the
/// facts the collection and exchange services give the monitoring client; scored by <see cref="Domain.Monitoring.Assessment"/>.
/// Nothing is stored: every answer is worked out from the sources' facts when asked.
/// </summary>
public sealed class AssessmentService(CollectionFactsClient collection, ExchangeFactsClient exchange, RegionCatalogue regions)
{
    public async Task<Result<TimelinessReport>> TimelinessAsync(string? day, string? street, CancellationToken ct)
    {
        var violations = new List<RuleViolation>();
        if (!FactsRange.TryParse(day, out var date))
        {
            violations.Add(new("day", day is null ? "required" : "date.format", "day is written yyyy-MM-dd."));
        }

        if (street is not null && (!regions.TryGet(street, out var region) || region.Level != RegionLevel.Street))
        {
            violations.Add(new("street", "region.street", $"No street or town {street} in the city."));
        }

        if (violations.Count > 0)
        {
            return Invalid<TimelinessReport>(violations);
        }

        CommunityFactsPage page;
        try
        {
            page = await collection.ReadAsync(date, date, street, ct);
        }
        catch (SourceUnavailableException ex)
        {
            return Unavailable<TimelinessReport>(ex);
        }

        var facts = page.Days.ToDictionary(d => d.CommunityCode);
        // One street: every community of it, those without forms too (cleared, nothing in the way). The city: those with facts.
        var codes = street is null ? facts.Keys.Order(StringComparer.Ordinal).ToList() : [.. regions.ChildrenOf(street).Select(c => c.Code)];
        var communities = codes.Select(code => facts.TryGetValue(code, out var f) ? Status(f) : Status(Empty(code, date))).ToList();
        var streets = communities.GroupBy(c => c.StreetCode).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => new StreetDayStatus(
            g.Key, NameOf(g.Key), g.Count(), g.Sum(c => c.Forms), g.Sum(c => c.Late), g.Sum(c => c.Drafts), g.Sum(c => c.Pending), g.Sum(c => c.Rejected),
            g.Count(c => !c.Cleared), g.Count(c => c.ClearedByDeadline))).ToList();
        return new TimelinessReport(FactsRange.Format(date), street, DayClearing.Deadline(date), communities, streets);
    }

    public async Task<Result<AssessmentReport<CommunityFigures>>> CommunitiesAsync(string? period, CancellationToken ct)
    {
        if (!Domain.Monitoring.Assessment.TryParsePeriod(period, out var from, out var to))
        {
            return Invalid<AssessmentReport<CommunityFigures>>([PeriodViolation(period)]);
        }

        CommunityFactsPage page;
        try
        {
            page = await collection.ReadAsync(from, to, null, ct);
        }
        catch (SourceUnavailableException ex)
        {
            return Unavailable<AssessmentReport<CommunityFigures>>(ex);
        }

        var weights = Domain.Monitoring.Assessment.CommunityWeights;
        var scored = page.Days.GroupBy(d => d.CommunityCode).Select(g =>
        {
            var figures = CommunityFigures.Sum(g);
            var result = Domain.Monitoring.Assessment.Score(Domain.Monitoring.Assessment.Community(figures), weights);
            return (Code: g.Key, Street: g.First().StreetCode, Figures: figures, Result: result);
        }).ToList();
        var lines = Domain.Monitoring.Assessment.Rank(scored, s => s.Result.Score, s => s.Code)
            .Select(r => Line(r.Rank, r.Item.Code, NameOf(r.Item.Code), r.Item.Street, r.Item.Result, r.Item.Figures)).ToList();
        return new AssessmentReport<CommunityFigures>("communities", period!, FactsRange.Format(from), FactsRange.Format(to), weights,
            Domain.Monitoring.Assessment.Stages, lines);
    }

    public async Task<Result<AssessmentReport<DepartmentFigures>>> DepartmentsAsync(string? period, CancellationToken ct)
    {
        if (!Domain.Monitoring.Assessment.TryParsePeriod(period, out var from, out var to))
        {
            return Invalid<AssessmentReport<DepartmentFigures>>([PeriodViolation(period)]);
        }

        DepartmentFactsPage page;
        try
        {
            page = await exchange.ReadAsync(from, to, ct);
        }
        catch (SourceUnavailableException ex)
        {
            return Unavailable<AssessmentReport<DepartmentFigures>>(ex);
        }

        var weights = Domain.Monitoring.Assessment.DepartmentWeights;
        var days = page.Days.ToLookup(d => d.DepartmentCode);
        var scored = page.Departments.Select(d =>
        {
            var figures = DepartmentFigures.Sum(days[d.Code]);
            return (d.Code, d.Name, Figures: figures, Result: Domain.Monitoring.Assessment.Score(Domain.Monitoring.Assessment.Department(figures), weights));
        }).ToList();
        var lines = Domain.Monitoring.Assessment.Rank(scored, s => s.Result.Score, s => s.Code)
            .Select(r => Line(r.Rank, r.Item.Code, r.Item.Name, null, r.Item.Result, r.Item.Figures)).ToList();
        return new AssessmentReport<DepartmentFigures>("departments", period!, FactsRange.Format(from), FactsRange.Format(to), weights,
            Domain.Monitoring.Assessment.Stages, lines);
    }

    private static AssessmentLine<T> Line<T>(int? rank, string code, string name, string? parent, AssessmentResult result, T figures) =>
        new(rank, code, name, parent, result.Assessed, result.Measures.Timeliness, result.Measures.Completeness, result.Measures.Acknowledgement,
            result.Score, result.Stage, figures);

    private static RuleViolation PeriodViolation(string? period) =>
        new("period", period is null ? "required" : "period.format", "period is a month (yyyy-MM) or a year (yyyy).");

    private string NameOf(string code) => regions.TryGet(code, out var region) ? region.Name : code;

    private CommunityDayStatus Status(CommunityDayFacts f) => new(
        f.CommunityCode, NameOf(f.CommunityCode), f.StreetCode, f.Forms, f.Late, f.SubmittedSameDay, f.SubmittedLater, f.Drafts, f.Pending,
        f.Accepted, f.Rejected, f.Withdrawn, f.Cleared, f.ClosedAt, f.ClearedByDeadline);

    private CommunityDayFacts Empty(string code, DateOnly day) => new(
        code, regions.TryGet(code, out var r) ? r.ParentCode ?? "" : "", FactsRange.Format(day), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, true, null, false);

    private static Result<T> Invalid<T>(IReadOnlyList<RuleViolation> violations) => Refusal.Invalid(violations);

    private static Result<T> Unavailable<T>(SourceUnavailableException ex) => Refusal.SourceUnavailable(ex.SourceService, ex.Kind);
}
