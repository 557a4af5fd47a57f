using System.Net.Http.Json;
using System.Security.Cryptography;
using PopInfo.ServiceDefaults.Messaging;

namespace PopInfo.Testing;

/// <summary>
/// Each service's own RabbitMQ user in a test's virtual host, as deploy/local/up.sh makes them: permissions from
/// <see cref="BrokerPermissions.Of"/>, a random password, no tag. Users are broker-wide, so their names carry a suffix of
/// their own (<c>popinfo-t1a2b3c4-registry</c>); disposing deletes them. The RabbitMQ analogue of <see cref="ServiceRoles"/>.
/// </summary>
public sealed class ServiceBrokerUsers : IAsyncDisposable
{
    private readonly string suffix = Guid.NewGuid().ToString("N")[..8];
    private readonly string password = Convert.ToHexString(RandomNumberGenerator.GetBytes(12));
    private readonly List<string> users = [];

    private readonly Uri management;

    private ServiceBrokerUsers(Uri virtualHost, Uri management)
    {
        VirtualHost = virtualHost;
        this.management = management;
    }

    /// <summary>The virtual host's address with the test server's administrator (the provisioning credential).</summary>
    public Uri VirtualHost { get; }

    /// <summary>Creates the users of <paramref name="services"/> (default: every service on the bus) in a virtual host made by <see cref="TestInfrastructure.CreateVirtualHostAsync"/>.</summary>
    public static async Task<ServiceBrokerUsers> CreateAsync(Uri virtualHost, params string[] services)
    {
        var created = new ServiceBrokerUsers(virtualHost, await TestInfrastructure.RabbitMqManagementAsync());
        var vhost = Uri.EscapeDataString(virtualHost.AbsolutePath.TrimStart('/'));
        using var http = await TestInfrastructure.ManagementClientAsync();
        foreach (var service in services.Length > 0 ? services : BrokerPermissions.Services)
        {
            var user = created.UserOf(service);
            var permission = BrokerPermissions.Of(service);
            (await http.PutAsJsonAsync($"api/users/{user}", new { password = created.password, tags = "" })).EnsureSuccessStatusCode();
            created.users.Add(user);
            (await http.PutAsJsonAsync($"api/permissions/{vhost}/{user}",
                new { configure = permission.Configure, write = permission.Write, read = permission.Read })).EnsureSuccessStatusCode();
        }

        return created;
    }

    /// <summary>The broker user of a service in this test, <see cref="BrokerPermissions.UserOf"/> with the test's suffix.</summary>
    public string UserOf(string service) => BrokerPermissions.UserOf(service).Replace("popinfo-", $"popinfo-t{suffix}-", StringComparison.Ordinal);

    /// <summary>The virtual host's AMQP address as the service's own user.</summary>
    public Uri UriOf(string service) => new UriBuilder(VirtualHost) { UserName = UserOf(service), Password = password }.Uri;

    /// <summary>
    /// The exchange's provisioning credential (departments' users): the test server's administrator at the management API,
    /// apart from its messaging user <see cref="UriOf"/>("exchange").
    /// </summary>
    public Dictionary<string, string?> ExchangeProvisioningSettings()
    {
        var administrator = Uri.UnescapeDataString(VirtualHost.UserInfo).Split(':', 2);
        return new()
        {
            ["PopInfo:Exchange:RabbitMqManagementUrl"] = management.ToString(),
            ["PopInfo:Exchange:RabbitMqManagementUser"] = administrator[0],
            ["PopInfo:Exchange:RabbitMqManagementPassword"] = administrator.ElementAtOrDefault(1),
        };
    }

    public async ValueTask DisposeAsync()
    {
        using var http = await TestInfrastructure.ManagementClientAsync();
        foreach (var user in users)
        {
            using var deleted = await http.DeleteAsync($"api/users/{user}");
        }
    }
}
