using PopInfo.Collection;
using PopInfo.Collection.Audit;
using PopInfo.Exchange;
using PopInfo.Exchange.Departments;
using PopInfo.Identity;
using PopInfo.ServiceDefaults.Data;
using PopInfo.Sharing;
using PopInfo.Sharing.Audit;
using PopInfo.Sharing.Grants;

namespace PopInfo.AuditVerify;

/// <summary>
/// <c>popinfo-audit verify</c>: walks every audit hash chain of the chosen services and reports, per table,
/// intact (rows, head) or the first row that breaks it. Exit code 0 when all are intact, 1 when one is not,
/// 2 for a bad command line. Reading needs only SELECT: the services' runtime roles may run it.
/// </summary>
public static class AuditVerifyCommand
{
    /// <summary>Each service's chained audit tables. A new service with an audit table adds its line.</summary>
    public static readonly IReadOnlyDictionary<string, AuditTable[]> Chains = new Dictionary<string, AuditTable[]>
    {
        [CollectionModule.Name] = [AuditLog.Table],
        [ExchangeModule.Name] = [ExchangeAuditStore.Table],
        [IdentityModule.Name] = [Identity.Audit.AuditLog.Table],
        [SharingModule.Name] = [GrantChanges.Table, AccessAuditStore.Table],
    };

    private const string Usage = """
        usage: popinfo-audit verify --provider PostgreSql --connection-string "Host=…;Username=…;Password=…;Database=…" [--service NAME]...
               popinfo-audit verify --provider Sqlite --data-dir ./data [--service NAME]...
        Services: collection, exchange, identity, sharing (default: all). Exit code 0: every chain intact; 1: one is broken; 2: bad command line.
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken ct)
    {
        if (args.Length == 0 || args[0] != "verify")
        {
            await output.WriteLineAsync(Usage);
            return 2;
        }

        string? provider = null, connectionString = null, dataDirectory = null;
        var services = new List<string>();
        for (var i = 1; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--provider": provider = value; i++; break;
                case "--connection-string": connectionString = value; i++; break;
                case "--data-dir": dataDirectory = value; i++; break;
                case "--service" when value is not null && Chains.ContainsKey(value): services.Add(value); i++; break;
                default:
                    await output.WriteLineAsync($"unknown or incomplete option '{args[i]}'\n{Usage}");
                    return 2;
            }
        }

        if (!(provider == "PostgreSql" && connectionString is not null) && !(provider == "Sqlite" && dataDirectory is not null))
        {
            await output.WriteLineAsync(Usage);
            return 2;
        }

        var intact = true;
        foreach (var service in services.Count > 0 ? services : [.. Chains.Keys])
        {
            var database = Open(service, provider, connectionString, dataDirectory);
            if (database is null)
            {
                await output.WriteLineAsync($"{service}: no database file in {dataDirectory}");
                intact = false;
                continue;
            }

            await using var connection = await database.OpenConnectionAsync(ct);
            foreach (var table in Chains[service])
            {
                var report = await table.VerifyAsync(connection, ct);
                intact &= report.Intact;
                await output.WriteLineAsync(report.Intact
                    ? $"{service}.{table.Name}: intact, {report.ChainedRows} rows chained ({report.RowsBeforeTheChain} from before the chain), head id {report.LastId} hash {report.LastHash}"
                    : $"{service}.{table.Name}: BROKEN at id {report.BrokenAt}: {report.Problem}");
            }

            if (database.Dialect is PostgreSqlDialect postgres)
            {
                await postgres.DataSource.DisposeAsync();
            }
        }

        return intact ? 0 : 1;
    }

    private static ServiceDatabase? Open(string service, string provider, string? connectionString, string? dataDirectory)
    {
        if (provider == "PostgreSql")
        {
            return new ServiceDatabase(service, PostgreSqlDialect.Create(connectionString!, service));
        }

        // Verifying must not create an empty database where there was none.
        return File.Exists(Path.Combine(dataDirectory!, service + ".db"))
            ? new ServiceDatabase(service, SqliteDialect.Create(dataDirectory!, service))
            : null;
    }
}
