using System.Globalization;

namespace PopInfo.Domain.Monitoring;

/// <summary>A measure or score 0–100, or null: nothing to measure.</summary>
public sealed record Measures(double? Timeliness, double? Completeness, double? Acknowledgement);

/// <summary>The weights of the three measures in a subject's score (they sum to 100).</summary>
public sealed record Weights(int Timeliness, int Completeness, int Acknowledgement);

/// <summary>One of the five stages of the city's e-government assessment.</summary>
/// <param name="Number">1 (lowest) to 5.</param>
/// <param name="Code">Its code (poor, weak, fair, good, excellent).</param>
/// <param name="Label">Its name, Chinese and English.</param>
/// <param name="From">Lowest score of the stage, included.</param>
/// <param name="Below">The stage holds scores below this (null: up to 100 included).</param>
public sealed record Stage(int Number, string Code, string Label, double From, double? Below);

/// <summary>A subject's result: measures and score rounded to one decimal, or not assessed (score and stage null).</summary>
public sealed record AssessmentResult(Measures Measures, double? Score, Stage? Stage)
{
    public bool Assessed => Score is not null;
}

/// <summary>The sums of a community's days in a period, from which its measures are taken.</summary>
public sealed record CommunityFigures(
    int Days, int DaysWithForms, int DaysClearedByDeadline, int Forms, int FormsDue, int SubmittedSameDay, int Late,
    int Answered, int AcceptedFirstTime, int Accepted, int Rejected, int RejectedEver, int Pending, int Drafts)
{
    public static CommunityFigures Sum(IEnumerable<CommunityDayFacts> days)
    {
        var list = days.ToList();
        return new(
            list.Count,
            list.Count(d => d.Forms > 0),
            list.Count(d => d.Forms > 0 && d.ClearedByDeadline),
            list.Sum(d => d.Forms),
            list.Sum(d => d.Forms - d.WithdrawnUnsubmitted),
            list.Sum(d => d.SubmittedSameDay),
            list.Sum(d => d.Late),
            list.Sum(d => d.AcceptedFirstTime + d.RejectedEver),
            list.Sum(d => d.AcceptedFirstTime),
            list.Sum(d => d.Accepted),
            list.Sum(d => d.Rejected),
            list.Sum(d => d.RejectedEver),
            list.Sum(d => d.Pending),
            list.Sum(d => d.Drafts));
    }
}

/// <summary>The sums of a department's days in a period.</summary>
public sealed record DepartmentFigures(
    int Received, int Dated, int OnTime, int Decided, int Applied, int Rejected, int Refused, int Held, int Dismissed, int InProgress,
    int Delivered, int Acknowledged, int AcknowledgedInTime, int AcknowledgedUntimed)
{
    public static DepartmentFigures Sum(IEnumerable<DepartmentDayFacts> days)
    {
        var list = days.ToList();
        return new(
            list.Sum(d => d.Received),
            list.Sum(d => d.Dated),
            list.Sum(d => d.OnTime),
            list.Sum(d => d.Applied + d.Rejected + d.Refused + d.Dismissed),
            list.Sum(d => d.Applied),
            list.Sum(d => d.Rejected),
            list.Sum(d => d.Refused),
            list.Sum(d => d.Held),
            list.Sum(d => d.Dismissed),
            list.Sum(d => d.InProgress),
            list.Sum(d => d.Delivered),
            list.Sum(d => d.Acknowledged),
            list.Sum(d => d.AcknowledgedInTime),
            list.Sum(d => d.AcknowledgedUntimed));
    }
}

/// <summary>
/// The assessment (以评促建, issue 12; docs/monitoring.md, "Assessment"): three measures 0–100, their weighted sum as the
/// published score, the city's five stages, ranking. Pure functions of the daily facts.
/// </summary>
public static class Assessment
{
    /// <summary>A community supplies forms and receives nothing from the exchange: timeliness 60, completeness 40.</summary>
    public static readonly Weights CommunityWeights = new(60, 40, 0);

    /// <summary>A department supplies records and receives deliveries: timeliness 40, completeness 30, acknowledgement 30.</summary>
    public static readonly Weights DepartmentWeights = new(40, 30, 30);

    /// <summary>A record is supplied on time when received no later than this many days after its event date (city time).</summary>
    public const int SupplyDays = 7;

    /// <summary>A delivery is acknowledged in time when taken within this long of being made.</summary>
    public static readonly TimeSpan AcknowledgementTarget = TimeSpan.FromHours(24);

    /// <summary>The longest range of days a source answers at once.</summary>
    public const int MaxDays = 366;

    /// <summary>The five stages: below 30, 30 to below 60, 60 to below 75, 75 to below 90, 90 and above (each lower bound belongs to its stage).</summary>
    public static readonly IReadOnlyList<Stage> Stages =
    [
        new(1, "poor", "差 poor", 0, 30),
        new(2, "weak", "较差 weak", 30, 60),
        new(3, "fair", "合格 fair", 60, 75),
        new(4, "good", "良好 good", 75, 90),
        new(5, "excellent", "优秀 excellent", 90, null),
    ];

    /// <summary>The stage of a (rounded) score: a score equal to a bound is in the stage that bound begins.</summary>
    public static Stage StageOf(double score) => Stages.Last(s => score >= s.From);

    /// <summary>One decimal, halves away from zero (87.25 → 87.3).</summary>
    public static double Round(double value) => Math.Round(value, 1, MidpointRounding.AwayFromZero);

    /// <summary>100 × part / whole, or null when the whole is 0 (nothing to measure).</summary>
    public static double? Share(int part, int whole) => whole == 0 ? null : 100.0 * part / whole;

    /// <summary>
    /// A record's event date against the day it was received: on time when received on or before the event date plus
    /// <see cref="SupplyDays"/> days (city dates).
    /// </summary>
    public static bool SuppliedOnTime(DateOnly eventDate, DateOnly receivedDay) => receivedDay <= eventDate.AddDays(SupplyDays);

    /// <summary>
    /// Where an inbound record of a kind carries the date of what it records (the field path in the record as pushed):
    /// a birth its child's birth date, a death its death date, moves their move date, a migrant's arrival or departure its
    /// date; a correction has none (it is not measured for timeliness).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> EventDateFields = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["birth"] = "person.birthDate",
        ["death"] = "deathDate",
        ["move-in"] = "moveDate",
        ["move-out"] = "moveDate",
        ["move-within-city"] = "moveDate",
        ["migrant-arrival"] = "arrivalDate",
        ["migrant-departure"] = "departureDate",
    };

    /// <summary>
    /// A community's measures. Timeliness: the mean of the share of its days with forms that were cleared by the deadline
    /// and the share of its forms due (all but drafts withdrawn unsubmitted) first submitted on their own day — the days'
    /// share alone when no form is due. Completeness: the share of its forms answered by the registry that were accepted
    /// with no rejection before. Acknowledgement: none (a community receives no deliveries).
    /// </summary>
    public static Measures Community(CommunityFigures f)
    {
        var days = Share(f.DaysClearedByDeadline, f.DaysWithForms);
        var forms = Share(f.SubmittedSameDay, f.FormsDue);
        var timeliness = days is null ? null : forms is null ? days : (days + forms) / 2;
        return new(timeliness, Share(f.AcceptedFirstTime, f.Answered), null);
    }

    /// <summary>
    /// A department's measures. Timeliness: the share of its dated records supplied on time. Completeness: the share of
    /// its decided records (applied, rejected, refused, dismissed) that the register applied. Acknowledgement: the share
    /// of the deliveries made to it that it acknowledged in time, or — on its queue, where the time is not known — at all.
    /// </summary>
    public static Measures Department(DepartmentFigures f) =>
        new(Share(f.OnTime, f.Dated), Share(f.Applied, f.Decided), Share(f.AcknowledgedInTime + f.AcknowledgedUntimed, f.Delivered));

    /// <summary>
    /// The score: the weighted mean of the measures there are (weights of missing measures left out, the others scaled to
    /// sum 100), from the unrounded measures, then rounded; not assessed when no measure has anything to measure.
    /// </summary>
    public static AssessmentResult Score(Measures m, Weights w)
    {
        var parts = new (double? Value, int Weight)[] { (m.Timeliness, w.Timeliness), (m.Completeness, w.Completeness), (m.Acknowledgement, w.Acknowledgement) }
            .Where(p => p.Value is not null && p.Weight > 0)
            .ToList();
        var rounded = new Measures(RoundOrNull(m.Timeliness), RoundOrNull(m.Completeness), RoundOrNull(m.Acknowledgement));
        if (parts.Count == 0)
        {
            return new(rounded, null, null);
        }

        var score = Round(parts.Sum(p => p.Value!.Value * p.Weight) / parts.Sum(p => p.Weight));
        return new(rounded, score, StageOf(score));
    }

    private static double? RoundOrNull(double? value) => value is { } v ? Round(v) : null;

    /// <summary>
    /// Ranks by score, highest first; equal scores share a rank and the next rank skips (1, 2, 2, 4); ties are listed by
    /// code. Subjects not assessed come last, unranked (null), by code.
    /// </summary>
    public static IReadOnlyList<(T Item, int? Rank)> Rank<T>(IEnumerable<T> items, Func<T, double?> score, Func<T, string> code)
    {
        var assessed = items.Where(i => score(i) is not null).OrderByDescending(i => score(i)).ThenBy(code, StringComparer.Ordinal).ToList();
        var ranked = new List<(T, int?)>();
        for (var i = 0; i < assessed.Count; i++)
        {
            var rank = i > 0 && score(assessed[i]) == score(assessed[i - 1]) ? ranked[i - 1].Item2 : i + 1;
            ranked.Add((assessed[i], rank));
        }

        ranked.AddRange(items.Where(i => score(i) is null).OrderBy(code, StringComparer.Ordinal).Select(i => (i, (int?)null)));
        return ranked;
    }

    /// <summary>A period: a month <c>yyyy-MM</c> or a year <c>yyyy</c>, as its first and last day; false when neither.</summary>
    public static bool TryParsePeriod(string? period, out DateOnly from, out DateOnly to)
    {
        from = to = default;
        if (period is { Length: 7 } && DateOnly.TryParseExact(period + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out from))
        {
            to = from.AddMonths(1).AddDays(-1);
            return true;
        }

        if (period is { Length: 4 } && DateOnly.TryParseExact(period + "-01-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out from))
        {
            to = from.AddYears(1).AddDays(-1);
            return true;
        }

        return false;
    }
}
