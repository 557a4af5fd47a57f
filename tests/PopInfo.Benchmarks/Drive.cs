using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace PopInfo.Benchmarks;

/// <summary>The samples of one run, with its window and how the load was generated.</summary>
public sealed record Run(string Title, IReadOnlyList<Sample> Samples, IReadOnlyList<double> PacerLagMs, long Start, long End)
{
    public double Seconds => Latencies.Ms(Start, End) / 1000;
}

/// <summary>Generates load: open loop (sends by the clock) or closed loop (N clients, each waits for its answer).</summary>
public static class Drive
{
    /// <summary>
    /// Open loop at a constant rate: the i-th unit is due at start + i / rate and is started then, whether or
    /// not earlier ones have been answered, so a slow answer cannot hold back the next send (no coordinated
    /// omission); latencies are measured from the due time. A dedicated thread keeps the schedule; with
    /// <paramref name="spin"/> it spins the last 1.5 ms before each due time instead of sleeping (more exact, costs processor time).
    /// </summary>
    public static async Task<Run> OpenLoopAsync(string title, IWorkload workload, double rate, TimeSpan duration, bool spin)
    {
        var samples = new ConcurrentQueue<Sample>();
        var lags = new List<double>();
        var tasks = new List<Task>();
        var interval = Stopwatch.Frequency / rate;
        var start = Latencies.Now + Latencies.Ticks(TimeSpan.FromMilliseconds(50));
        var end = start + Latencies.Ticks(duration);
        var spinWindow = Latencies.Ticks(TimeSpan.FromMilliseconds(1.5));
        var paced = new TaskCompletionSource();
        var pacer = new Thread(() =>
        {
            try
            {
                for (long i = 0; ; i++)
                {
                    var due = start + (long)(i * interval);
                    if (due >= end)
                    {
                        break;
                    }

                    while (true)
                    {
                        var remaining = due - Latencies.Now;
                        if (remaining <= 0)
                        {
                            break;
                        }

                        if (spin && remaining < spinWindow)
                        {
                            Thread.SpinWait(50);
                        }
                        else
                        {
                            Thread.Sleep(1);
                        }
                    }

                    lags.Add(Latencies.Ms(due, Latencies.Now));
                    tasks.Add(Task.Run(async () => samples.Enqueue(await workload.ExecuteAsync(due))));
                }

                paced.SetResult();
            }
            catch (Exception ex)
            {
                paced.SetException(ex);
            }
        })
        { IsBackground = true, Name = "open-loop pacer" };
        pacer.Start();
        await paced.Task;
        await Task.WhenAll(tasks);
        return new Run(title, [.. samples], lags, start, end);
    }

    /// <summary>Closed loop: <paramref name="clients"/> loops, each sending its next unit when the previous one is answered.</summary>
    public static async Task<Run> ClosedLoopAsync(string title, IWorkload workload, int clients, TimeSpan duration)
    {
        var start = Latencies.Now;
        var end = start + Latencies.Ticks(duration);
        var workers = Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
        {
            var mine = new List<Sample>();
            while (Latencies.Now < end)
            {
                mine.Add(await workload.ExecuteAsync(Latencies.Now));
            }

            return mine;
        }));
        var all = (await Task.WhenAll(workers)).SelectMany(s => s).ToList();
        return new Run(title, all, [], start, end);
    }

    /// <summary>Waits for the deliveries of every successful unit and notes when each arrived.</summary>
    public static async Task<(int Delivered, double DrainSeconds)> CollectDeliveriesAsync(Run run, DeliveryRecorder recorder, TimeSpan deadline)
    {
        var keys = run.Samples.Where(s => s.Ok).Select(s => s.Key).ToList();
        var waitStarted = Latencies.Now;
        await recorder.WaitForAsync(keys, deadline);
        var delivered = 0;
        foreach (var sample in run.Samples.Where(s => s.Ok))
        {
            if (recorder.TryGet(sample.Key, out var at))
            {
                sample.Delivered = at;
                delivered++;
            }
        }

        var last = run.Samples.Where(s => s.Delivered > 0).Select(s => s.Delivered).DefaultIfEmpty(waitStarted).Max();
        return (delivered, Math.Max(0, Latencies.Ms(run.End, last) / 1000));
    }

    /// <summary>The figures of a run, one per line.</summary>
    public static string Report(Run run, int delivered, double drainSeconds, bool openLoop)
    {
        var s = run.Samples;
        var ok = s.Where(x => x.Ok).ToList();
        var text = new StringBuilder();
        var kinds = string.Join(", ", s.GroupBy(x => x.Kind).Select(g => $"{g.Key} {g.Count(x => x.Ok)}/{g.Count()}"));
        var lastAnswer = ok.Select(x => x.Answered).DefaultIfEmpty(run.End).Max();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"  sent {s.Count} in {run.Seconds:0.0} s = {s.Count / run.Seconds:0.0}/s; ok {ok.Count} ({kinds}); errors {s.Count - ok.Count}; " +
            $"answered rate {ok.Count / Math.Max(run.Seconds, Latencies.Ms(run.Start, lastAnswer) / 1000):0.0}/s");
        foreach (var error in s.Where(x => !x.Ok).GroupBy(x => Trim(x.Error)).Take(5))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"    error x{error.Count()}: {error.Key}");
        }

        var origin = openLoop ? "scheduled" : "sent";
        if (openLoop)
        {
            text.AppendLine("  pacer lag (scheduled → started)        " + Latencies.Summary(run.PacerLagMs));
        }

        bool raw = s.Any(x => x.Kind == "raw");
        text.AppendLine($"  {(raw ? "commit  " : "answer  ")} ({origin} → {(raw ? "committed" : "HTTP 200/201 read")}) ".PadRight(41) + Latencies.Summary(ok.Select(x => Latencies.Ms(x.Due, x.Answered))));
        if (openLoop)
        {
            text.AppendLine($"  {(raw ? "commit  " : "answer  ")} (started → {(raw ? "committed" : "answer read")}) ".PadRight(41) + Latencies.Summary(ok.Select(x => Latencies.Ms(x.Sent, x.Answered))));
        }

        if (!raw)
        {
            foreach (var kind in ok.GroupBy(x => x.Kind).Where(_ => ok.Select(x => x.Kind).Distinct().Count() > 1))
            {
                text.AppendLine($"    {kind.Key} only ".PadRight(41) + Latencies.Summary(kind.Select(x => Latencies.Ms(x.Due, x.Answered))));
            }
        }
        else
        {
            text.AppendLine($"  confirm ({origin} → broker confirmed) ".PadRight(41) + Latencies.Summary(ok.Select(x => Latencies.Ms(x.Due, x.Confirmed))));
        }

        text.AppendLine($"  publish ({origin} → delivered to raw consumer) ".PadRight(41) + Latencies.Summary(ok.Where(x => x.Delivered > 0).Select(x => Latencies.Ms(x.Due, x.Delivered))));
        if (!raw)
        {
            text.AppendLine("  relay   (answer read → delivered) ".PadRight(41) + Latencies.Summary(ok.Where(x => x.Delivered > 0).Select(x => Latencies.Ms(x.Answered, x.Delivered))));
        }

        text.Append(CultureInfo.InvariantCulture,
            $"  delivered {delivered}/{ok.Count}; last delivery {drainSeconds:0.00} s after the load stopped");
        if (!openLoop && delivered > 0)
        {
            var firstSent = ok.Min(x => x.Sent);
            var lastDelivered = ok.Where(x => x.Delivered > 0).Max(x => x.Delivered);
            text.Append(CultureInfo.InvariantCulture, $"; published-and-delivered rate {delivered / (Latencies.Ms(firstSent, lastDelivered) / 1000):0.0}/s");
        }

        return text.ToString();
    }

    private static string Trim(string? error)
    {
        var e = (error ?? "?").ReplaceLineEndings(" ");
        return e.Length > 300 ? e[..300] + "…" : e;
    }
}
