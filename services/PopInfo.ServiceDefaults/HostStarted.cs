using Microsoft.Extensions.Hosting;

namespace PopInfo.ServiceDefaults;

/// <summary>Waiting for the host to listen: background work that calls its own process's services (the embedded host) starts after.</summary>
public static class HostStarted
{
    /// <summary>Completes once the host has started (Kestrel listens), at once if it already has.</summary>
    public static async Task WhenStartedAsync(this IHostApplicationLifetime lifetime, CancellationToken ct)
    {
        if (lifetime.ApplicationStarted.IsCancellationRequested)
        {
            return;
        }

        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        {
            await started.Task.WaitAsync(ct);
        }
    }
}
