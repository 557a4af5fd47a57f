using System.Diagnostics;
using Microsoft.Extensions.Hosting;

namespace PopInfo.ServiceDefaults;

/// <summary>
/// Keeps a trace's context flowing through the hops of a trace the sampler dropped (<see cref="TraceSampling"/>). For a
/// span whose parent is in this process and not sampled, OpenTelemetry creates no activity at all; MassTransit writes the
/// message's trace header only from an activity of its own, so without this a dropped trace would lose its id at every
/// send, and the outbox rows, the change log and the CloudEvents after it would carry a new, unrelated one. This listener
/// asks for <see cref="ActivitySamplingResult.PropagationData"/> on MassTransit's and PopInfo's sources: an activity with
/// ids and no tags, neither recorded nor exported — so every trace keeps one id from the desk to the department, and
/// logs correlate, whether or not its spans are kept.
/// </summary>
public sealed class TracePropagationListener : IHostedService, IDisposable
{
    private readonly ActivityListener listener = new()
    {
        ShouldListenTo = source => source.Name is "MassTransit" or Telemetry.SourceName,
        Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.PropagationData,
        SampleUsingParentId = (ref ActivityCreationOptions<string> _) => ActivitySamplingResult.PropagationData,
    };

    public Task StartAsync(CancellationToken cancellationToken)
    {
        ActivitySource.AddActivityListener(listener);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => listener.Dispose();
}
