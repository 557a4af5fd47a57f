using PopInfo.SyntheticCity.Loading;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace PopInfo.SyntheticCity.Cli;

/// <summary>
/// A Spectre.Console progress bar over the load: phase, bar, people so far with the rate, and the
/// estimated time left. It polls the load's counters five times a second rather than being called
/// from the writers, so the COPY threads never wait on the console.
/// </summary>
internal static class ProgressDisplay
{
    public static async Task<T> RunAsync<T>(bool quiet, long total, LoadCounters counters, Func<Task<T>> work)
    {
        if (quiet)
        {
            return await work();
        }

        return await AnsiConsole.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RateColumn(), new RemainingTimeColumn(), new ElapsedTimeColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask(Markup.Escape(counters.Phase), maxValue: total);
                var running = work();
                while (!running.IsCompleted)
                {
                    await Task.WhenAny(running, Task.Delay(200));
                    task.Value = counters.People;
                    task.Description = Markup.Escape(counters.Phase);
                }

                task.Value = counters.People;
                task.Description = Markup.Escape(counters.Phase);
                task.StopTask();
                return await running;
            });
    }

    /// <summary>"1,234,567 people · 98,765/s".</summary>
    private sealed class RateColumn : ProgressColumn
    {
        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
            new Markup($"[blue]{task.Value:N0}[/] people · [green]{task.Speed ?? 0:N0}/s[/]");
    }
}
