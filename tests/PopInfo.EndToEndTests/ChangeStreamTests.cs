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
                    // The registry goes on taking changes while the broker is away: twenty more before it comes back.
                    var before = acceptedSoFar();
                    var until = DateTime.UtcNow.AddSeconds(60);
                    while (acceptedSoFar() < before + 20 && DateTime.UtcNow < until)
                    {
                        await Task.Delay(50);
                    }

                    Assert.True(acceptedSoFar() >= before + 20, $"the registry took {acceptedSoFar() - before} changes in 60 s while the broker was away");
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
        // At least the stream's changes, and more while the disruption lasts (stopping the broker can take as long as the
        // rest of the stream), so that changes keep coming during it.
        for (var i = 0; i < Changes || !disruption.IsCompleted; i++)
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
        // Each change accepted once (the stream wrote at least its changes, more while the disruption lasted).
        Assert.InRange(accepted.Count, Changes, int.MaxValue);
        Assert.Equal(accepted.Count, accepted.Distinct().Count());
        var seen = await probe.WaitForEventsAsync(accepted, TimeSpan.FromSeconds(90));

        Assert.Equal(accepted.Order(), seen.Order());
        // A repeat is recognisable: the same event id always comes with the same sequence, and the
        // sequences of the accepted changes are distinct and complete.
        var ours = probe.Received.Where(r => accepted.Contains(r.MessageId)).ToList();
        Assert.All(ours.GroupBy(r => r.MessageId), g => Assert.Single(g.Select(r => r.Sequence).Distinct()));
        var sequences = ours.Select(r => r.Sequence).Distinct().Order().ToList();
        Assert.Equal(Enumerable.Range(0, accepted.Count).Select(i => sequences[0] + i), sequences);
    }
}
