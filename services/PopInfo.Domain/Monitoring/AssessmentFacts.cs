namespace PopInfo.Domain.Monitoring;

/// <summary>
/// What the collection service knows of one community's day (<c>GET /api/v1/monitor/clearing</c>, scope
/// <c>collection.monitor</c>): counts only, no person. Forms = drafts + pending + accepted + rejected + withdrawn, as in
/// the desk's day report.
/// </summary>
/// <param name="CommunityCode">The community (12 digits).</param>
/// <param name="StreetCode">Its street (9 digits).</param>
/// <param name="Day">The day, yyyy-MM-dd (city time).</param>
/// <param name="Forms">Forms of the day.</param>
/// <param name="Late">Forms that came into this day late: created while the day they were entered on was closed.</param>
/// <param name="SubmittedSameDay">Forms whose first submission was on the form's own day (city time).</param>
/// <param name="SubmittedLater">Forms first submitted on a later day.</param>
/// <param name="WithdrawnUnsubmitted">Withdrawn without ever being submitted (a draft dealt with; not due).</param>
/// <param name="Drafts">Drafts now (never submitted).</param>
/// <param name="Pending">Submitted, waiting for the registry.</param>
/// <param name="Accepted">Accepted now.</param>
/// <param name="AcceptedFirstTime">Accepted by the registry without any rejection before.</param>
/// <param name="Rejected">Rejected now and not dealt with.</param>
/// <param name="RejectedEver">Rejected by the registry at least once (whatever they are now).</param>
/// <param name="Withdrawn">Withdrawn.</param>
/// <param name="Cleared">No draft, pending or rejected form now (<see cref="DayClearing.IsCleared"/>).</param>
/// <param name="ClosedAt">When the collector closed the day, if closed.</param>
/// <param name="ClearedByDeadline">Closed before the end of the day (<see cref="DayClearing.ClearedByDeadline"/>).</param>
public sealed record CommunityDayFacts(
    string CommunityCode,
    string StreetCode,
    string Day,
    int Forms,
    int Late,
    int SubmittedSameDay,
    int SubmittedLater,
    int WithdrawnUnsubmitted,
    int Drafts,
    int Pending,
    int Accepted,
    int AcceptedFirstTime,
    int Rejected,
    int RejectedEver,
    int Withdrawn,
    bool Cleared,
    DateTimeOffset? ClosedAt,
    bool ClearedByDeadline);

/// <summary>The collection's answer: every community with a form or a closed day in the range, day by day.</summary>
public sealed record CommunityFactsPage(string From, string To, string? Street, IReadOnlyList<CommunityDayFacts> Days);

/// <summary>
/// What the exchange knows of one department's day (<c>GET /api/v1/monitor/departments</c>, scope
/// <c>exchange.monitor</c>): what it supplied (inbound records received that day) and what it received (deliveries
/// made that day). Counts only.
/// </summary>
/// <param name="DepartmentCode">The department.</param>
/// <param name="Day">The day, yyyy-MM-dd (city time).</param>
/// <param name="Received">Inbound records taken (or refused over AMQP) that day.</param>
/// <param name="Applied">… now applied by the register.</param>
/// <param name="Rejected">… refused by the registry.</param>
/// <param name="Refused">… refused by the record rules (AMQP only; over HTTP nothing is stored).</param>
/// <param name="Held">… held for review, not yet decided.</param>
/// <param name="Dismissed">… held and dismissed by the administrator.</param>
/// <param name="InProgress">… queued or sent, no answer yet.</param>
/// <param name="Dated">… with an event date (all but corrections and refused records).</param>
/// <param name="OnTime">… of those, received within <see cref="Assessment.SupplyDays"/> days of the event (<see cref="Assessment.SuppliedOnTime"/>).</param>
/// <param name="Delivered">Events made for the department that day.</param>
/// <param name="Acknowledged">… of those, taken by the department: webhook answered 2xx, read from the feed, or consumed from its queue.</param>
/// <param name="AcknowledgedInTime">… acknowledged within <see cref="Assessment.AcknowledgementTarget"/> of being made, by a webhook 2xx or a feed read whose time is known.</param>
/// <param name="AcknowledgedUntimed">… consumed from the AMQP queue (the broker says that, not when).</param>
public sealed record DepartmentDayFacts(
    string DepartmentCode,
    string Day,
    int Received,
    int Applied,
    int Rejected,
    int Refused,
    int Held,
    int Dismissed,
    int InProgress,
    int Dated,
    int OnTime,
    int Delivered,
    int Acknowledged,
    int AcknowledgedInTime,
    int AcknowledgedUntimed);

/// <summary>A department as the exchange has it (code and name; departments with no day in the range still assessed as "not assessed").</summary>
public sealed record MonitoredDepartment(string Code, string Name);

/// <summary>The exchange's answer: every department, and its days with any figure in the range.</summary>
public sealed record DepartmentFactsPage(string From, string To, IReadOnlyList<MonitoredDepartment> Departments, IReadOnlyList<DepartmentDayFacts> Days);
