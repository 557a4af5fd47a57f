using PopInfo.Domain.Monitoring;

namespace PopInfo.Monitoring.Assessment;

/// <summary>One community's day in the timeliness answer (docs/monitoring.md, "Timeliness").</summary>
public sealed record CommunityDayStatus(
    string CommunityCode, string CommunityName, string StreetCode, int Forms, int Late, int SubmittedSameDay, int SubmittedLater,
    int Drafts, int Pending, int Accepted, int Rejected, int Withdrawn, bool Cleared, DateTimeOffset? ClosedAt, bool ClearedByDeadline);

/// <summary>A street's day: its communities' figures summed; how many communities had not cleared, and how many cleared by the deadline.</summary>
public sealed record StreetDayStatus(
    string StreetCode, string StreetName, int Communities, int Forms, int Late, int Drafts, int Pending, int Rejected,
    int NotCleared, int ClearedByDeadline);

public sealed record TimelinessReport(string Day, string? Street, DateTimeOffset Deadline, IReadOnlyList<CommunityDayStatus> Communities, IReadOnlyList<StreetDayStatus> Streets);

/// <summary>One subject's line of an assessment: rank (null: not assessed), measures, score, stage and the figures they come from.</summary>
public sealed record AssessmentLine<TFigures>(
    int? Rank, string Code, string Name, string? Parent, bool Assessed, double? Timeliness, double? Completeness, double? Acknowledgement,
    double? Score, Stage? Stage, TFigures Figures);

public sealed record AssessmentReport<TFigures>(
    string Subject, string Period, string From, string To, Weights Weights, IReadOnlyList<Stage> Stages, IReadOnlyList<AssessmentLine<TFigures>> Items);
