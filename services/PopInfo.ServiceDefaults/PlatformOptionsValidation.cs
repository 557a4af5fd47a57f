using Microsoft.Extensions.Options;
using PopInfo.ServiceDefaults.Leases;

namespace PopInfo.ServiceDefaults;

/// <summary>Checks the settings that depend on each other, so a bad setting stops the service at start with its name.</summary>
internal sealed class PlatformOptionsValidation : IValidateOptions<PlatformOptions>
{
    public ValidateOptionsResult Validate(string? name, PlatformOptions options)
    {
        var failures = new List<string>();
        if (options.Database.Provider != DatabaseProvider.Sqlite && string.IsNullOrWhiteSpace(options.Database.ConnectionString))
        {
            failures.Add($"PopInfo:Database:ConnectionString is required when PopInfo:Database:Provider is {options.Database.Provider}.");
        }

        if (options.Database.Provider == DatabaseProvider.PostgreSql && string.IsNullOrWhiteSpace(options.Database.MigrationConnectionString)
            && !options.Database.AllowSuperuser)
        {
            failures.Add("PopInfo:Database:MigrationConnectionString (the schema owner's, used only to migrate) is required when " +
                "PopInfo:Database:Provider is PostgreSql; for development with one superuser set PopInfo:Database:AllowSuperuser=true.");
        }

        if (options.Database.ReplicaRetryAfter < TimeSpan.FromSeconds(1) || options.Database.ReplicaRetryAfter > TimeSpan.FromMinutes(10))
        {
            failures.Add($"PopInfo:Database:ReplicaRetryAfter is 00:00:01 to 00:10:00 (how long a replica found away leaves its reads to the primary), not {options.Database.ReplicaRetryAfter}.");
        }

        if (options.Database.ReplicaMaxLag < TimeSpan.FromSeconds(1) || options.Database.ReplicaMaxLag > TimeSpan.FromHours(1))
        {
            failures.Add($"PopInfo:Database:ReplicaMaxLag is 00:00:01 to 01:00:00 (how far behind the primary the replica may be and still take the reads), not {options.Database.ReplicaMaxLag}.");
        }

        if (options.Bus.Transport == BusTransport.RabbitMq)
        {
            if (options.Bus.RabbitMqUri is null)
            {
                failures.Add("PopInfo:Bus:RabbitMqUri is required when PopInfo:Bus:Transport is RabbitMq.");
            }
            else if (options.Bus.RabbitMqUri.Scheme is not ("amqp" or "amqps"))
            {
                failures.Add($"PopInfo:Bus:RabbitMqUri must be an amqp:// or amqps:// URI, not '{options.Bus.RabbitMqUri.Scheme}://'.");
            }
        }

        // Checked whatever the transport: a bad entry is found when it is written, not when the broker is switched on.
        failures.AddRange(Messaging.BrokerNodes.Problems(options.Bus.RabbitMqNodes).Select(p => $"{Messaging.BrokerNodes.Setting}: {p}"));

        if (options.Leases.Ttl < Lease.MinimumTtl || options.Leases.Ttl > TimeSpan.FromMinutes(5))
        {
            failures.Add($"PopInfo:Leases:Ttl is {Lease.MinimumTtl} to 00:05:00 (a killed leader's loops wait this long for another instance).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
