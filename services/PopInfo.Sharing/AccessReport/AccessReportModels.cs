namespace PopInfo.Sharing.AccessReport;

/// <summary>
/// An auditor's question, on a person's request: who accessed this person? The person by identity number (in the body,
/// never a URL) or by the register's id, exactly one; the language of the purposes' names (<c>zh</c>, the default, or
/// <c>en</c>); and optionally the reference of the person's request, which the audit row keeps.
/// </summary>
public sealed record AccessReportRequest(string? IdNumber, Guid? PersonId, string? Language, string? CaseReference);

/// <summary>
/// A person's access report: every access the sharing service, the exchange and the registry recorded, oldest first, each
/// naming its <see cref="AccessReportEntry.Source"/>; whether each source answered (<see cref="Sources"/>); how many entries
/// are withheld. Built for <see cref="Auditor"/> at <see cref="GeneratedAt"/>.
/// </summary>
public sealed record PersonAccessReport(
    Guid PersonId, string Language, DateTimeOffset GeneratedAt, string Auditor, IReadOnlyList<AccessReportSource> Sources,
    IReadOnlyList<AccessReportEntry> Entries, int Withheld);

/// <summary>One source of the report (<c>sharing</c>, <c>exchange</c>, <c>registry</c>): whether it answered, and if not, why.</summary>
public sealed record AccessReportSource(string Name, bool Ok, string? Error);

/// <summary>
/// One access. A withheld one (its purpose is one the law keeps from the person) says only its source and when: every
/// other field is null. Otherwise: who (<see cref="Department"/> — a department's or service's client id — and its
/// <see cref="User"/>), what (<see cref="Operation"/>: a sharing operation, a registry endpoint, or the exchange's event
/// type), why (<see cref="Purpose"/> with its name in the report's language), the <see cref="CaseReference"/>, the
/// <see cref="Outcome"/>, and for the exchange the <see cref="Channel"/> (queue, webhook, feed).
/// </summary>
public sealed record AccessReportEntry(
    string Source, DateTimeOffset At, bool Withheld, string? Department, string? User, string? Operation, string? Purpose, string? PurposeName,
    string? CaseReference, string? Outcome, string? Channel, string? Detail)
{
    public static AccessReportEntry WithheldAt(string source, DateTimeOffset at) => new(source, at, true, null, null, null, null, null, null, null, null, null);
}

/// <summary>The names of the report's sources.</summary>
public static class AccessReportSources
{
    public const string Sharing = "sharing";
    public const string Exchange = "exchange";
    public const string Registry = "registry";
}
