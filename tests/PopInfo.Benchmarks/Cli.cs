namespace PopInfo.Benchmarks;

/// <summary>Reads the command and its options, runs it, prints its figures. Exit code 0 when it ran (targets missed or not), 2 on bad arguments.</summary>
public static class Cli
{
    public const string Usage = """
        PopInfo benchmarks (prints figures; asserts nothing, but fault-campaign). Build:
          dotnet build tests/PopInfo.Benchmarks -c Release --artifacts-path /tmp/bench-artifacts
        Run:
          dotnet /tmp/bench-artifacts/bin/PopInfo.Benchmarks/release/PopInfo.Benchmarks.dll <command> [options]

        change-latency   the registry as its own process (PostgreSQL + RabbitMQ), then the raw baseline
          --rate 200 --seconds 60 --warmup 10   open loop: sends by the clock, latencies from the scheduled time
          --updates 0.2      share of commands that are corrections (expectedVersion) of people registered earlier
          --max --clients 1,4,16 --seconds 20   closed loop instead: N clients, each waits for its answer
          --spin            pacer spins the last 1.5 ms before each send (exact schedule, costs CPU)
          --drain 30        seconds to wait for the last events to be delivered
          --warmup-rate R   warm-up rate (default: --rate; 50 with --max)
          --registry-connection "Maximum Pool Size=10"   appended to the registry's connection string
          --skip-registry / --skip-raw, --registry-env KEY=VALUE (repeatable), --keep (keep database and vhost)
          --monitoring on   the registry run twice, off then on: on = OTLP export to a sink in the benchmark, /metrics of the
                            registry and the monitoring service (started too) scraped every 5 s; throughput and p99 of both printed
          --paired-bin DIR  another build's services folder (e.g. /tmp/bench-base/bin): its registry runs beside this build's
                            (or --services-bin's), at the same time, each at --rate on its own database and vhost; both printed
        desk-throughput  registry + collection desk as processes: forms from submission to the registry's acceptance
          --rate 100 --seconds 60   open loop; then --clients 4,16 closed loops of --max-seconds 20, desk and registry REST
          --warmup 10 --drain 60 --env KEY=VALUE (repeatable, both processes)
        memory           each service as its own process (distributed), then the embedded host
          --services registry,collection,exchange,sharing,analytics,monitoring
          --idle 60 --rate 200 --load-seconds 60 --settle 10
          --load-clients N   registry load as a closed loop of N clients instead of --rate (never builds a backlog)
          --env KEY=VALUE (repeatable, every process: e.g. DOTNET_gcServer=0), --skip-services, --skip-host
          --host-data-dir DIR  an existing SQLite data folder (e.g. a loaded synthetic city) for the host
          --lookup-rate 500 --lookup-seconds 60   host: look-ups by identity number after the changes
        exchange         registry + department exchange as processes: fan-out of changes to department queues, each phase against raw RabbitMQ.Client
          --phases throughput,latency,catchup   --departments 10 (each subscribed to every change in the city, every field)
          throughput: --changes 20000 written (--writers 16 REST clients) while the exchange is stopped, then timed until every queue holds them;
                      raw: the same bodies to fresh queues, --raw-channels 1,10 --raw-batch 1000
          latency:    --rate 100 --seconds 60 --warmup 10 --drain 30, open loop; one consumer per department queue (own connection); --updates 0.2
          catchup:    --backlog 1000000 events seeded in exchange.deliveries for one department, then consumed; the feed read; raw pre-published drain
          --prefetch 256 (every consumer, manual ack of each message), --phase-limit 600 (s), --env KEY=VALUE (both processes), --keep
        token-cost       the registry in-process on PostgreSQL + RabbitMQ, with and without bearer-token validation, interleaved
          --pairs 3 --seconds 20 --warmup 5 --clients 16   closed loop of registrations; medians of throughput and p99 compared
        analytics        a synthetic city with history in the registry, then registry + analytics as processes: rebuild time and memory;
                         a named query set over HTTP (protected) next to direct SQL scans of the registry; events/s while the registry runs at its maximum
          --people 7500000 --seed 42   the city (loaded by popinfo-city into a fresh database), or --database CS of one already loaded
          --rounds 3 --repeats 20 --sql-repeats 3 --past 2023-06-30   query rounds, requests per query, SQL scans per query, the past date
          --stream-seconds 30 --stream-clients 16   the registry's closed loop while the projection follows; --keep
        sharing          registry + sharing service as processes on a loaded city, audit on: verify and look-up by identity number
                         over HTTP next to a raw Npgsql baseline of the same database work (point query + audit rows by the same group commit)
          --database CS      an existing database with a loaded city (else --people 7500000 --seed 42 loaded into a fresh one)
          --rebuild          drop the sharing schema first, so the service rebuilds its read model from the registry's snapshot (else kept)
          --clients 8,32 --seconds 20   max rate, closed loop: service verify, look-up, raw verify, raw look-up per client count
          --rates 500,1000,2000   fixed rates, open loop (latency from the scheduled start), --seconds each
          --batches 30       sequential batches of 1,000 (batch verify, batch look-up, raw)
          --sample 200000 --warmup 5 --audit-wait-ms 0 (the service's PopInfo:Sharing:AuditBatchWait, used by the raw group commit too), --keep
        analytics-engines  the analytics index against DuckDB (embedded) on the same rows, in-process (ADR 0002)
          --versions 15000000 --repeats 30 --duckdb-memory 2GB --duckdb-threads <cores>
        fault-campaign   the platform (two instances of each service) under faults, then an independent convergence check;
                         exit 1 unless 0 lost, 0 applied twice, 0 unentitled, 0 differences (docs/fault-campaign.md)
          --changes 100000 --instances 2 --services registry,exchange,collection,sharing,analytics
          --desk-share 0.2 --inbound-share 0.2 --clients 8 --desk-clients 4 --offline-seconds 10 --settle-seconds 300
          --broker-restart none|rabbitmqctl (stops the local node: disturbs its other users)
          --postgres-restart-command CMD (restarts a PostgreSQL server of the campaign's own, e.g. pg_ctl -D DIR restart -m fast)
          --env KEY=VALUE (repeatable, every process), --keep
        Common: --postgres CS, --rabbitmq URI, --rabbitmq-management URL, --services-bin DIR
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0 || args[0] is "help" or "--help" or "-h")
        {
            Console.WriteLine(Usage);
            return args.Length == 0 ? 2 : 0;
        }

        try
        {
            var options = new Options(args.Skip(1));
            Environment.SetEnvironmentVariable("MASSTRANSIT_USAGE_TELEMETRY", "false");
            ThreadPool.SetMinThreads(64, 64);
            switch (args[0])
            {
                case "change-latency":
                    await ChangeLatency.RunAsync(options);
                    return 0;
                case "desk-throughput":
                    await DeskThroughput.RunAsync(options);
                    return 0;
                case "exchange":
                    await ExchangeFanOut.RunAsync(options);
                    return 0;
                case "memory":
                    await MemoryFootprint.RunAsync(options);
                    return 0;
                case "analytics":
                    await AnalyticsQueries.RunAsync(options);
                    return 0;
                case "sharing":
                    await SharingLoad.RunAsync(options);
                    return 0;
                case "analytics-engines":
                    await AnalyticsEngines.RunAsync(options);
                    return 0;
                case "fault-campaign":
                    // The one command that asserts: its exit code is the convergence check's.
                    return await FaultCampaign.FaultCampaignCommand.RunAsync(options);
                case "token-cost":
                    await TokenCost.RunAsync(options);
                    return 0;
                default:
                    Console.Error.WriteLine($"Unknown command '{args[0]}'.{Environment.NewLine}{Usage}");
                    return 2;
            }
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine(ex.Message);
            return 2;
        }
    }

    /// <summary>The header every command prints: when, where, with what.</summary>
    public static async Task PrintHeaderAsync(string command, Options options, Infrastructure infrastructure)
    {
        Console.WriteLine($"== popinfo benchmark: {command} {options.Describe()}");
        Console.WriteLine($"   date (UTC): {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss}");
        Console.WriteLine($"   machine: {Machine.Describe()}");
        Console.WriteLine($"   servers: {await infrastructure.VersionsAsync()}");
        Console.WriteLine($"   {Machine.LoadAverage()} at start");
    }
}
