namespace PopInfo.Domain.Counties;

/// <summary>The administrative level of a six-digit GB/T 2260 code in the county list.</summary>
public enum CountyLevel
{
    /// <summary>地级: a prefecture-level city, prefecture, league or autonomous prefecture (e.g. 320200 无锡市).</summary>
    Prefecture = 1,

    /// <summary>县级: a district, county, county-level city, banner (e.g. 320213 梁溪区).</summary>
    County = 2,
}

/// <summary>Whether a name under a code is still in use (the source's 状态 column).</summary>
public enum CountyStatus
{
    /// <summary>在用: in the latest year-end list under this code and name.</summary>
    InUse = 1,

    /// <summary>弃用: the code was withdrawn; its area went to the successor codes.</summary>
    Abolished = 2,

    /// <summary>
    /// 变更: this name or area under the code ended (renamed, re-coded or re-drawn); the code may live on under
    /// another entry, and the successors say where the area went.
    /// </summary>
    Changed = 3,
}

/// <summary>A code the area of an entry went to, and the year of that change when it differs from the entry's end.</summary>
/// <param name="Code">The six-digit code that took the area (or, for an entry still in use, a part of it).</param>
/// <param name="Year">The year of that change; null when it is the entry's <see cref="CountyEntry.ToYear"/>.</param>
public sealed record CountySuccessor(string Code, int? Year);

/// <summary>
/// One name under one six-digit code for a span of years, as the county list has it. A code can carry several
/// entries over time (320211 was 郊区 from 1983 to 2000 and is 滨湖区 since), so the code alone is not a key.
/// </summary>
/// <param name="Code">Six digits (GB/T 2260).</param>
/// <param name="Name">The name in those years, e.g. 崇安区.</param>
/// <param name="Level">Prefecture or county level.</param>
/// <param name="Province">The province-level unit's name, e.g. 江苏省.</param>
/// <param name="Prefecture">
/// The enclosing prefecture-level unit's name while the entry was in use (its own name for a prefecture);
/// null for a county directly under a province or a municipality (the source's 直辖) or where the source has none.
/// </param>
/// <param name="Status">In use, abolished or changed.</param>
/// <param name="FromYear">The first year whose year-end list (31 December) has the entry.</param>
/// <param name="ToYear">The first year whose year-end list no longer has it (exclusive); null while in use.</param>
/// <param name="Successors">Where the area went; for an entry in use, codes that took part of its area.</param>
public sealed record CountyEntry(
    string Code,
    string Name,
    CountyLevel Level,
    string Province,
    string? Prefecture,
    CountyStatus Status,
    int FromYear,
    int? ToYear,
    IReadOnlyList<CountySuccessor> Successors)
{
    public bool InUse => Status == CountyStatus.InUse;

    /// <summary>The name with its province and prefecture, as a person reads it: 江苏省无锡市崇安区.</summary>
    public string FullName => Level == CountyLevel.Prefecture || Prefecture is null
        ? Province + Name
        : Province + Prefecture + Name;
}
