using PopInfo.Monitoring.Health;

namespace PopInfo.Monitoring.Samples;

/// <summary>The platform's health at one moment as samples (services, broker, database).</summary>
public static class HealthSamples
{
    public static IEnumerable<Sample> From(PlatformHealth health)
    {
        foreach (var service in health.Services)
        {
            yield return new(Metrics.ServiceLive, service.Name, service.Live ? 1 : 0);
            yield return new(Metrics.ServiceReady, service.Name, service.Ready ? 1 : 0);
        }

        if (health.Broker is { } broker)
        {
            yield return new(Metrics.BrokerAnswered, "broker", broker.Answered ? 1 : 0);
            foreach (var node in broker.Nodes)
            {
                yield return new(Metrics.BrokerAlarm, node.Name, node.MemoryAlarm || node.DiskAlarm ? 1 : 0);
            }

            foreach (var queue in broker.DeepestQueues)
            {
                var subject = queue.VirtualHost + "/" + queue.Name;
                yield return new(Metrics.QueueMessages, subject, queue.Messages);
                yield return new(Metrics.QueueConsumers, subject, queue.Consumers);
            }
        }

        if (health.Database is { } database)
        {
            yield return new(Metrics.DatabaseAnswered, "postgresql", database.Answered ? 1 : 0);
            if (database.Answered)
            {
                yield return new(Metrics.DatabaseConnections, "postgresql", database.Connections.Values.Sum());
                foreach (var replica in database.Replicas)
                {
                    // A replica away has no replay lag: no sample, so its subject goes unknown; its bytes behind still grow.
                    if (replica.ReplayLagSeconds is { } seconds)
                    {
                        yield return new(Metrics.DatabaseReplicaLag, replica.Name, seconds);
                    }

                    if (replica.BytesBehind is { } bytes)
                    {
                        yield return new(Metrics.DatabaseReplicaBytesBehind, replica.Name, bytes);
                    }
                }
            }
        }
    }
}
