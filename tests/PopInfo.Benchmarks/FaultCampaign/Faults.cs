using System.Diagnostics;
using System.Text.Json.Nodes;

namespace PopInfo.Benchmarks.FaultCampaign;

/// <summary>What one fault did: whether it was injected (and if not, why), and how long until everything answered again.</summary>
public sealed record FaultOutcome(string Name, bool Injected, TimeSpan Recovery, string Note);

/// <summary>
/// One fault the campaign can inject. The campaign injects its faults one after another, spread over the run. A new kind
/// (a cluster node, an instance behind the proxy) is a new class of this interface handed to the campaign.
/// </summary>
public interface IFault
{
    string Name { get; }

    /// <summary>Injects the fault, undoes it, and returns when the platform is back (or says why it was not injected).</summary>
    Task<FaultOutcome> InjectAsync();
}

/// <summary>A fault this setup cannot inject: listed in the output as not injected, with the reason.</summary>
public sealed class NotInjected(string name, string reason) : IFault
{
    public string Name => name;

    public Task<FaultOutcome> InjectAsync() => Task.FromResult(new FaultOutcome(name, false, TimeSpan.Zero, reason));
}

/// <summary>SIGKILL of one service instance, started again at once; recovered when it answers ready.</summary>
public sealed class KillInstance(ServiceInstance instance) : IFault
{
    public string Name => $"SIGKILL {instance.Name}";

    public async Task<FaultOutcome> InjectAsync()
    {
        var pid = instance.Process?.Pid;
        var started = Stopwatch.StartNew();
        await instance.KillAsync();
        await instance.StartAsync();
        return new FaultOutcome(Name, true, started.Elapsed, $"pid {pid} killed; new pid {instance.Process!.Pid}");
    }
}

/// <summary>
/// The broker node stopped (<c>rabbitmqctl stop_app</c>) for a while and started again; recovered when every instance
/// answers ready. This is the ONE local node: every user of it is disturbed, so the campaign does it only when told to.
/// </summary>
public sealed class RestartBroker(CampaignPlatform platform, TimeSpan down) : IFault
{
    public string Name => $"RabbitMQ node stopped {down.TotalSeconds:0} s (rabbitmqctl stop_app/start_app)";

    public async Task<FaultOutcome> InjectAsync()
    {
        var started = Stopwatch.StartNew();
        await LocalBroker.RabbitMqCtlAsync("stop_app");
        try
        {
            await Task.Delay(down);
        }
        finally
        {
            await LocalBroker.RabbitMqCtlAsync("start_app");
        }

        await platform.WaitAllReadyAsync(TimeSpan.FromMinutes(3));
        return new FaultOutcome(Name, true, started.Elapsed, "recovery: from stop_app until every instance is ready");
    }
}

/// <summary>
/// On the three-node cluster: the node that leads <paramref name="queue"/> (a quorum queue: its leader takes every publish
/// and delivery) stopped (<c>rabbitmqctl -n node stop_app</c>) for a while and started again. The followers elect a new
/// leader; connections to the stopped node are cut and the services reconnect through the other nodes
/// (PopInfo:Bus:RabbitMqNodes). Recovered when the node is back and every instance answers ready. The campaign's queues
/// led by the same node are counted in the note (the local cluster's convention: node i is <c>rabbit-i@localhost</c>).
/// </summary>
public sealed class StopQueueLeaderNode(CampaignPlatform platform, Func<HttpClient> management, Uri vhost, string queue, TimeSpan down) : IFault
{
    public string Name => $"RabbitMQ cluster: the node leading {queue} stopped {down.TotalSeconds:0} s (rabbitmqctl stop_app/start_app)";

    public async Task<FaultOutcome> InjectAsync()
    {
        var name = Uri.EscapeDataString(vhost.AbsolutePath.Trim('/'));
        JsonArray queues;
        using (var http = management())
        {
            queues = JsonNode.Parse(await http.GetStringAsync($"api/queues/{name}?columns=name,type,leader"))!.AsArray();
        }

        var leader = (string?)queues.SingleOrDefault(q => (string?)q!["name"] == queue)?["leader"];
        if (leader is null)
        {
            return new FaultOutcome(Name, false, TimeSpan.Zero, $"{queue} has no leader in the management API (not a quorum queue, or absent)");
        }

        var led = queues.Count(q => (string?)q!["leader"] == leader);
        var started = Stopwatch.StartNew();
        await LocalBroker.RabbitMqCtlAsync(leader, "stop_app");
        try
        {
            await Task.Delay(down);
        }
        finally
        {
            await LocalBroker.RabbitMqCtlAsync(leader, "start_app");
            await LocalBroker.RabbitMqCtlAsync(leader, "await_startup");
        }

        await platform.WaitAllReadyAsync(TimeSpan.FromMinutes(3));
        return new FaultOutcome(Name, true, started.Elapsed,
            $"{leader} stopped; it led {led} of the virtual host's {queues.Count} queues; recovery: from stop_app until every instance is ready");
    }
}

/// <summary>
/// PostgreSQL restarted by a command the operator gives (<c>--postgres-restart-command</c>, e.g. <c>pg_ctl -D DIR restart -m fast</c>
/// of a server of the campaign's own); recovered when every instance answers ready.
/// </summary>
public sealed class RestartPostgres(CampaignPlatform platform, string command) : IFault
{
    public string Name => "PostgreSQL restarted";

    public async Task<FaultOutcome> InjectAsync()
    {
        var started = Stopwatch.StartNew();
        using var process = Process.Start(new ProcessStartInfo("bash", ["-c", command]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            return new FaultOutcome(Name, false, started.Elapsed, $"`{command}` failed ({process.ExitCode}): {await process.StandardError.ReadToEndAsync()}");
        }

        await platform.WaitAllReadyAsync(TimeSpan.FromMinutes(3));
        return new FaultOutcome(Name, true, started.Elapsed, $"`{command}`; recovery: until every instance is ready");
    }
}

/// <summary>A department's queue consumer taken offline for a while (its queue fills), then back.</summary>
public sealed class ConsumerOffline(QueueConsumer consumer, string department, TimeSpan offline) : IFault
{
    public string Name => $"{department}'s queue consumer offline {offline.TotalSeconds:0} s";

    public async Task<FaultOutcome> InjectAsync()
    {
        await consumer.StopAsync();
        await Task.Delay(offline);
        consumer.Start();
        return new FaultOutcome(Name, true, offline, "recovery: the offline window (the backlog drains after)");
    }
}

/// <summary>A department's webhook endpoint stops listening (connection refused) for a while, then listens again on the same port.</summary>
public sealed class WebhookOffline(WebhookReceiver receiver, string department, TimeSpan offline) : IFault
{
    public string Name => $"{department}'s webhook endpoint offline {offline.TotalSeconds:0} s";

    public async Task<FaultOutcome> InjectAsync()
    {
        await receiver.GoOfflineAsync();
        await Task.Delay(offline);
        await receiver.GoOnlineAsync();
        return new FaultOutcome(Name, true, offline, "recovery: the offline window (retries and redrive deliver after)");
    }
}
