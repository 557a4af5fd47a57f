using System.Diagnostics;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace PopInfo.Testing;

/// <summary>
/// Starts a service that must refuse to start, and returns why. Not through <c>WebApplicationFactory</c>: for a
/// top-level-statements program its host waits on the program's own thread, whose <c>app.Run()</c> disposes the
/// host as soon as its start fails; when that disposal comes first, the factory asks the disposed host for its
/// lifetime and throws <see cref="ObjectDisposedException"/> instead of the start-up error (seen under full-suite
/// load). Here the service's own entry point — its <c>Program</c>, unchanged — runs on a thread of its own with the
/// settings as command-line arguments (which take precedence over every other source), so <c>app.Run()</c> throws
/// the start-up error itself, every time. A host that starts after all is stopped at once and the test fails.
/// </summary>
public static class StartRefusal
{
    private static readonly TimeSpan Budget = TimeSpan.FromMinutes(2);

    /// <summary>The error that stopped the start of the program in <paramref name="service"/> with these settings.</summary>
    public static async Task<Exception> OfAsync(Assembly service, IReadOnlyDictionary<string, string?> settings)
    {
        var entryPoint = service.EntryPoint ?? throw new ArgumentException($"{service.GetName().Name} has no entry point.", nameof(service));
        // Kestrel on any free loopback port, should the host get that far (its start comes after the services').
        string[] args = [.. settings.Select(s => $"--{s.Key}={s.Value}"), "--environment=Development", "--urls=http://127.0.0.1:0"];
        var started = false;
        var run = Task.Factory.StartNew(() =>
        {
            using var watch = new StopOnStart(() => started = true);
            try
            {
                entryPoint.Invoke(null, [args]);
                return null;
            }
            catch (TargetInvocationException ex) when (ex.InnerException is { } error)
            {
                return error;
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        var failure = await run.WaitAsync(Budget);
        if (failure is null || started)
        {
            throw new InvalidOperationException($"{service.GetName().Name} started, though it should have refused to: {failure?.Message ?? "no error"}.");
        }

        return failure;
    }

    /// <summary>Every message of an error: its inner errors' and, for an aggregate, each of its errors'.</summary>
    public static string Messages(Exception error)
    {
        var all = new List<string>();
        for (var e = error; e is not null; e = e.InnerException)
        {
            all.Add(e.Message);
            if (e is AggregateException aggregate)
            {
                all.AddRange(aggregate.InnerExceptions.Select(inner => inner.Message));
            }
        }

        return string.Join(" <- ", all);
    }

    /// <summary>
    /// Hears the host the program builds on this thread (the hosting library's "HostBuilt" diagnostic event; other
    /// tests' hosts, built on other threads, are not this one's) and stops it as soon as it has started.
    /// </summary>
    private sealed class StopOnStart : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
    {
        private static readonly AsyncLocal<StopOnStart?> Current = new();
        private readonly Action onStarted;
        private readonly IDisposable all;
        private readonly List<IDisposable> subscriptions = [];

        public StopOnStart(Action onStarted)
        {
            this.onStarted = onStarted;
            Current.Value = this;
            all = DiagnosticListener.AllListeners.Subscribe(this);
        }

        public void OnNext(DiagnosticListener value)
        {
            if (value.Name == "Microsoft.Extensions.Hosting" && Current.Value == this)
            {
                lock (subscriptions)
                {
                    subscriptions.Add(value.Subscribe(this));
                }
            }
        }

        public void OnNext(KeyValuePair<string, object?> value)
        {
            if (value.Key == "HostBuilt" && value.Value is IHost host && Current.Value == this)
            {
                var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
                lifetime.ApplicationStarted.Register(() =>
                {
                    onStarted();
                    lifetime.StopApplication();
                });
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }

        public void Dispose()
        {
            all.Dispose();
            lock (subscriptions)
            {
                subscriptions.ForEach(s => s.Dispose());
            }

            Current.Value = null;
        }
    }
}
