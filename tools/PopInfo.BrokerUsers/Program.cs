using PopInfo.ServiceDefaults.Messaging;

// popinfo-broker-users [service...]: one line per service (default: every service on the bus), tab-separated —
// service, broker user, configure, write and read patterns — so that deploy/local/up.sh grants exactly what
// BrokerPermissions says, never a copy of it.
var services = args.Length > 0 ? args : [.. BrokerPermissions.Services];
foreach (var service in services)
{
    if (!BrokerPermissions.Services.Contains(service))
    {
        await Console.Error.WriteLineAsync($"popinfo-broker-users: '{service}' is no service on the bus ({string.Join(' ', BrokerPermissions.Services)})");
        return 2;
    }

    var permission = BrokerPermissions.Of(service);
    Console.WriteLine(string.Join('\t', service, BrokerPermissions.UserOf(service), permission.Configure, permission.Write, permission.Read));
}

return 0;
