using System.Data.Common;
using System.Globalization;
using Dapper;
using PopInfo.ServiceDefaults.Data;

namespace PopInfo.ServiceDefaults.Leases;

/// <summary>
/// The <c>leases</c> table of a service's database (docs/architecture.md, "Several instances: single-active loops"): one
/// row per single-active loop — the instance that holds it (<c>holder</c>), the fencing token (<c>epoch</c>, one more at
/// every change of holder) and when it lapses (<c>expires_at</c>). Every time here is the database's clock
/// (<see cref="SqlDialect.Now"/>): processes never compare their own clocks with each other's.
/// </summary>
public sealed class LeaseStore(ServiceDatabase database)
{
    public ServiceDatabase Database => database;

    /// <summary>
    /// Takes the lease when it is free (never held, released or lapsed) or renews it when <paramref name="holder"/> holds
    /// it, for <paramref name="ttl"/> from now: its epoch, or null when another instance holds it. The row is made the
    /// first time (held by nobody, lapsed).
    /// </summary>
    public async Task<long?> HoldAsync(string name, string holder, TimeSpan ttl, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            HoldSql(database.Dialect), new { name, holder, ttl = Milliseconds(ttl) }, cancellationToken: ct));
    }

    /// <summary>Lets the lease lapse now, if <paramref name="holder"/> still holds it with <paramref name="epoch"/> (a graceful stop).</summary>
    public async Task ReleaseAsync(string name, string holder, long epoch, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(ReleaseSql(database.Dialect), new { name, holder, epoch }, cancellationToken: ct));
    }

    /// <summary>Who holds the lease (or held it last) and its epoch; null when it was never taken.</summary>
    public async Task<LeaseRow?> ReadAsync(string name, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<LeaseRow>(new CommandDefinition(
            "SELECT holder AS Holder, epoch AS Epoch FROM leases WHERE name = @name", new { name }, cancellationToken: ct));
    }

    /// <summary>
    /// Runs a leader's write command — its own statements, then <see cref="FenceSql"/> — in <paramref name="transaction"/>
    /// with the fence's parameters added, and checks what the fence returned (<see cref="LeaseFence.Check"/>):
    /// <see cref="LeaseLostException"/> before the caller commits when another instance leads now. The command's own
    /// statements return no rows (the fence's epoch is the command's one result).
    /// </summary>
    public static async Task WriteFencedAsync(DbConnection connection, DbTransaction? transaction, string sql, DynamicParameters parameters, LeaseFence fence,
        CancellationToken ct) =>
        fence.Check(await connection.ExecuteScalarAsync<long?>(new CommandDefinition(sql, WithFence(parameters, fence), transaction, cancellationToken: ct)));

    /// <summary>The same in a transaction of its own on <paramref name="connection"/> (one without a transaction), committed when the fence held.</summary>
    public static async Task WriteFencedAsync(DbConnection connection, string sql, DynamicParameters parameters, LeaseFence fence, CancellationToken ct)
    {
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await WriteFencedAsync(connection, transaction, sql, parameters, fence, ct);
        await transaction.CommitAsync(ct);
    }

    /// <summary>
    /// The statements of <see cref="HoldAsync"/> (parameters <c>@name</c>, <c>@holder</c>, <c>@ttl</c> in milliseconds): the
    /// row made if missing, then one UPDATE that takes or renews it and returns the epoch. Its WHERE decides who wins when
    /// two instances try at once: the second waits for the first's row lock and then finds the lease held.
    /// </summary>
    internal static string HoldSql(SqlDialect dialect) =>
        dialect.Upsert("leases", "name, holder, epoch, expires_at", $"(@name, '', 0, {dialect.Now})", keys: "name").TrimEnd(';') + ";\n" +
        "UPDATE leases SET epoch = CASE WHEN holder = @holder THEN epoch ELSE epoch + 1 END, holder = @holder, " +
        $"expires_at = {dialect.NowPlusMilliseconds("ttl")}{dialect.Output("epoch")} " +
        $"WHERE name = @name AND (holder = @holder OR expires_at <= {dialect.Now}){dialect.Returning("epoch")}";

    /// <summary>
    /// The fence, for a leader's own write commands: their last statement, in their transaction (its parameters
    /// <c>@leaseName</c>, <c>@leaseHolder</c>, <c>@leaseEpoch</c>, <c>@leaseTtl</c> added by <c>WriteFencedAsync</c>). It extends the lease and returns its epoch while <c>@leaseHolder</c> holds
    /// <c>@leaseName</c> with <c>@leaseEpoch</c>, and returns no row otherwise — then the caller rolls back
    /// (<see cref="LeaseFence.Check"/>). The row lock it takes is held to the commit, so a successor's take waits for that
    /// commit and then finds the lease renewed: a successor never starts from a state that a fenced-out write changes later.
    /// </summary>
    public static string FenceSql(SqlDialect dialect) =>
        $"UPDATE leases SET expires_at = {dialect.NowPlusMilliseconds("leaseTtl")}{dialect.Output("epoch")} " +
        $"WHERE name = @leaseName AND holder = @leaseHolder AND epoch = @leaseEpoch{dialect.Returning("epoch")}";

    // The fence's parameters beside the write's own: @leaseName, @leaseHolder, @leaseEpoch, @leaseTtl.
    private static DynamicParameters WithFence(DynamicParameters parameters, LeaseFence fence)
    {
        parameters.Add("leaseName", fence.Name);
        parameters.Add("leaseHolder", fence.Holder);
        parameters.Add("leaseEpoch", fence.Epoch);
        parameters.Add("leaseTtl", Milliseconds(fence.Ttl));
        return parameters;
    }

    internal static string ReleaseSql(SqlDialect dialect) =>
        $"UPDATE leases SET expires_at = {dialect.Now} WHERE name = @name AND holder = @holder AND epoch = @epoch";

    // An int: SQL Server's DATEADD takes one (a lease's time is seconds to minutes).
    internal static int Milliseconds(TimeSpan ttl) => (int)ttl.TotalMilliseconds;

    /// <summary>A lease's row as <see cref="ReadAsync"/> reads it.</summary>
    public sealed class LeaseRow
    {
        public string Holder { get; init; } = "";
        public long Epoch { get; init; }

        public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Holder} (epoch {Epoch})");
    }
}
