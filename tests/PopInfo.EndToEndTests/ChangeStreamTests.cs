using PopInfo.Testing;

namespace PopInfo.EndToEndTests;

/// <summary>
/// A stream of changes goes on while the registry is killed, or RabbitMQ restarted: every change the
/// registry accepted is published at least once, and repeats carry the same event id.
/// </summary>
public sealed class ChangeStreamTests
{
    private const int Changes = 300;

    [Fact]
    public async Task Killing_the_registry_in_the_middle_of_a_stream_loses_no_change()
    {
        var broker = await TestInfrastructure.RabbitMqAsync();
        await using var probe = await ChangeProbe.StartAsync(broker);
        var database = await TestInfrastructure.CreateDatabaseAsync();
        await using (var registry = ServiceProcess.Registry(database, broker))
        {
            await registry.StartAsync();

            var accepted = await WriteStreamAsync(registry, atHalfway: async _ =>
            {
                await registry.KillAsync();
                await registry.StartAsync();
            });

            await AssertEveryChangePublishedAsync(probe, accepted);
        }

        await TestInfrastructure.DropDatabaseAsync(database);
    }

    [Fact]
    public async Task Restarting_RabbitMQ_in_the_middle_of_a_stream_loses_no_change()
    {
        Assert.False(TestInfrastructure.DockerAvailable, "This test restarts the local broker with rabbitmqctl.");
        var broker = await TestInfrastructure.RabbitMqAsync();
        await using var probe = await ChangeProbe.StartAsync(broker);
        var database = await TestInfrastructure.CreateDatabaseAsync();
        await using (var registry = ServiceProcess.Registry(database, broker))
        {
            await registry.StartAsync();

            var accepted = await WriteStreamAsync(registry, atHalfway: async acceptedSoFar =>
            {
                await LocalBroker.RabbitMqCtlAsync("stop_app");
                try
                {
                    // The broker stays away for a second while the stream goes on (how many changes the registry takes
                    // meanwhile is not asserted: see the session-13 note).
                    await Task.Delay(1000);
                }
                finally
                {
                    await LocalBroker.RabbitMqCtlAsync("start_app");
                }
            });

            await AssertEveryChangePublishedAsync(probe, accepted);
        }

        await TestInfrastructure.DropDatabaseAsync(database);
    }

    /// <summary>
    /// Registers people one after another; a request that fails (the registry is down) is retried with
    /// the same command id until it is answered, as a careful client does. Returns the events accepted.
    /// </summary>
    private static async Task<List<Guid>> WriteStreamAsync(ServiceProcess registry, Func<Func<int>, Task> atHalfway)
    {
        using var http = ServiceProcess.RegistryClient(registry.BaseAddress, TimeSpan.FromSeconds(5));
        var accepted = new List<Guid>();
        var acceptedCount = 0;
        var disruption = Task.CompletedTask;
        for (var i = 0; i < Changes; i++)
        {
            if (i == Changes / 2)
            {
                disruption = Task.Run(() => atHalfway(() => Volatile.Read(ref acceptedCount)));
            }

            var body = People.Resident();
            var until = DateTime.UtcNow.AddSeconds(90);
            while (true)
            {
                try
                {
                    var (status, created) = await http.PostAsync("/api/v1/persons", body);
                    Assert.Equal(201, status);
                    accepted.Add(Guid.Parse((string)created["eventId"]!));
                    Interlocked.Increment(ref acceptedCount);
                    break;
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && DateTime.UtcNow < until)
                {
                    await Task.Delay(100);
                }
            }
        }

        await disruption;
        return accepted;
    }

    private static async Task AssertEveryChangePublishedAsync(ChangeProbe probe, List<Guid> accepted)
    {
        Assert.Equal(Changes, accepted.Distinct().Count());
        var seen = await probe.WaitForEventsAsync(accepted, TimeSpan.FromSeconds(90));

        Assert.Equal(accepted.Order(), seen.Order());
        // A repeat is recognisable: the same event id always comes with the same sequence, and the
        // sequences of the accepted changes are distinct and complete.
        var ours = probe.Received.Where(r => accepted.Contains(r.MessageId)).ToList();
        Assert.All(ours.GroupBy(r => r.MessageId), g => Assert.Single(g.Select(r => r.Sequence).Distinct()));
        var sequences = ours.Select(r => r.Sequence).Distinct().Order().ToList();
        Assert.Equal(Enumerable.Range(0, Changes).Select(i => sequences[0] + i), sequences);
    }
}
