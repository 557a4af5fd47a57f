using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PopInfo.Contracts.Registry;
using PopInfo.ServiceDefaults.Messaging;
using PopInfo.ServiceDefaults.Security;

namespace PopInfo.ServiceDefaults;

/// <summary>Wires a service's copy of the register the same way in every service that keeps one (analytics, sharing).</summary>
public static class ProjectionRegistration
{
    /// <summary>
    /// The registry client <typeparamref name="TReader"/> (the service's own token with <c>registry.read</c>, and no timeout:
    /// a snapshot of a big city streams for minutes), the follower <typeparamref name="TFollower"/> as a hosted service,
    /// and the consumer <typeparamref name="TConsumer"/> of every <see cref="PersonChanged"/> on the queue
    /// <paramref name="queueName"/>, up to <paramref name="batchSize"/> changes a transaction, one batch at a time.
    /// </summary>
    public static IHostApplicationBuilder AddRegistryProjection<TReader, TFollower, TConsumer>(
        this IHostApplicationBuilder builder, string service, Uri registryUrl, string queueName, int batchSize)
        where TReader : class
        where TFollower : class, IHostedService
        where TConsumer : class, IConsumer<Batch<PersonChanged>>
    {
        builder.Services.AddHttpClient<TReader>(http =>
            {
                http.BaseAddress = registryUrl;
                http.Timeout = Timeout.InfiniteTimeSpan;
            })
            .AddServiceToken(service, PlatformScopes.RegistryRead);
        builder.Services.AddSingleton<TFollower>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<TFollower>());
        builder.AddBusConsumers(bus => bus
            .AddConsumer<TConsumer>(c => c.Options<BatchOptions>(b => b
                .SetMessageLimit(batchSize).SetTimeLimit(TimeSpan.FromMilliseconds(50)).SetConcurrencyLimit(1)))
            .Endpoint(e =>
            {
                e.Name = queueName;
                e.PrefetchCount = batchSize * 2;
                e.ConcurrentMessageLimit = batchSize * 2;
            }));
        return builder;
    }
}
