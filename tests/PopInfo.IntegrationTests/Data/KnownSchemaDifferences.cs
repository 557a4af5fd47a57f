namespace PopInfo.IntegrationTests.Data;

/// <summary>
/// The differences between a service's PostgreSQL and SQLite schemas that are allowed, each with its reason. The schema
/// test fails on a difference not listed here, and on a listed one that no longer occurs (remove it then): the list is
/// always exactly what differs.
/// </summary>
public static class KnownSchemaDifferences
{
    public static readonly IReadOnlyList<AllowedDifference> All =
    [
    ];

    /// <summary>
    /// What the schema test fails on: each difference of <paramref name="service"/> that no entry allows, and each entry
    /// of the service that no longer matches a difference.
    /// </summary>
    public static List<string> Unexplained(string service, IReadOnlyCollection<SchemaDifference> differences, IReadOnlyList<AllowedDifference> allowed)
    {
        var ofService = allowed.Where(a => a.Service == service).ToList();
        return
        [
            .. differences.Where(d => !ofService.Any(a => a.Matches(d))).Select(d => d.ToString()),
            .. ofService.Where(a => !differences.Any(a.Matches)).Select(a => "allowed but no longer differs (remove it from KnownSchemaDifferences): " + a),
        ];
    }
}

/// <summary>A difference the schema test allows: service, table, item (column, index or trigger; null for the table or its key) and kind.</summary>
public sealed record AllowedDifference(string Service, string Table, string? Item, string What, string Reason)
{
    public bool Matches(SchemaDifference difference) =>
        difference.Service == Service && difference.Table == Table && difference.Item == Item && difference.What == What;

    public override string ToString() => $"{Service}: table {Table}{(Item is null ? "" : $", {Item}")}: {What} ({Reason})";
}
