using System.Runtime.CompilerServices;
using Dapper;
using PopInfo.ServiceDefaults.Data;

namespace PopInfo.Registry.Data;

/// <summary>
/// Opens consistent snapshots of the register: every person (and every superseded version) as of one change-log sequence.
/// </summary>
public sealed class SnapshotStore([FromKeyedServices(RegistryModule.Name)] ServiceDatabase database, TimeProvider clock, ILogger<SnapshotStore> logger)
{
    // Ordered by the person id only: both arms then come straight from their primary keys (persons (id),
    // person_history (person_id, version)) and PostgreSQL merges the two index scans (Merge Append); SQLite merges
    // its two ordered arms likewise. Neither sorts the table. The few versions of one person arrive together, in no
    // promised order among themselves; ReadAsync puts them in version order.
    private const string CurrentRows =
        "SELECT id AS Person_Id, version AS Version, change_type AS Change_Type, record AS Record, occurred_at AS Occurred_At, recorded_at AS Recorded_At, NULL AS Superseded_At FROM persons";

    private const string HistoryRows =
        "SELECT person_id, version, change_type, record, occurred_at, recorded_at, superseded_at FROM person_history";

    /// <summary>
    /// Begins the snapshot's read-only transaction and reads the last sequence in it, first: a writer holds the counter row
    /// locked until it commits (ADR 0001), so every entry up to that sequence is committed and seen by the transaction,
    /// and none after it. The caller streams <see cref="RegistrySnapshot.ReadAsync"/> and disposes the snapshot.
    /// <para>
    /// On the replica when there is one (<see cref="ServiceDatabase.Reads"/>): a replica replays commits in the primary's
    /// order, so its counter and its rows agree the same way. A recovery conflict while opening is retried here
    /// (<see cref="RecoveryConflicts"/>); one while streaming cuts the stream short (no trailer), and the reader — a
    /// projection's rebuild — takes a new snapshot (docs/database-replica.md).
    /// </para>
    /// </summary>
    public Task<RegistrySnapshot> OpenAsync(bool history, CancellationToken ct) =>
        RecoveryConflicts.RetryAsync(c => OpenOnceAsync(history, c),
            (attempt, e) => logger.LogWarning("Opening a snapshot on the replica met a recovery conflict (try {Attempt}): {Error}", attempt, e.Message), ct);

    private async Task<RegistrySnapshot> OpenOnceAsync(bool history, CancellationToken ct)
    {
        var snapshot = await database.Reads.BeginSnapshotAsync(ct);
        try
        {
            var sequence = await snapshot.Connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT last_sequence FROM change_sequence WHERE id = 1", transaction: snapshot.Transaction, cancellationToken: ct));
            return new RegistrySnapshot(snapshot, sequence, clock.GetUtcNow(), history);
        }
        catch
        {
            await snapshot.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Streams an open snapshot's rows (never all in memory): one person at a time, their versions in order, the current
    /// one last (<see cref="RegistrySnapshot.ReadAsync"/>).
    /// </summary>
    internal static async IAsyncEnumerable<SnapshotRow> ReadAsync(UnitOfWork snapshot, bool history, [EnumeratorCancellation] CancellationToken ct)
    {
        var sql = history ? $"{CurrentRows} UNION ALL {HistoryRows} ORDER BY 1" : $"{CurrentRows} ORDER BY id";
        var person = new List<SnapshotRow>(4);
        // No command timeout (0): the rows come as fast as the caller takes them, for as long as the register takes; a caller
        // who goes away cancels the read.
        await foreach (var row in snapshot.Connection.QueryUnbufferedAsync<SnapshotRow>(sql, transaction: snapshot.Transaction, commandTimeout: 0).WithCancellation(ct))
        {
            if (person.Count > 0 && person[0].Person_Id != row.Person_Id)
            {
                foreach (var version in InOrder(person))
                {
                    yield return version;
                }

                person.Clear();
            }

            person.Add(row);
        }

        foreach (var version in InOrder(person))
        {
            yield return version;
        }
    }

    private static List<SnapshotRow> InOrder(List<SnapshotRow> person)
    {
        if (person.Count > 1)
        {
            person.Sort((a, b) => a.Version.CompareTo(b.Version));
        }

        return person;
    }
}

/// <summary>One version of a person as the snapshot reads it; <see cref="Superseded_At"/> is null for the current version.</summary>
public sealed class SnapshotRow
{
    public Guid Person_Id { get; init; }
    public int Version { get; init; }
    public string Change_Type { get; init; } = "";
    public string Record { get; init; } = "";
    public DateTimeOffset Occurred_At { get; init; }
    public DateTimeOffset Recorded_At { get; init; }
    public DateTimeOffset? Superseded_At { get; init; }

    public bool Current => Superseded_At is null;
}
