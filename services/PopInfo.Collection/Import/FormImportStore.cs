using System.Data.Common;
using System.Text.Json;
using Dapper;
using PopInfo.ServiceDefaults.Data;
using PopInfo.ServiceDefaults.Problems;

namespace PopInfo.Collection.Import;

/// <summary>
/// The SQL of bulk entry (<see cref="FormImportService"/>): an import's header (the file by SHA-256, its community, its
/// counts), the rows kept back with their violations, and an import read again with its forms. Runs in the caller's work:
/// the import's transaction, or none for a read.
/// </summary>
internal sealed class FormImportStore(UnitOfWork work)
{
    private readonly DbConnection connection = work.Connection;
    private readonly DbTransaction? transaction = work.Transaction;

    /// <summary>The community's earlier import of the same file, if any.</summary>
    public Task<Guid?> SameFileAsync(string community, string sha, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<Guid?>(new CommandDefinition(
            "SELECT id FROM imports WHERE community_code = @community AND file_sha256 = @sha", new { community, sha }, transaction, cancellationToken: ct));

    public Task AddAsync(Guid importId, string community, string sha, string? fileName, int total, int accepted, int rejected, string by,
        DateTimeOffset now, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO imports (id, community_code, file_sha256, file_name, rows_total, rows_accepted, rows_rejected, created_by, created_at)
            VALUES (@importId, @community, @sha, @fileName, @total, @accepted, @rejected, @by, @now)
            """,
            new { importId, community, sha, fileName, total, accepted, rejected, by, now },
            transaction, cancellationToken: ct));

    /// <summary>A row kept back for correction: its data as read from the file, and why it was kept back.</summary>
    public Task AddKeptRowAsync(Guid importId, ImportBadRow row, IReadOnlyDictionary<string, string> data, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO import_rows (import_id, line, form_type, data, violations, resolved) VALUES (@importId, @Line, @FormType, @data, @violations, @no)",
            new { importId, row.Line, row.FormType, data = JsonSerializer.Serialize(data), violations = JsonSerializer.Serialize(row.Violations), no = false },
            transaction, cancellationToken: ct));

    public Task<Header?> HeaderAsync(Guid importId, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<Header>(new CommandDefinition(
            "SELECT community_code AS Community, rows_total AS Total, rows_accepted AS Accepted, rows_rejected AS Rejected FROM imports WHERE id = @importId",
            new { importId }, transaction, cancellationToken: ct));

    /// <summary>The forms the import made, in the order of their lines.</summary>
    public async Task<IReadOnlyList<Guid>> FormsAsync(Guid importId, CancellationToken ct) =>
        [.. await connection.QueryAsync<Guid>(new CommandDefinition(
            "SELECT id FROM forms WHERE import_id = @importId ORDER BY import_line", new { importId }, transaction, cancellationToken: ct))];

    /// <summary>The rows the import kept back, in the order of their lines, with their violations.</summary>
    public async Task<IReadOnlyList<ImportBadRow>> KeptRowsAsync(Guid importId, CancellationToken ct)
    {
        var rows = await connection.QueryAsync<KeptRow>(new CommandDefinition(
            "SELECT line AS Line, form_type AS FormType, violations AS Violations FROM import_rows WHERE import_id = @importId ORDER BY line",
            new { importId }, transaction, cancellationToken: ct));
        return [.. rows.Select(r => new ImportBadRow(r.Line, r.FormType, JsonSerializer.Deserialize<List<RuleViolation>>(r.Violations)!))];
    }

    // Classes with setters: Dapper converts SQLite's INTEGER to int for properties, not for tuple elements.
    public sealed class Header
    {
        public string Community { get; init; } = "";
        public int Total { get; init; }
        public int Accepted { get; init; }
        public int Rejected { get; init; }
    }

    private sealed class KeptRow
    {
        public int Line { get; init; }
        public string? FormType { get; init; }
        public string Violations { get; init; } = "[]";
    }
}
