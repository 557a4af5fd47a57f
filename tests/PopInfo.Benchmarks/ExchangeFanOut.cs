using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace PopInfo.Benchmarks;

/// <summary>
/// exchange: the department exchange (services/PopInfo.Exchange) as its own process beside the registry, on
/// PostgreSQL and RabbitMQ, fanning the register's changes out to departments' queues; each phase against a
/// raw RabbitMQ.Client (and Npgsql) baseline in the same run.
/// <list type="number">
/// <item>throughput: N changes written to the registry while the exchange is stopped (departments created
/// before, each subscribed to every change city-wide), then the exchange started and timed until every
/// department queue holds N messages. Raw: the same N×D bodies (read from <c>exchange.deliveries</c>)
/// published to D fresh queues with confirms.</item>
/// <item>latency: an open loop of changes at a steady rate, each followed into every department queue by
/// D consumers (own connection each, the department's own credentials). Raw: INSERT + COMMIT, then the same
/// body published to D queues with confirms.</item>
/// <item>catch-up: a department with a backlog seeded straight into <c>exchange.deliveries</c> (SQL, not M
/// registry writes), the exchange started, a consumer timed until it has all M; then the same M read through
/// the HTTP feed. Raw: M messages of the same size pre-published to a queue, drained by the same consumer.</item>
/// </list>
/// </summary>
public static class ExchangeFanOut
{
    public const string City = "320200"; // the catalogue's code of the city (docs/exchange.md writes 320200000000, which is refused)

    private static readonly string[] AllChangeTypes =
        ["registered", "born", "died", "moved-within-city", "moved-out", "moved-in", "migrant-arrived", "migrant-departed", "corrected", "household-changed"];

    private static readonly string[] AllFields =
    [
        "idNumber", "name", "sex", "birthDate", "ethnicity", "maritalStatus", "education", "occupation", "phone",
        "registeredAddress", "registeredRegionCode", "residenceAddress", "residenceRegionCode", "residenceType", "migrant",
        "status", "deathDate", "destination", "householdId", "relationshipToHead", "motherId",
    ];

    /// <summary>A typical department's entitlement (the catch-up backlog's events are of this size).</summary>
    private static readonly string[] NarrowFields = ["idNumber", "name", "sex", "birthDate", "residenceAddress", "residenceRegionCode", "status"];

    /// <summary>A publishing channel whose publishes complete on the broker's confirm; room for 2 batches of 1000 without throttling (the exchange's own setting).</summary>
    public static CreateChannelOptions ConfirmedChannel() =>
        new(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true,
            outstandingPublisherConfirmationsRateLimiter: new ThrottlingRateLimiter(4096));

    public static async Task RunAsync(Options options)
    {
        var phases = options.Words("phases", "throughput,latency,catchup").ToHashSet(StringComparer.Ordinal);
        var departments = options.Whole("departments", 10);
        var changes = options.Whole("changes", 20_000);
        var writers = options.Whole("writers", 16);
        var updates = options.Number("updates", 0.2);
        var rawChannels = options.Ints("raw-channels", "1,10");
        var rawBatch = options.Whole("raw-batch", 1000);
        var rate = options.Number("rate", 100);
        var seconds = options.Whole("seconds", 60);
        var warmup = options.Whole("warmup", 10);
        var drain = TimeSpan.FromSeconds(options.Whole("drain", 30));
        var backlog = options.Whole("backlog", 1_000_000);
        var prefetch = (ushort)options.Whole("prefetch", 256);
        var limit = TimeSpan.FromSeconds(options.Whole("phase-limit", 600));
        var keep = options.Flag("keep");
        var servicesBin = options.OptionalString("services-bin");
        var extraEnv = options.All("env");
        using var infrastructure = Infrastructure.FromOptions(options);
        options.RejectUnknown();
        await Cli.PrintHeaderAsync("exchange", options, infrastructure);

        var database = await infrastructure.CreateDatabaseAsync();
        var vhost = await infrastructure.CreateVirtualHostAsync();
        var run = "b" + Guid.NewGuid().ToString("N")[..6];
        Console.WriteLine($"   database {new NpgsqlConnectionStringBuilder(database).Database}, RabbitMQ virtual host {vhost.AbsolutePath}, department codes {run}-dNN");
        var rig = new Rig(infrastructure, database, vhost, servicesBin, extraEnv, run);
        try
        {
            await rig.StartAsync();
            for (var i = 0; i < departments; i++)
            {
                rig.Departments.Add(await rig.CreateDepartmentAsync($"{run}-d{i:00}", subscribe: true));
            }

            Console.WriteLine($"   {departments} departments created, each with one subscription: every change type, region {City} (the whole city), every field");

            if (phases.Contains("throughput"))
            {
                await ThroughputAsync(rig, changes, writers, updates, rawChannels, rawBatch, limit);
            }

            if (phases.Contains("latency"))
            {
                await LatencyAsync(rig, rate, seconds, warmup, updates, drain, prefetch);
            }

            if (phases.Contains("catchup"))
            {
                await CatchUpAsync(rig, backlog, prefetch, limit);
            }
        }
        finally
        {
            Console.WriteLine($"\n   {Machine.LoadAverage()} at the end; exchange log(s): {string.Join(", ", rig.ExchangeLogs)}");
            // Each step on its own: a broker restarted by someone else must not leave the database behind.
            await Attempt("stop the processes", async () => await rig.DisposeAsync());
            if (!keep)
            {
                await Attempt("delete the departments' broker users", rig.DeleteDepartmentUsersAsync);
                await Attempt($"delete virtual host {vhost.AbsolutePath}", () => infrastructure.DeleteVirtualHostAsync(vhost));
                await Attempt("drop the database", () => infrastructure.DropDatabaseAsync(database));
            }
        }
    }

    private static async Task Attempt(string what, Func<Task> step)
    {
        try
        {
            await step();
        }
        catch (Exception ex)
        {
            Console.WriteLine($"   cleanup: could not {what}: {ex.GetType().Name}: {ex.Message}");
        }
    }

    // ---------------------------------------------------------------- 1. throughput

    private static async Task ThroughputAsync(Rig rig, int n, int writers, double updates, IReadOnlyList<int> rawChannels, int rawBatch, TimeSpan limit)
    {
        var d = rig.Departments.Count;
        Console.WriteLine($"\n== 1. throughput: {n:N0} changes → {d} departments ({n * d:N0} events), exchange stopped while they are written; {Machine.LoadAverage()}");
        await rig.StopExchangeAsync();
        var before = await rig.DepthsAsync(rig.Departments.Select(x => x.Queue));
        var firstSequence = await rig.RegistryLastSequenceAsync() + 1;

        // Write the changes: a closed loop of several clients on the registry's REST API.
        var workload = new RegistryWorkload(rig.RegistryHttp, new PersonFactory(0), updates);
        var meter = new BusyMeter();
        var written = 0;
        var errors = 0;
        string? firstError = null;
        var started = Latencies.Now;
        await Task.WhenAll(Enumerable.Range(0, writers).Select(_ => Task.Run(async () =>
        {
            while (Volatile.Read(ref written) < n && Volatile.Read(ref errors) < 1000)
            {
                if (Interlocked.Increment(ref written) > n)
                {
                    Interlocked.Decrement(ref written);
                    break;
                }

                var sample = await workload.ExecuteAsync(Latencies.Now);
                if (!sample.Ok)
                {
                    Interlocked.Decrement(ref written);
                    Interlocked.Increment(ref errors);
                    firstError ??= sample.Error;
                }
            }
        })));
        var writeSeconds = Latencies.Ms(started, Latencies.Now) / 1000;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"   written: {written:N0} changes by {writers} REST clients in {writeSeconds:0.0} s = {written / writeSeconds:0}/s ({updates:P0} corrections); errors {errors}{(firstError is null ? "" : " (first: " + firstError + ")")}"));
        Console.WriteLine(meter.Report(4));
        var lastSequence = await rig.WaitRegistryRelayedAsync(limit);
        var expected = lastSequence - firstSequence + 1;
        Console.WriteLine($"   registry change log {firstSequence:N0}..{lastSequence:N0} ({expected:N0} changes), all published to the bus; " +
            $"{await rig.DepthAsync("popinfo.exchange.person-changed"):N0} waiting in the exchange's bus queue");

        // Start the exchange and time it until every department queue holds its share.
        meter = new BusyMeter();
        var t0 = Latencies.Now;
        await rig.StartExchangeAsync(waitReady: false);
        var ready = rig.WaitExchangeReadyAsync().ContinueWith(_ => Latencies.Now, TaskScheduler.Default);
        long tFirst = 0, tProjected = 0, tDone = 0;
        var nextReport = Latencies.Now + Latencies.Ticks(TimeSpan.FromSeconds(5));
        var until = t0 + Latencies.Ticks(limit);
        var cpuAtReady = TimeSpan.Zero;
        long[] depths;
        while (true)
        {
            depths = await rig.DepthsAsync(rig.Departments.Select(x => x.Queue));
            var now = Latencies.Now;
            if (ready.IsCompleted && cpuAtReady == TimeSpan.Zero)
            {
                cpuAtReady = rig.Exchange!.ProcessorTime();
            }

            var delivered = depths.Select((x, i) => x - before[i]).ToArray();
            if (tFirst == 0 && delivered.Any(x => x > 0))
            {
                tFirst = now;
            }

            if (tProjected == 0 || now >= nextReport)
            {
                var (projected, published) = await rig.ExchangeProgressAsync();
                if (tProjected == 0 && projected >= lastSequence)
                {
                    tProjected = now;
                }

                if (now >= nextReport)
                {
                    nextReport += Latencies.Ticks(TimeSpan.FromSeconds(5));
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"     {Latencies.Ms(t0, now) / 1000,5:0.0} s: projected to change {projected:N0}, relay cursors {published:N0} of {expected * d:N0}, in queues {delivered.Sum():N0}; {Machine.LoadAverage()}"));
                }
            }

            if (delivered.All(x => x >= expected))
            {
                tDone = now;
                break;
            }

            if (now > until)
            {
                break;
            }

            await Task.Delay(100);
        }

        var exchangeCpu = rig.Exchange!.ProcessorTime();
        var busy = meter.Report(6);
        var readyAt = ready.IsCompleted ? ready.Result : 0;
        var total = tDone == 0 ? double.NaN : Latencies.Ms(t0, tDone) / 1000;
        var fromReady = tDone == 0 || readyAt == 0 ? double.NaN : Latencies.Ms(readyAt, tDone) / 1000;
        var fromFirst = tDone == 0 ? double.NaN : Latencies.Ms(tFirst, tDone) / 1000;
        Console.WriteLine(tDone == 0
            ? $"\n[exchange fan-out] NOT DONE within {limit.TotalSeconds:0} s: queues hold {string.Join(", ", depths)}"
            : string.Create(CultureInfo.InvariantCulture,
                $"\n[exchange fan-out] {expected:N0} changes → {d} queues × {expected:N0} = {expected * d:N0} messages"));
        if (tDone != 0)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  process start → all in queues   {total,6:0.00} s = {expected / total,7:0} changes/s = {expected * d / total,7:0} messages/s"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  ready → all in queues           {fromReady,6:0.00} s = {expected / fromReady,7:0} changes/s = {expected * d / fromReady,7:0} messages/s (ready {Latencies.Ms(t0, readyAt) / 1000:0.00} s after start)"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  first message → all in queues   {fromFirst,6:0.00} s = {expected / fromFirst,7:0} changes/s = {expected * d / fromFirst,7:0} messages/s (first {Latencies.Ms(t0, tFirst) / 1000:0.00} s after start)"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  projection done (position = last change) {Latencies.Ms(t0, tProjected) / 1000:0.00} s after start"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  exchange process: {exchangeCpu.TotalSeconds:0.0} s CPU from start ({(exchangeCpu - cpuAtReady).TotalSeconds:0.0} s after ready) = {(tDone == 0 ? double.NaN : (exchangeCpu - cpuAtReady).TotalSeconds / fromReady * 100):0}% of a core ready → done; {rig.Exchange.Memory()}"));
        Console.WriteLine(busy);
        await Task.Delay(2000);
        var settled = await rig.DepthsAsync(rig.Departments.Select(x => x.Queue));
        Console.WriteLine($"  queue depths 2 s later: {string.Join(", ", settled.Select((x, i) => x - before[i]))} (more than {expected:N0}: repeats)");
        var exchangeRate = expected / fromFirst;

        // Raw baseline: the very bodies, to fresh queues.
        var bodies = await rig.ReadDeliveriesAsync();
        Console.WriteLine($"\n-- raw baseline: the same {bodies.Sum(b => b.Count):N0} messages (bodies read from exchange.deliveries, mean {bodies.SelectMany(b => b).Average(m => m.Body.Length):0} B) " +
            $"to {d} fresh durable queues, persistent, publisher confirms, batches of {rawBatch} (all published, then all confirms awaited)");
        var best = 0.0;
        foreach (var channels in rawChannels)
        {
            var queues = Enumerable.Range(0, d).Select(i => $"popinfo-bench.raw.fanout-{channels}.{i:00}").ToList();
            await using var admin = await rig.AdminChannelAsync();
            foreach (var queue in queues)
            {
                await admin.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
            }

            meter = new BusyMeter();
            var rawStart = Latencies.Now;
            await RawPublishAsync(rig, queues, bodies, channels, rawBatch);
            var rawSeconds = Latencies.Ms(rawStart, Latencies.Now) / 1000;
            var rawDepths = await rig.DepthsAsync(queues);
            var rawChanges = bodies.Min(b => b.Count);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"\n[raw publish, {channels} channel(s){(channels == 1 ? ", queues one after another as the relay does" : ", queues in parallel")}] {rawSeconds:0.00} s = {rawChanges / rawSeconds:0} changes/s = {rawDepths.Sum() / rawSeconds:0} messages/s; queues hold {string.Join(", ", rawDepths)}"));
            Console.WriteLine(meter.Report(4));
            best = Math.Max(best, rawChanges / rawSeconds);
            foreach (var queue in queues)
            {
                await admin.QueueDeleteAsync(queue);
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"\n  THROUGHPUT exchange (first message → all in queues) {exchangeRate:0} changes/s vs best raw {best:0} changes/s: ratio {exchangeRate / best:0.00} (target ≥ 0.5); " +
            $"from process start {expected / total:0} changes/s, ratio {expected / total / best:0.00}"));

        // Empty the department queues for the next phase.
        await using (var admin = await rig.AdminChannelAsync())
        {
            foreach (var department in rig.Departments)
            {
                await admin.QueuePurgeAsync(department.Queue);
            }
        }
    }

    private static async Task RawPublishAsync(Rig rig, List<string> queues, List<List<StoredEvent>> bodies, int channels, int batch)
    {
        await using var connection = await rig.BrokerFactory().CreateConnectionAsync("popinfo-bench-raw-throughput");
        await Task.WhenAll(Enumerable.Range(0, channels).Select(c => Task.Run(async () =>
        {
            await using var channel = await connection.CreateChannelAsync(ConfirmedChannel());
            for (var q = c; q < queues.Count; q += channels)
            {
                var events = bodies[q];
                for (var offset = 0; offset < events.Count; offset += batch)
                {
                    var confirms = new List<Task>(batch);
                    foreach (var e in events.Skip(offset).Take(batch))
                    {
                        var properties = new BasicProperties
                        {
                            Persistent = true,
                            ContentType = "application/cloudevents+json",
                            MessageId = e.Id,
                            Type = e.Type,
                            AppId = "popinfo-bench-raw",
                            Timestamp = new AmqpTimestamp(DateTimeOffset.UtcNow.ToUnixTimeSeconds()),
                        };
                        confirms.Add(channel.BasicPublishAsync(string.Empty, queues[q], mandatory: true, properties, e.Body).AsTask());
                    }

                    await Task.WhenAll(confirms);
                }
            }
        })));
    }

    // ---------------------------------------------------------------- 2. latency

    private static async Task LatencyAsync(Rig rig, double rate, int seconds, int warmup, double updates, TimeSpan drain, ushort prefetch)
    {
        var d = rig.Departments.Count;
        Console.WriteLine($"\n== 2. latency: open loop {rate}/s for {seconds} s (after {warmup} s warm-up), each change followed into all {d} department queues; {Machine.LoadAverage()}");
        if (rig.Exchange is null)
        {
            await rig.StartExchangeAsync(waitReady: true);
        }

        await rig.WaitExchangeIdleAsync(TimeSpan.FromMinutes(5));
        await using (var admin = await rig.AdminChannelAsync())
        {
            foreach (var department in rig.Departments)
            {
                await admin.QueuePurgeAsync(department.Queue);
            }
        }

        string? personJson;
        string sampleEvent;
        {
            await using var recorder = await FanOutRecorder.StartAsync(
                [.. rig.Departments.Select(x => (x.Queue, rig.BrokerFactory(x.User, x.Password)))], prefetch, FanOutRecorder.RegistrySequenceOf);
            Console.WriteLine($"   {d} consumers (own connection each, the department's own AMQP user), prefetch {prefetch}, manual ack of each message");
            // A tap on the registry's bus exchange: when each PersonChanged reached the broker's consumers (the exchange's own queue is bound to the same fanout).
            await using var tap = await rig.BusTapAsync(prefetch);
            var workload = new RegistryWorkload(rig.RegistryHttp, new PersonFactory(1_000_000), updates);
            if (warmup > 0)
            {
                var warm = await Drive.OpenLoopAsync("warm-up", workload, rate, TimeSpan.FromSeconds(warmup), spin: false);
                Console.WriteLine($"   warm-up: {warm.Samples.Count} changes, {warm.Samples.Count(s => !s.Ok)} errors");
                await recorder.WaitForAllAsync([.. warm.Samples.Where(s => s.Ok).Select(s => workload.Sequences[s.Key])], drain);
            }

            var meter = new BusyMeter();
            var exchangeCpu = rig.Exchange!.ProcessorTime();
            var registryCpu = rig.Registry!.ProcessorTime();
            var result = await Drive.OpenLoopAsync($"exchange open loop {rate}/s", workload, rate, TimeSpan.FromSeconds(seconds), spin: false);
            var busy = meter.Report(6);
            var cpu = string.Create(CultureInfo.InvariantCulture,
                $"  CPU during the run: exchange {(rig.Exchange.ProcessorTime() - exchangeCpu).TotalSeconds / result.Seconds * 100:0}% of a core, registry {(rig.Registry.ProcessorTime() - registryCpu).TotalSeconds / result.Seconds * 100:0}%");
            await ReportLatencyAsync(result, s => workload.Sequences.TryGetValue(s.Key, out var q) ? q : null, recorder, drain, "REST answer read");
            await ReportStagesAsync(rig, result, workload, recorder, tap);
            Console.WriteLine($"  consumers: {recorder.Deliveries:N0} deliveries in all, {recorder.Repeats} repeats, {recorder.Unknown} without a registrysequence");
            Console.WriteLine(cpu);
            Console.WriteLine(busy);
            personJson = workload.LastPersonJson;
            sampleEvent = await rig.SampleEventAsync(rig.Departments[0].Code, writeIfNone: false);
        }

        // Raw baseline: INSERT + COMMIT, then the same CloudEvent to D fresh queues with confirms.
        var queues = Enumerable.Range(0, d).Select(i => $"popinfo-bench.raw.latency.{i:00}").ToList();
        var body = Encoding.UTF8.GetBytes(sampleEvent);
        await using var raw = await RawFanOutWorkload.CreateAsync(rig.Database, rig.BrokerFactory(), queues, personJson ?? "{}", body, "cn.popinfo.person.registered.v1");
        await using var rawRecorder = await FanOutRecorder.StartAsync([.. queues.Select(q => (q, rig.BrokerFactory()))], prefetch, FanOutRecorder.MessageNumberOf);
        Console.WriteLine($"\n-- raw baseline: Npgsql INSERT of one row (jsonb record {Encoding.UTF8.GetByteCount(personJson ?? "{}")} B) + COMMIT, then RabbitMQ.Client publishes of the same " +
            $"{body.Length} B CloudEvent to {d} durable queues (persistent, confirms, all {d} published then awaited); {d} consumers as above (broker user)");
        if (warmup > 0)
        {
            var warm = await Drive.OpenLoopAsync("raw warm-up", raw, rate, TimeSpan.FromSeconds(warmup), spin: false);
            await rawRecorder.WaitForAllAsync([.. warm.Samples.Where(s => s.Ok).Select(s => raw.Numbers[s.Key])], drain);
        }

        {
            var meter = new BusyMeter();
            var result = await Drive.OpenLoopAsync($"raw open loop {rate}/s", raw, rate, TimeSpan.FromSeconds(seconds), spin: false);
            var busy = meter.Report(6);
            await ReportLatencyAsync(result, s => raw.Numbers.TryGetValue(s.Key, out var q) ? q : null, rawRecorder, drain, "committed");
            Console.WriteLine("  confirm  (committed → all 10 confirmed)".PadRight(47) + Latencies.Summary(result.Samples.Where(x => x.Ok).Select(x => Latencies.Ms(x.Answered, x.Confirmed))));
            Console.WriteLine($"  consumers: {rawRecorder.Deliveries:N0} deliveries in all, {rawRecorder.Repeats} repeats");
            Console.WriteLine(busy);
        }

        await using (var admin = await rig.AdminChannelAsync())
        {
            foreach (var queue in queues)
            {
                await admin.QueueDeleteAsync(queue);
            }
        }
    }

    private static async Task ReportLatencyAsync(Run run, Func<Sample, long?> keyOf, FanOutRecorder recorder, TimeSpan drain, string commit)
    {
        var ok = run.Samples.Where(s => s.Ok && keyOf(s) is not null).ToList();
        var keys = ok.Select(s => keyOf(s)!.Value).ToList();
        var waitStarted = Latencies.Now;
        var complete = await recorder.WaitForAllAsync(keys, drain);
        var change = new List<double>();
        var fromDue = new List<double>();
        var perMessage = new List<double>();
        var partial = 0;
        long lastArrival = 0;
        foreach (var s in ok)
        {
            if (!recorder.TryGet(keyOf(s)!.Value, out var at))
            {
                continue;
            }

            foreach (var t in at.Where(t => t != 0))
            {
                perMessage.Add(Latencies.Ms(s.Answered, t));
            }

            if (at.All(t => t != 0))
            {
                change.Add(Latencies.Ms(s.Answered, at.Max()));
                fromDue.Add(Latencies.Ms(s.Due, at.Max()));
                lastArrival = Math.Max(lastArrival, at.Max());
            }
            else
            {
                partial++;
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"\n[{run.Title}] {run.Seconds:0.0} s"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  sent {run.Samples.Count} = {run.Samples.Count / run.Seconds:0.0}/s; ok {ok.Count}; errors {run.Samples.Count - ok.Count}{(run.Samples.FirstOrDefault(s => !s.Ok) is { } e ? " (first: " + e.Error + ")" : "")}"));
        Console.WriteLine("  pacer lag (scheduled → started)              " + Latencies.Summary(run.PacerLagMs));
        Console.WriteLine($"  commit   (scheduled → {commit})".PadRight(47) + Latencies.Summary(ok.Select(s => Latencies.Ms(s.Due, s.Answered))));
        Console.WriteLine($"  change   ({commit} → last of {recorder.Queues} arrivals)".PadRight(47) + Latencies.Summary(change));
        Console.WriteLine($"  change   (scheduled → last of {recorder.Queues} arrivals)".PadRight(47) + Latencies.Summary(fromDue));
        Console.WriteLine($"  message  ({commit} → each arrival)".PadRight(47) + Latencies.Summary(perMessage));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  in all {recorder.Queues} queues: {complete}/{ok.Count}; LOST (missing from ≥ 1 queue after {drain.TotalSeconds:0} s): {ok.Count - complete} ({partial} partly delivered); " +
            $"last arrival {(lastArrival == 0 ? 0 : Latencies.Ms(run.End, lastArrival) / 1000):0.00} s after the load stopped (waited {Latencies.Ms(waitStarted, Latencies.Now) / 1000:0.0} s)"));
    }

    /// <summary>Where a change's time goes: on the bus (registry relay), projected (the event rows' created_at), first and last queue arrival.</summary>
    private static async Task ReportStagesAsync(Rig rig, Run run, RegistryWorkload workload, FanOutRecorder recorder, FanOutRecorder tap)
    {
        var ok = run.Samples.Where(s => s.Ok && workload.Sequences.ContainsKey(s.Key)).ToList();
        if (ok.Count == 0)
        {
            return;
        }

        var sequences = ok.Select(s => workload.Sequences[s.Key]).ToList();
        var projected = await rig.ProjectedAtAsync(sequences.Min(), sequences.Max());
        // Wall clock → Stopwatch ticks (same machine, same clock for the exchange's created_at).
        var nowTicks = Latencies.Now;
        var nowWall = DateTimeOffset.UtcNow;
        long Ticks(DateTimeOffset at) => nowTicks - Latencies.Ticks(nowWall - at);
        var bus = new List<double>();
        var proj = new List<double>();
        var first = new List<double>();
        var last = new List<double>();
        var spread = new List<double>();
        var step = new List<double>();
        foreach (var s in ok)
        {
            var q = workload.Sequences[s.Key];
            if (tap.TryGet(q, out var b))
            {
                bus.Add(Latencies.Ms(s.Answered, b[0]));
            }

            if (projected.TryGetValue(q, out var p))
            {
                proj.Add(Latencies.Ms(s.Answered, Ticks(p)));
            }

            if (recorder.TryGet(q, out var at) && at.All(t => t != 0))
            {
                first.Add(Latencies.Ms(s.Answered, at.Min()));
                last.Add(Latencies.Ms(s.Answered, at.Max()));
                spread.Add(Latencies.Ms(at.Min(), at.Max()));
                var sorted = at.Order().ToArray();
                for (var i = 1; i < sorted.Length; i++)
                {
                    step.Add(Latencies.Ms(sorted[i - 1], sorted[i]));
                }
            }
        }

        Console.WriteLine("  stages from the REST answer read:");
        Console.WriteLine("    PersonChanged on the bus (tap queue)".PadRight(47) + Latencies.Summary(bus));
        Console.WriteLine("    projected (deliveries.created_at)".PadRight(47) + Latencies.Summary(proj));
        Console.WriteLine($"    first of {recorder.Queues} queue arrivals".PadRight(47) + Latencies.Summary(first));
        Console.WriteLine($"    last of {recorder.Queues} queue arrivals".PadRight(47) + Latencies.Summary(last));
        Console.WriteLine("  first → last arrival of a change (the relay goes through the departments one after another):");
        Console.WriteLine("    spread".PadRight(47) + Latencies.Summary(spread));
        Console.WriteLine("    gap between consecutive departments".PadRight(47) + Latencies.Summary(step));
    }

    // ---------------------------------------------------------------- 3. catch-up

    private static async Task CatchUpAsync(Rig rig, int m, ushort prefetch, TimeSpan limit)
    {
        Console.WriteLine($"\n== 3. catch-up: one department with a backlog of {m:N0} events seeded in exchange.deliveries (SQL), its AMQP cursor at 0; {Machine.LoadAverage()}");
        if (rig.Exchange is null)
        {
            await rig.StartExchangeAsync(waitReady: true);
        }

        var department = await rig.CreateDepartmentAsync($"{rig.Run}-backlog", subscribe: false);
        // The backlog's body: a real event of a department with a typical, narrower entitlement (not every field).
        var narrow = await rig.CreateDepartmentAsync($"{rig.Run}-narrow", subscribe: true, NarrowFields);
        var sample = await rig.SampleEventAsync(narrow.Code, writeIfNone: true);
        Console.WriteLine($"   backlog body, a real event of department {narrow.Code} (fields {string.Join(',', NarrowFields)}):\n   {sample}");
        await rig.StopExchangeAsync();
        var template = Template(sample, department.Code);
        var size = Encoding.UTF8.GetByteCount(template.Replace("@SEQ20@", 1.ToString("D20", CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("@SEQ@", (m / 2).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal));
        var seeded = Latencies.Now;
        await rig.SeedBacklogAsync(department.Code, m, template);
        var seedSeconds = Latencies.Ms(seeded, Latencies.Now) / 1000;
        var tableSize = await rig.TableSizeAsync();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"   seeded {m:N0} events of ~{size} B (a real event of this run, id/sequence/registrysequence renumbered) in {seedSeconds:0.0} s " +
            $"(INSERT … SELECT FROM generate_series, then VACUUM ANALYZE and CHECKPOINT); exchange.deliveries now {tableSize}"));

        // The exchange's catch-up: consumer first, then the exchange.
        double exchangeRate;
        {
            await using var counter = await SequenceCounter.StartAsync(rig.BrokerFactory(department.User, department.Password), department.Queue, prefetch, m);
            var meter = new BusyMeter();
            var t0 = Latencies.Now;
            await rig.StartExchangeAsync(waitReady: false);
            var ready = rig.WaitExchangeReadyAsync().ContinueWith(_ => Latencies.Now, TaskScheduler.Default);
            var done = await counter.WaitForAsync(m, limit, async () =>
            {
                var (_, published) = await rig.ExchangeProgressAsync(department.Code);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"     {Latencies.Ms(t0, Latencies.Now) / 1000,5:0} s: relay cursor {published:N0}, consumer has {counter.Distinct:N0}; {Machine.LoadAverage()}"));
            });
            var tEnd = done ? counter.Last : Latencies.Now;
            var exchangeCpu = rig.Exchange!.ProcessorTime();
            var busy = meter.Report(6);
            var total = Latencies.Ms(t0, tEnd) / 1000;
            var firstToLast = Latencies.Ms(counter.First, tEnd) / 1000;
            exchangeRate = counter.Distinct / firstToLast;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"\n[exchange catch-up] {(done ? "all" : "NOT all")} {counter.Distinct:N0} of {m:N0} consumed ({counter.Deliveries:N0} deliveries, {counter.Deliveries - counter.Distinct} repeats, {counter.OutOfRange} foreign)"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  process start → last consumed   {total,7:0.0} s = {counter.Distinct / total,6:0} events/s (ready {(ready.IsCompleted ? Latencies.Ms(t0, ready.Result) / 1000 : double.NaN):0.0} s, first message {Latencies.Ms(t0, counter.First) / 1000:0.0} s after start)"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  first → last consumed           {firstToLast,7:0.0} s = {exchangeRate,6:0} events/s"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  exchange process: {exchangeCpu.TotalSeconds:0.0} s CPU = {exchangeCpu.TotalSeconds / total * 100:0}% of a core; {rig.Exchange.Memory()}"));
            Console.WriteLine(busy);
        }

        // The same backlog through the HTTP feed.
        {
            using var feed = ChangeLatency.CreateHttpClient(rig.ExchangeAddress);
            feed.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", department.ApiKey);
            var meter = new BusyMeter();
            var cpu = rig.Exchange!.ProcessorTime();
            var t0 = Latencies.Now;
            long after = 0, events = 0, bytes = 0, requests = 0;
            var until = t0 + Latencies.Ticks(limit);
            while (Latencies.Now < until)
            {
                using var response = await feed.GetAsync($"/api/v1/feed?after={after}&limit=1000");
                var page = await response.Content.ReadAsByteArrayAsync();
                requests++;
                if (!response.IsSuccessStatusCode)
                {
                    Console.WriteLine($"   feed: HTTP {(int)response.StatusCode} {Encoding.UTF8.GetString(page)[..Math.Min(200, page.Length)]}");
                    break;
                }

                bytes += page.Length;
                using var document = JsonDocument.Parse(page);
                var count = document.RootElement.GetProperty("events").GetArrayLength();
                if (count == 0)
                {
                    break;
                }

                events += count;
                after = document.RootElement.GetProperty("next").GetInt64();
            }

            var feedSeconds = Latencies.Ms(t0, Latencies.Now) / 1000;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"\n[feed read] {events:N0} events in {requests:N0} requests (limit=1000) in {feedSeconds:0.0} s = {events / feedSeconds:0} events/s, {bytes / feedSeconds / 1024 / 1024:0.0} MB/s (JSON parsed by the client); " +
                $"exchange {(rig.Exchange.ProcessorTime() - cpu).TotalSeconds / feedSeconds * 100:0}% of a core"));
            Console.WriteLine(meter.Report(4));
        }

        // Raw pipe: the same messages published (1 channel, confirms, batches of 1000) while the same consumer takes them: the exchange's catch-up without the database.
        double pipeRate;
        {
            const string queue = "popinfo-bench.raw.pipe";
            await using (var admin = await rig.AdminChannelAsync())
            {
                await admin.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
            }

            var meter = new BusyMeter();
            await using var counter = await SequenceCounter.StartAsync(rig.BrokerFactory(), queue, prefetch, m);
            var t0 = Latencies.Now;
            var published = await PublishBacklogAsync(rig, queue, template, department.Code, m, limit);
            var done = await counter.WaitForAsync(published, limit, () => Task.CompletedTask);
            var tEnd = done ? counter.Last : Latencies.Now;
            var seconds = Latencies.Ms(t0, tEnd) / 1000;
            pipeRate = counter.Distinct / seconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"\n[raw pipe] {counter.Distinct:N0} of {published:N0} published (1 channel, confirms, batches of 1000) and consumed at once in {seconds:0.0} s = {pipeRate:0} messages/s end to end"));
            Console.WriteLine(meter.Report(4));
            await using var cleanup = await rig.AdminChannelAsync();
            await cleanup.QueueDeleteAsync(queue);
        }

        // Raw: the same number of messages of the same size pre-published to a queue, then drained by the same consumer.
        {
            const string queue = "popinfo-bench.raw.drain";
            await using (var admin = await rig.AdminChannelAsync())
            {
                await admin.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
            }

            var meter = new BusyMeter();
            var t0 = Latencies.Now;
            await PublishBacklogAsync(rig, queue, template, department.Code, m, limit);
            var publishSeconds = Latencies.Ms(t0, Latencies.Now) / 1000;
            var depth = await rig.DepthAsync(queue);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"\n[raw pre-publish] {depth:N0} messages to one queue (1 channel, confirms, batches of 1000) in {publishSeconds:0.0} s = {depth / publishSeconds:0} messages/s"));
            Console.WriteLine(meter.Report(4));

            meter = new BusyMeter();
            await using var counter = await SequenceCounter.StartAsync(rig.BrokerFactory(), queue, prefetch, m);
            var t1 = Latencies.Now;
            var done = await counter.WaitForAsync(depth, limit, () =>
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"     {Latencies.Ms(t1, Latencies.Now) / 1000,5:0} s: consumer has {counter.Distinct:N0}; {Machine.LoadAverage()}"));
                return Task.CompletedTask;
            });
            var tEnd = done ? counter.Last : Latencies.Now;
            var drainSeconds = Latencies.Ms(t1, tEnd) / 1000;
            var rawRate = counter.Distinct / drainSeconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"\n[raw drain] {counter.Distinct:N0} of {depth:N0} consumed in {drainSeconds:0.0} s = {rawRate:0} messages/s (prefetch {prefetch}, manual ack of each, own connection)"));
            Console.WriteLine(meter.Report(4));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"\n  CATCH-UP exchange {exchangeRate:0} events/s vs raw drain {rawRate:0} messages/s: ratio {exchangeRate / rawRate:0.00} (target ≥ 0.5); " +
                $"vs raw pipe (publish while consuming) {pipeRate:0}/s: ratio {exchangeRate / pipeRate:0.00}"));
            await using var cleanup = await rig.AdminChannelAsync();
            await cleanup.QueueDeleteAsync(queue);
        }
    }

    /// <summary>Publishes the backlog's messages 1..m (the template renumbered) to a queue: one channel, confirms, batches of 1000. Returns how many.</summary>
    private static async Task<long> PublishBacklogAsync(Rig rig, string queue, string template, string code, int m, TimeSpan limit)
    {
        var t0 = Latencies.Now;
        await using var connection = await rig.BrokerFactory().CreateConnectionAsync("popinfo-bench-raw-backlog");
        await using var channel = await connection.CreateChannelAsync(ConfirmedChannel());
        long published = 0;
        for (var offset = 1; offset <= m; offset += 1000)
        {
            var confirms = new List<Task>(1000);
            for (var s = offset; s < offset + 1000 && s <= m; s++)
            {
                var text = template.Replace("@SEQ20@", s.ToString("D20", CultureInfo.InvariantCulture), StringComparison.Ordinal)
                    .Replace("@SEQ@", s.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
                var properties = new BasicProperties
                {
                    Persistent = true,
                    ContentType = "application/cloudevents+json",
                    MessageId = $"{code}-{s}",
                    Type = "cn.popinfo.person.registered.v1",
                    AppId = "popinfo-bench-raw",
                    Timestamp = new AmqpTimestamp(DateTimeOffset.UtcNow.ToUnixTimeSeconds()),
                };
                confirms.Add(channel.BasicPublishAsync(string.Empty, queue, mandatory: true, properties, Encoding.UTF8.GetBytes(text)).AsTask());
            }

            await Task.WhenAll(confirms);
            published += confirms.Count;
            if (Latencies.Ms(t0, Latencies.Now) > limit.TotalMilliseconds)
            {
                Console.WriteLine($"   raw publish stopped at {published:N0} (phase limit)");
                break;
            }
        }

        return published;
    }

    /// <summary>
    /// A stored event with its department-specific numbers replaced by placeholders (<c>@SEQ@</c>, <c>@SEQ20@</c>):
    /// the text is edited in place, not re-serialised, so that everything else stays byte for byte as the exchange wrote it.
    /// </summary>
    private static string Template(string sample, string code)
    {
        using var document = JsonDocument.Parse(sample);
        var root = document.RootElement;
        string Swap(string text, string name, string value, string replacement, bool quoted)
        {
            var from = quoted ? $"\"{name}\":\"{value}\"" : $"\"{name}\":{value}";
            var to = quoted ? $"\"{name}\":\"{replacement}\"" : $"\"{name}\":{replacement}";
            return text.Contains(from, StringComparison.Ordinal) ? text.Replace(from, to, StringComparison.Ordinal)
                : throw new InvalidOperationException($"Sample event has no {from}: {sample}");
        }

        var template = Swap(sample, "id", root.GetProperty("id").GetString()!, $"{code}-@SEQ@", quoted: true);
        template = Swap(template, "source", root.GetProperty("source").GetString()!, $"/popinfo/departments/{code}", quoted: true);
        template = Swap(template, "sequence", root.GetProperty("sequence").GetString()!, "@SEQ20@", quoted: true);
        return Swap(template, "registrysequence", root.GetProperty("registrysequence").GetRawText(), "@SEQ@", quoted: false);
    }

    public sealed record StoredEvent(string Id, string Type, byte[] Body);

    public sealed record Department(string Code, string Queue, string ApiKey, string User, string Password);

    /// <summary>The run's servers and processes: registry (always up), exchange (stopped and started by the phases).</summary>
    private sealed class Rig(Infrastructure infrastructure, string database, Uri vhost, string? servicesBin, IReadOnlyList<string> extraEnv, string run) : IAsyncDisposable
    {
        private readonly string adminKey = "bench-admin-" + Guid.NewGuid().ToString("N");
        private readonly int registryPort = ServiceProcess.FreePort();
        private readonly int exchangePort = ServiceProcess.FreePort();
        private readonly NpgsqlDataSource data = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(database) { SslMode = SslMode.Disable, CommandTimeout = 0 }.ConnectionString);
        private IConnection? admin;
        private IChannel? depthChannel;

        public string Run => run;

        public string Database => database;

        public ServiceProcess? Registry { get; private set; }

        public ServiceProcess? Exchange { get; private set; }

        public List<string> ExchangeLogs { get; } = [];

        public HttpClient RegistryHttp { get; } = ChangeLatency.CreateHttpClient(new Uri("http://127.0.0.1/"));

        public HttpClient ExchangeAdmin { get; private set; } = null!;

        public Uri ExchangeAddress => new($"http://127.0.0.1:{exchangePort}");

        public List<Department> Departments { get; } = [];

        private List<string> Codes { get; } = [];

        public async Task StartAsync()
        {
            var environment = ChangeLatency.DistributedEnvironment(registryPort, database, vhost, extraEnv);
            Registry = ServiceProcess.Start("registry", ServiceLocator.Find("PopInfo.Registry", servicesBin), environment);
            await Registry.WaitReadyAsync(new Uri($"http://127.0.0.1:{registryPort}/health/ready"), TimeSpan.FromSeconds(90));
            RegistryHttp.BaseAddress = new Uri($"http://127.0.0.1:{registryPort}");
            Console.WriteLine($"   registry pid {Registry.Pid} on {registryPort} (log {Registry.LogPath})");
            ExchangeAdmin = ChangeLatency.CreateHttpClient(ExchangeAddress);
            ExchangeAdmin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
            await StartExchangeAsync(waitReady: true);
        }

        public async Task StartExchangeAsync(bool waitReady)
        {
            var environment = ChangeLatency.DistributedEnvironment(exchangePort, database, vhost, extraEnv);
            environment["PopInfo__Exchange__AdminKey"] = adminKey;
            environment["PopInfo__Exchange__RegistryUrl"] = $"http://127.0.0.1:{registryPort}/";
            Exchange = ServiceProcess.Start("exchange", ServiceLocator.Find("PopInfo.Exchange", servicesBin), environment);
            ExchangeLogs.Add(Exchange.LogPath);
            if (waitReady)
            {
                var started = Latencies.Now;
                await WaitExchangeReadyAsync();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"   exchange pid {Exchange.Pid} on {exchangePort} ready in {Latencies.Ms(started, Latencies.Now) / 1000:0.0} s (log {Exchange.LogPath})"));
            }
        }

        public Task WaitExchangeReadyAsync() => Exchange!.WaitReadyAsync(new Uri($"{ExchangeAddress}health/ready"), TimeSpan.FromSeconds(90));

        public async Task StopExchangeAsync()
        {
            if (Exchange is not null)
            {
                await Exchange.DisposeAsync();
                Exchange = null;
            }
        }

        public async Task<Department> CreateDepartmentAsync(string code, bool subscribe, string[]? fields = null)
        {
            using var created = await ExchangeAdmin.PostAsJsonAsync("/api/v1/departments", new
            {
                code,
                name = $"压测部门 {code}",
                contact = "bench@popinfo.example",
                inboundKinds = Array.Empty<string>(),
            });
            var text = await created.Content.ReadAsStringAsync();
            if (!created.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"Creating department {code}: HTTP {(int)created.StatusCode} {text}");
            }

            Codes.Add(code);
            var credentials = JsonNode.Parse(text)!["credentials"]!;
            var amqp = credentials["amqp"] ?? throw new InvalidOperationException($"Department {code} has no AMQP credentials: {text}");
            var department = new Department(code, (string)amqp["queue"]!, (string)credentials["apiKey"]!, (string)amqp["user"]!, (string)amqp["password"]!);
            if (subscribe)
            {
                using var subscribed = await ExchangeAdmin.PostAsJsonAsync($"/api/v1/departments/{code}/subscriptions", new
                {
                    changeTypes = AllChangeTypes,
                    regions = new[] { City },
                    fields = fields ?? AllFields,
                    purpose = "Benchmark: every change in the city, every field.",
                });
                if (!subscribed.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"Subscribing {code}: HTTP {(int)subscribed.StatusCode} {await subscribed.Content.ReadAsStringAsync()}");
                }
            }

            return department;
        }

        public ConnectionFactory BrokerFactory(string? user = null, string? password = null)
        {
            var factory = new ConnectionFactory { Uri = vhost, AutomaticRecoveryEnabled = false };
            if (user is not null)
            {
                factory.UserName = user;
                factory.Password = password!;
            }

            return factory;
        }

        public async Task<IChannel> AdminChannelAsync()
        {
            admin ??= await BrokerFactory().CreateConnectionAsync("popinfo-bench-admin");
            return await admin.CreateChannelAsync();
        }

        public async Task<long> DepthAsync(string queue) => (await DepthsAsync([queue]))[0];

        /// <summary>Messages ready in each queue (a passive declare each, on one channel; -1 when the queue does not exist).</summary>
        public async Task<long[]> DepthsAsync(IEnumerable<string> queues)
        {
            var result = new List<long>();
            foreach (var queue in queues)
            {
                depthChannel ??= await AdminChannelAsync();
                try
                {
                    result.Add((await depthChannel.QueueDeclarePassiveAsync(queue)).MessageCount);
                }
                catch (OperationInterruptedException)
                {
                    // A missing queue closes the channel: open another next time.
                    await depthChannel.DisposeAsync();
                    depthChannel = null;
                    result.Add(-1);
                }
            }

            return [.. result];
        }

        public async Task<long> RegistryLastSequenceAsync()
        {
            var status = await RegistryHttp.GetFromJsonAsync<JsonNode>("/api/v1/changes/status");
            return (long)status!["lastSequence"]!;
        }

        /// <summary>Waits until the registry's relay has published its whole change log to the bus; returns the last sequence.</summary>
        public async Task<long> WaitRegistryRelayedAsync(TimeSpan limit)
        {
            var until = DateTime.UtcNow + limit;
            while (true)
            {
                var status = await RegistryHttp.GetFromJsonAsync<JsonNode>("/api/v1/changes/status");
                if ((long)status!["backlog"]! == 0 || DateTime.UtcNow > until)
                {
                    return (long)status["lastSequence"]!;
                }

                await Task.Delay(200);
            }
        }

        /// <summary>The projector's position in the change log, and the sum of the AMQP relay's cursors (of one department, or all).</summary>
        public async Task<(long Projected, long Published)> ExchangeProgressAsync(string? code = null)
        {
            await using var command = data.CreateCommand(
                "SELECT (SELECT last_sequence FROM exchange.projection_position WHERE name = 'change-log'), " +
                "(SELECT COALESCE(SUM(last_sequence), 0)::bigint FROM exchange.amqp_cursors WHERE $1::text IS NULL OR department_code = $1)");
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)code ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            await using var reader = await command.ExecuteReaderAsync();
            await reader.ReadAsync();
            return (reader.IsDBNull(0) ? 0 : reader.GetInt64(0), reader.GetInt64(1));
        }

        /// <summary>Waits until the projector has reached the register's last change and every department's queue cursor its last event.</summary>
        public async Task WaitExchangeIdleAsync(TimeSpan limit)
        {
            var until = DateTime.UtcNow + limit;
            while (DateTime.UtcNow < until)
            {
                var last = await RegistryLastSequenceAsync();
                await using var command = data.CreateCommand(
                    "SELECT (SELECT last_sequence FROM exchange.projection_position WHERE name = 'change-log'), " +
                    "(SELECT COUNT(*) FROM exchange.departments d LEFT JOIN exchange.amqp_cursors c ON c.department_code = d.code WHERE d.last_sequence > COALESCE(c.last_sequence, 0))");
                await using var reader = await command.ExecuteReaderAsync();
                await reader.ReadAsync();
                if (reader.GetInt64(0) >= last && reader.GetInt64(1) == 0)
                {
                    return;
                }

                await Task.Delay(200);
            }

            Console.WriteLine("   (the exchange was not idle within the limit)");
        }

        /// <summary>Every department's events in sequence order, as stored (what its queue should carry).</summary>
        public async Task<List<List<StoredEvent>>> ReadDeliveriesAsync()
        {
            var result = new List<List<StoredEvent>>();
            foreach (var department in Departments)
            {
                var events = new List<StoredEvent>();
                await using var command = data.CreateCommand("SELECT sequence, event_type, event FROM exchange.deliveries WHERE department_code = $1 ORDER BY sequence");
                command.Parameters.Add(new NpgsqlParameter { Value = department.Code });
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    events.Add(new StoredEvent($"{department.Code}-{reader.GetInt64(0)}", reader.GetString(1), Encoding.UTF8.GetBytes(reader.GetString(2))));
                }

                result.Add(events);
            }

            return result;
        }

        /// <summary>A real event of this run (the latest "registered" one of a department), after writing a few changes to make one if asked.</summary>
        public async Task<string> SampleEventAsync(string code, bool writeIfNone)
        {
            for (var attempt = 0; attempt < 150; attempt++)
            {
                await using var command = data.CreateCommand(
                    "SELECT event FROM exchange.deliveries WHERE department_code = $1 AND event_type = 'cn.popinfo.person.registered.v1' ORDER BY sequence DESC LIMIT 1");
                command.Parameters.Add(new NpgsqlParameter { Value = code });
                if (await command.ExecuteScalarAsync() is string text)
                {
                    return text;
                }

                if (attempt == 0 && writeIfNone)
                {
                    var workload = new RegistryWorkload(RegistryHttp, new PersonFactory(2_000_000), 0);
                    for (var i = 0; i < 3; i++)
                    {
                        await workload.ExecuteAsync(Latencies.Now);
                    }
                }

                await Task.Delay(200);
            }

            throw new InvalidOperationException($"No event of department {code} in exchange.deliveries to copy.");
        }

        /// <summary>When each change was projected: the earliest created_at of its event rows.</summary>
        public async Task<Dictionary<long, DateTimeOffset>> ProjectedAtAsync(long from, long to)
        {
            var result = new Dictionary<long, DateTimeOffset>();
            await using var command = data.CreateCommand(
                "SELECT registry_sequence, MIN(created_at) FROM exchange.deliveries WHERE registry_sequence BETWEEN $1 AND $2 GROUP BY registry_sequence");
            command.Parameters.Add(new NpgsqlParameter { Value = from });
            command.Parameters.Add(new NpgsqlParameter { Value = to });
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                result[reader.GetInt64(0)] = reader.GetFieldValue<DateTimeOffset>(1);
            }

            return result;
        }

        /// <summary>A queue of our own bound to the registry's fanout exchange, keyed by the change's sequence in the MassTransit envelope.</summary>
        public async Task<FanOutRecorder> BusTapAsync(ushort prefetch)
        {
            const string queue = "popinfo-bench.bus-tap";
            await using (var channel = await AdminChannelAsync())
            {
                await channel.ExchangeDeclareAsync(ChangeLatency.PersonChangedExchange, ExchangeType.Fanout, durable: true, autoDelete: false);
                await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
                await channel.QueuePurgeAsync(queue);
                await channel.QueueBindAsync(queue, ChangeLatency.PersonChangedExchange, routingKey: "");
            }

            return await FanOutRecorder.StartAsync([(queue, BrokerFactory())], prefetch, delivery =>
            {
                using var document = JsonDocument.Parse(delivery.Body);
                return document.RootElement.TryGetProperty("message", out var message) && message.TryGetProperty("sequence", out var sequence) ? sequence.GetInt64() : null;
            });
        }

        public async Task SeedBacklogAsync(string code, int m, string template)
        {
            await using (var connection = await data.OpenConnectionAsync())
            await using (var transaction = await connection.BeginTransactionAsync())
            {
                await using (var command = new NpgsqlCommand(
                    """
                    INSERT INTO exchange.deliveries (department_code, sequence, registry_sequence, subscription_id, person_id, event_type, event, created_at, webhook_state)
                    SELECT $1, g, g, $2, $3, 'cn.popinfo.person.registered.v1',
                           replace(replace($4, '@SEQ20@', lpad(g::text, 20, '0')), '@SEQ@', g::text), now(), NULL
                    FROM generate_series(1, $5::bigint) AS g
                    """, connection, transaction))
                {
                    command.Parameters.Add(new NpgsqlParameter { Value = code });
                    command.Parameters.Add(new NpgsqlParameter { Value = Guid.CreateVersion7() });
                    command.Parameters.Add(new NpgsqlParameter { Value = Guid.CreateVersion7() });
                    command.Parameters.Add(new NpgsqlParameter { Value = template });
                    command.Parameters.Add(new NpgsqlParameter { Value = (long)m });
                    await command.ExecuteNonQueryAsync();
                }

                await using (var update = new NpgsqlCommand("UPDATE exchange.departments SET last_sequence = $2 WHERE code = $1", connection, transaction))
                {
                    update.Parameters.Add(new NpgsqlParameter { Value = code });
                    update.Parameters.Add(new NpgsqlParameter { Value = (long)m });
                    await update.ExecuteNonQueryAsync();
                }

                await transaction.CommitAsync();
            }

            await using (var vacuum = data.CreateCommand("VACUUM (ANALYZE) exchange.deliveries"))
            {
                await vacuum.ExecuteNonQueryAsync();
            }

            await using var checkpoint = data.CreateCommand("CHECKPOINT");
            await checkpoint.ExecuteNonQueryAsync();
        }

        public async Task<string> TableSizeAsync()
        {
            await using var command = data.CreateCommand(
                "SELECT pg_size_pretty(pg_table_size('exchange.deliveries')) || ' table, ' || pg_size_pretty(pg_indexes_size('exchange.deliveries')) || ' indexes'");
            return (string)(await command.ExecuteScalarAsync())!;
        }

        /// <summary>Broker users are global (not per virtual host): remove the departments' users this run made.</summary>
        public async Task DeleteDepartmentUsersAsync()
        {
            using var management = new HttpClient { BaseAddress = new Uri("http://127.0.0.1:15672/"), Timeout = TimeSpan.FromSeconds(10) };
            management.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.UnescapeDataString(infrastructure.RabbitMq.UserInfo))));
            foreach (var code in Codes)
            {
                try
                {
                    using var deleted = await management.DeleteAsync($"api/users/{Uri.EscapeDataString("popinfo-dept-" + code)}");
                }
                catch (Exception ex)
                {
                    Console.WriteLine($"   could not delete broker user of {code}: {ex.Message}");
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            await StopExchangeAsync();
            if (Registry is not null)
            {
                await Registry.DisposeAsync();
            }

            if (admin is not null)
            {
                await admin.DisposeAsync();
            }

            RegistryHttp.Dispose();
            ExchangeAdmin?.Dispose();
            await data.DisposeAsync();
            NpgsqlConnection.ClearAllPools();
        }
    }
}
