using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using PopInfo.Contracts.Registry;

namespace PopInfo.Benchmarks.FaultCampaign;

/// <summary>The campaign's settings (<c>fault-campaign</c>'s options; the reduced run in the end-to-end tests sets them directly).</summary>
public sealed record CampaignSettings
{
    public int Changes { get; init; } = 100_000;

    public int Instances { get; init; } = 2;

    public IReadOnlyList<string> Services { get; init; } = CampaignPlatform.AllServices;

    public double DeskShare { get; init; } = 0.2;

    public double InboundShare { get; init; } = 0.2;

    public int Clients { get; init; } = 8;

    public int DeskClients { get; init; } = 4;

    /// <summary>
    /// "rabbitmqctl": stop and start the local node (disturbs every user of it); "leader-node": on the cluster
    /// (<see cref="BrokerNodes"/>), stop and start the node leading the registry's command queue; "none": listed as not injected.
    /// </summary>
    public string BrokerRestart { get; init; } = "none";

    /// <summary>The RabbitMQ cluster's nodes ("host:port,…", given to every instance as PopInfo:Bus:RabbitMqNodes); none: one node.</summary>
    public string? BrokerNodes { get; init; }

    /// <summary>The services behind one gateway process (one address each) instead of callers knowing every instance.</summary>
    public bool Gateway { get; init; }

    /// <summary>A command that restarts the campaign's PostgreSQL server; none: listed as not injected.</summary>
    public string? PostgresRestartCommand { get; init; }

    public TimeSpan Offline { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan Settle { get; init; } = TimeSpan.FromMinutes(5);

    public string? ServicesBin { get; init; }

    public IReadOnlyList<string> Env { get; init; } = [];

    public bool Keep { get; init; }
}

/// <summary>What a campaign did and found.</summary>
public sealed record CampaignOutcome(CheckResult Check, IReadOnlyList<FaultOutcome> Faults, double LoadSeconds, double SettleSeconds);

/// <summary>
/// fault-campaign: the platform in distributed mode, two instances of each service, departments with different entitlements,
/// changes from desks, department pushes and direct commands while faults are injected one after another; then the
/// independent convergence check (<see cref="ConvergenceCheck"/>). docs/fault-campaign.md.
/// </summary>
public static class FaultCampaignCommand
{
    public static async Task<int> RunAsync(Options options)
    {
        var settings = new CampaignSettings
        {
            Changes = options.Whole("changes", 100_000),
            Instances = options.Whole("instances", 2),
            Services = options.Words("services", string.Join(',', CampaignPlatform.AllServices)),
            DeskShare = options.Number("desk-share", 0.2),
            InboundShare = options.Number("inbound-share", 0.2),
            Clients = options.Whole("clients", 8),
            DeskClients = options.Whole("desk-clients", 4),
            BrokerRestart = options.Text("broker-restart", "none"),
            BrokerNodes = options.OptionalString("broker-nodes"),
            Gateway = options.Flag("gateway"),
            PostgresRestartCommand = options.OptionalString("postgres-restart-command"),
            Offline = TimeSpan.FromSeconds(options.Whole("offline-seconds", 10)),
            Settle = TimeSpan.FromSeconds(options.Whole("settle-seconds", 300)),
            ServicesBin = options.OptionalString("services-bin"),
            Env = options.All("env"),
            Keep = options.Flag("keep"),
        };
        using var infrastructure = Infrastructure.FromOptions(options);
        options.RejectUnknown();
        await Cli.PrintHeaderAsync("fault-campaign", options, infrastructure);
        var outcome = await RunAsync(settings, infrastructure);
        return outcome.Check.Passed ? 0 : 1;
    }

    public static async Task<CampaignOutcome> RunAsync(CampaignSettings settings, Infrastructure infrastructure)
    {
        if (settings.BrokerRestart is not ("none" or "rabbitmqctl" or "leader-node"))
        {
            throw new ArgumentException($"--broker-restart is none, rabbitmqctl or leader-node, not '{settings.BrokerRestart}'.");
        }

        if ((settings.BrokerRestart == "leader-node") != (settings.BrokerNodes is not null))
        {
            throw new ArgumentException("--broker-restart leader-node goes with --broker-nodes (the cluster), and --broker-nodes with leader-node or none.");
        }

        foreach (var needed in new[] { "registry", "exchange" })
        {
            if (!settings.Services.Contains(needed))
            {
                throw new ArgumentException($"--services must include {needed}.");
            }
        }

        var database = await infrastructure.CreateDatabaseAsync();
        var vhost = await infrastructure.CreateVirtualHostAsync();
        var prefix = "fc" + Guid.NewGuid().ToString("N")[..6];
        Console.WriteLine($"   database {new Npgsql.NpgsqlConnectionStringBuilder(database).Database}, RabbitMQ virtual host {vhost.AbsolutePath}, departments {prefix}-*");
        var plan = Departments.Plan(prefix);
        var departments = plan.Select(p => p.Department).ToList();
        var platform = new CampaignPlatform(database, vhost, settings.ServicesBin, settings.Env, settings.Instances,
            new CampaignTopology(infrastructure.Management, settings.BrokerNodes, settings.Gateway));
        await using var webhook = await WebhookReceiver.StartAsync();
        QueueConsumer? consumer = null;
        try
        {
            Console.WriteLine($"\n-- the platform: {settings.Instances} instance(s) of {string.Join(", ", settings.Services)}" +
                (settings.Gateway ? " behind one gateway" : "") + (settings.BrokerNodes is { } nodes ? $"; RabbitMQ cluster {nodes}" : "; one RabbitMQ node"));
            await platform.StartAsync(settings.Services);
            var exchanges = platform.Addresses("exchange");
            using var admin = new HttpClient { BaseAddress = exchanges[0], Timeout = TimeSpan.FromSeconds(30) };
            admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", platform.AdminKey);
            foreach (var (department, subscriptions) in plan)
            {
                await Departments.CreateAsync(admin, department, subscriptions, department.Channel == Channel.Webhook ? webhook.Url : null);
                Console.WriteLine($"   department {department.Code}: {department.Channel}, {department.Entitlements.Count} subscription(s): " +
                    string.Join("; ", department.Entitlements.Select(e => $"[{string.Join(',', e.ChangeTypes)}] in {string.Join(',', e.Regions)}: {string.Join(',', e.Fields)}")) +
                    (department.InboundKinds.Count > 0 ? $"; pushes {string.Join(',', department.InboundKinds)}" : ""));
            }

            var hook = departments.Single(d => d.Channel == Channel.Webhook);
            webhook.Secret = hook.WebhookSecret;
            var queued = departments.Single(d => d.Channel == Channel.Queue);
            consumer = new QueueConsumer(vhost, settings.BrokerNodes, queued);
            consumer.Start();

            var load = new CampaignLoad(platform, departments.Single(d => d.InboundKinds.Count > 0), settings.Changes, settings.DeskShare,
                settings.InboundShare, settings.Clients, settings.DeskClients);
            var faults = Faults(settings, platform, infrastructure, vhost, consumer, queued.Code, webhook, hook.Code);
            Console.WriteLine($"\n-- {settings.Changes:N0} changes: {load.DirectQuota:N0} direct registry commands ({settings.Clients} clients), {load.DeskQuota:N0} desk forms ({settings.DeskClients} clients), {load.InboundQuota:N0} pushed records; {faults.Count} faults in turn; {Machine.LoadAverage()}");
            var clock = Stopwatch.StartNew();
            var loadTask = load.RunAsync();
            List<FaultOutcome> outcomes;
            try
            {
                outcomes = await InjectInTurnAsync(faults, load, loadTask);
            }
            finally
            {
                load.Allow(long.MaxValue);
            }

            await loadTask;
            var loadSeconds = clock.Elapsed.TotalSeconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   load done in {loadSeconds:0.0} s ({load.Progress / loadSeconds:0}/s answered), of which {load.Held.TotalSeconds:0.0} s held back waiting for a fault to recover; {load.Errors.Count} answers other than accepted; {Machine.LoadAverage()}"));
            foreach (var error in load.Errors.Take(5))
            {
                Console.WriteLine("     e.g. " + error[..Math.Min(300, error.Length)]);
            }

            Console.WriteLine("\n-- settling: the check is repeated until it passes or --settle-seconds pass (dead letters of the webhook redriven each time)");
            var settle = Stopwatch.StartNew();
            CheckResult check;
            var rounds = 0;
            while (true)
            {
                rounds++;
                while (webhook.Accepted.TryDequeue(out var received))
                {
                    // What the webhook endpoint accepted (signature valid) is the department's webhook copy.
                    hook.Received.Enqueue(received.Body);
                }

                var redriven = await RedriveAsync(admin, hook);
                var feeds = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
                foreach (var department in departments)
                {
                    feeds[department.Code] = await Departments.ReadFeedAsync(exchanges, department);
                }

                check = await ConvergenceCheck.RunAsync(database, departments, feeds, load, departments.Single(d => d.InboundKinds.Count > 0).Code);
                if (check.Passed || settle.Elapsed > settings.Settle)
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   {rounds} round(s), {settle.Elapsed.TotalSeconds:0.0} s; dead letters redriven in the last round {redriven}; queue consumer reconnects {consumer.Reconnects}"));
                    break;
                }

                await Task.Delay(TimeSpan.FromSeconds(3));
            }

            Console.WriteLine("\n== faults");
            foreach (var fault in outcomes)
            {
                Console.WriteLine(fault.Injected
                    ? string.Create(CultureInfo.InvariantCulture, $"   injected      {fault.Name}: back in {fault.Recovery.TotalSeconds:0.0} s ({fault.Note})")
                    : $"   NOT INJECTED  {fault.Name}: {fault.Note}");
            }

            Console.WriteLine($"\n== convergence check ({(check.Passed ? "PASSED" : "FAILED")})");
            Console.Write(ConvergenceCheck.Describe(check));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"   faults injected {outcomes.Count(f => f.Injected)}, not injected {outcomes.Count(f => !f.Injected)}; load {loadSeconds:0.0} s; settled in {settle.Elapsed.TotalSeconds:0.0} s"));
            return new CampaignOutcome(check, outcomes, loadSeconds, settle.Elapsed.TotalSeconds);
        }
        finally
        {
            if (consumer is not null)
            {
                await consumer.DisposeAsync();
            }

            var logs = platform.All.SelectMany(i => i.Logs).ToList();
            await platform.DisposeAsync();
            using (var management = infrastructure.ManagementClient())
            {
                await Departments.DeleteBrokerUsersAsync(management, departments);
            }

            if (settings.Keep)
            {
                Console.WriteLine($"   kept: database {database}, virtual host {vhost}; service logs: {string.Join(' ', logs)}");
            }
            else
            {
                await infrastructure.DeleteVirtualHostAsync(vhost);
                await infrastructure.DropDatabaseAsync(database);
            }
        }
    }

    /// <summary>
    /// The faults, in the order injected: the first instance of each service killed, in turn with the broker (its node, or
    /// the queue leader's node on the cluster), the department's consumer and webhook offline and PostgreSQL restarted
    /// (when this setup may); then the second instances. What cannot be injected is listed as such.
    /// </summary>
    private static List<IFault> Faults(CampaignSettings settings, CampaignPlatform platform, Infrastructure infrastructure, Uri vhost, QueueConsumer consumer, string queued, WebhookReceiver webhook, string hooked)
    {
        var kills = platform.All.OrderBy(i => i.Name.EndsWith("#1", StringComparison.Ordinal) ? 0 : 1).Select(i => (IFault)new KillInstance(i)).ToList();
        var others = new List<IFault>
        {
            settings.BrokerRestart switch
            {
                "rabbitmqctl" => new RestartBroker(platform, settings.Offline),
                "leader-node" => new StopQueueLeaderNode(platform, infrastructure.ManagementClient, vhost, ApplyRegistryCommand.QueueName, settings.Offline),
                _ => new NotInjected("RabbitMQ node stop/start", "the node is shared with other users here; pass --broker-restart rabbitmqctl to stop the local node"),
            },
            new ConsumerOffline(consumer, queued, settings.Offline),
            new WebhookOffline(webhook, hooked, settings.Offline),
            settings.PostgresRestartCommand is { } restart
                ? new RestartPostgres(platform, restart)
                : new NotInjected("PostgreSQL restart", "the server is shared with other users here; pass --postgres-restart-command for a server of the campaign's own"),
        };
        var faults = new List<IFault>();
        for (var i = 0; i < Math.Max(kills.Count, others.Count); i++)
        {
            if (i < kills.Count)
            {
                faults.Add(kills[i]);
            }

            if (i < others.Count)
            {
                faults.Add(others[i]);
            }
        }

        if (!settings.Gateway)
        {
            faults.Add(new NotInjected("instances killed behind the gateway", "--gateway not given: the campaign's clients go to the other instance themselves; a service that calls another calls its first instance"));
        }

        return faults;
    }

    /// <summary>
    /// Injects the faults one after another, fault n when the load has answered n shares of the changes (a share: the
    /// changes over the number of faults plus one). The load may run one share ahead of the fault being injected and
    /// waits there, so each fault falls while changes flow.
    /// </summary>
    private static async Task<List<FaultOutcome>> InjectInTurnAsync(List<IFault> faults, CampaignLoad load, Task loadTask)
    {
        var outcomes = new List<FaultOutcome>();
        var shares = faults.Count(f => f is not NotInjected) + 1;
        long Due(int share) => share >= shares ? long.MaxValue : (long)load.Changes * share / shares;
        load.Allow(Due(2));
        var n = 0;
        foreach (var fault in faults)
        {
            if (fault is not NotInjected)
            {
                n++;
                while (load.Progress < Due(n) && !loadTask.IsCompleted)
                {
                    await Task.Delay(100);
                }
            }

            var outcome = await fault.InjectAsync();
            Console.WriteLine(outcome.Injected
                ? string.Create(CultureInfo.InvariantCulture, $"   [{load.Progress,7}] {outcome.Name}: back in {outcome.Recovery.TotalSeconds:0.0} s")
                : $"   [{load.Progress,7}] not injected: {outcome.Name}");
            outcomes.Add(outcome);
            if (fault is not NotInjected)
            {
                load.Allow(Due(n + 2));
            }
        }

        return outcomes;
    }

    private static async Task<int> RedriveAsync(HttpClient admin, CampaignDepartment department)
    {
        try
        {
            var count = JsonNode.Parse(await admin.GetStringAsync($"/api/v1/departments/{department.Code}/dead-letters"))!.AsArray().Count;
            if (count > 0)
            {
                using var response = await admin.PostAsync($"/api/v1/departments/{department.Code}/dead-letters/redrive", null);
            }

            return count;
        }
        catch (HttpRequestException)
        {
            return -1;
        }
    }
}
