using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;
using PopInfo.Registry;
using PopInfo.ServiceDefaults;
using PopInfo.ServiceDefaults.Data;

namespace PopInfo.UnitTests.Hosting;

/// <summary>
/// Settings checked at start by the service defaults (the failure names the setting), and the replica's entry of the
/// readiness report (docs/database-replica.md, "When the replica is away").
/// </summary>
public sealed class PlatformSettingsTests
{
    private const string Nowhere = "Host=127.0.0.1;Port=1;Username=u;Password=p;Database=d";

    [Theory]
    [InlineData("ReplicaRetryAfter", "00:00:00", "00:00:01 to 00:10:00")]
    [InlineData("ReplicaRetryAfter", "00:00:00.500", "00:00:01 to 00:10:00")]
    [InlineData("ReplicaRetryAfter", "00:10:01", "00:00:01 to 00:10:00")]
    [InlineData("ReplicaMaxLag", "00:00:00", "00:00:01 to 01:00:00")]
    [InlineData("ReplicaMaxLag", "00:00:00.900", "00:00:01 to 01:00:00")]
    [InlineData("ReplicaMaxLag", "01:00:01", "00:00:01 to 01:00:00")]
    public void A_replica_setting_out_of_range_stops_the_start_naming_the_setting_and_its_range(string setting, string value, string range)
    {
        using var services = Services(new() { ["PopInfo:Database:" + setting] = value });
        var thrown = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<PlatformOptions>>().Value);
        Assert.Contains(thrown.Failures, f => f.StartsWith($"PopInfo:Database:{setting} is {range}", StringComparison.Ordinal));
    }

    [Fact]
    public void The_replica_back_off_is_fifteen_seconds_unless_set()
    {
        using var services = Services([]);
        Assert.Equal(TimeSpan.FromSeconds(15), services.GetRequiredService<IOptions<PlatformOptions>>().Value.Database.ReplicaRetryAfter);
    }

    [Fact]
    public void The_replica_lag_allowance_is_thirty_seconds_unless_set()
    {
        using var services = Services([]);
        Assert.Equal(TimeSpan.FromSeconds(30), services.GetRequiredService<IOptions<PlatformOptions>>().Value.Database.ReplicaMaxLag);
    }

    [Fact]
    public void A_broker_node_that_is_not_host_and_port_stops_the_start_naming_the_setting_and_the_entry()
    {
        using var services = Services(new() { ["PopInfo:Bus:RabbitMqNodes"] = "127.0.0.1:5681,127.0.0.1:56x2" });
        var thrown = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<PlatformOptions>>().Value);
        var failure = Assert.Single(thrown.Failures);
        Assert.StartsWith("PopInfo:Bus:RabbitMqNodes: '127.0.0.1:56x2' is not a node", failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_replica_away_is_a_degraded_entry_of_the_readiness_report_named_for_it()
    {
        using var services = WithReplica();
        var health = services.GetRequiredService<HealthCheckService>();
        const string entry = RegistryModule.Name + "-database-replica";

        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync(r => r.Name == entry)).Entries[entry].Status);
        services.GetRequiredKeyedService<ServiceDatabase>(RegistryModule.Name).ReplicaAvailability!
            .Away(new NpgsqlException("Failed to connect", new SocketException((int)SocketError.ConnectionRefused)));
        var report = await health.CheckHealthAsync(r => r.Tags.Contains(ServiceDefaultsExtensions.ReadyTag) && r.Name == entry);
        Assert.Equal((HealthStatus.Degraded, HealthStatus.Degraded), (report.Status, report.Entries[entry].Status));
    }

    [Fact]
    public async Task The_replica_too_far_behind_is_a_degraded_entry_saying_how_far()
    {
        using var services = WithReplica();
        var health = services.GetRequiredService<HealthCheckService>();
        const string entry = RegistryModule.Name + "-database-replica";

        services.GetRequiredKeyedService<ServiceDatabase>(RegistryModule.Name).ReplicaAvailability!
            .Measured(TimeSpan.FromSeconds(42.5), TimeSpan.FromSeconds(30));
        var report = await health.CheckHealthAsync(r => r.Tags.Contains(ServiceDefaultsExtensions.ReadyTag) && r.Name == entry);
        Assert.Equal((HealthStatus.Degraded, HealthStatus.Degraded), (report.Status, report.Entries[entry].Status));
        Assert.StartsWith($"{RegistryModule.Name} replica 42.5 s behind the primary", report.Entries[entry].Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_replica_the_report_has_no_replica_entry()
    {
        using var services = Services(new() { ["PopInfo:Database:DataDirectory"] = Path.GetTempPath() }, database: true);
        var names = services.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations.Select(r => r.Name).ToList();
        Assert.Contains(RegistryModule.Name + "-database", names);
        Assert.DoesNotContain(RegistryModule.Name + "-database-replica", names);
    }

    // The registry's database on PostgreSQL with a replica (neither reached: nothing here opens a connection).
    private static ServiceProvider WithReplica() => Services(new()
    {
        ["PopInfo:Database:Provider"] = "PostgreSql", ["PopInfo:Database:ConnectionString"] = Nowhere, ["PopInfo:Database:AllowSuperuser"] = "true",
        ["PopInfo:Database:ReadConnectionString"] = Nowhere,
    }, database: true);

    private static ServiceProvider Services(Dictionary<string, string?> settings, bool database = false)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Production });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddServiceDefaults("popinfo-settings-test");
        if (database)
        {
            builder.AddServiceDatabase(RegistryModule.Name, typeof(RegistryModule).Assembly);
        }

        return builder.Services.BuildServiceProvider();
    }
}
