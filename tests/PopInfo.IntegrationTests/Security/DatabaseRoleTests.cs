using Npgsql;
using PopInfo.Testing;

namespace PopInfo.IntegrationTests.Security;

/// <summary>
/// The registry, the collection desk and the exchange on one PostgreSQL database, each service with its own
/// owner role (migrations) and runtime role (everything else), as deploy/local/up.sh runs them.
/// </summary>
public sealed class DatabaseRolesFixture : IAsyncLifetime
{
    public static readonly string[] Services = ["registry", "collection", "exchange", "identity"];

    public string Database { get; private set; } = "";
    public Uri VirtualHost { get; private set; } = null!;
    public ServiceRoles Roles { get; private set; } = null!;
    public RegistryHost Registry { get; private set; } = null!;
    public CollectionHost Desk { get; private set; } = null!;
    public ExchangeHost Exchange { get; private set; } = null!;
    public IdentityHost Identity { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Database = await TestInfrastructure.CreateDatabaseAsync();
        VirtualHost = await TestInfrastructure.CreateVirtualHostAsync();
        Roles = await ServiceRoles.CreateAsync(Database, Services);
        Registry = new RegistryHost(SettingsOf("registry"));
        Desk = new CollectionHost(SettingsOf("collection"), () => Registry.Server.CreateHandler());
        Exchange = new ExchangeHost(SettingsOf("exchange"), () => Registry.Server.CreateHandler());
        Identity = new IdentityHost(SettingsOf("identity"));
    }

    public Dictionary<string, string?> SettingsOf(string service) => Roles.Settings(service, VirtualHost);

    /// <summary>A connection as the service's runtime role, its schema on the search path as the service has it.</summary>
    public async Task<NpgsqlConnection> ConnectAsRuntimeAsync(string service)
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(Roles.RuntimeConnectionString(service)) { SearchPath = service, Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    public async Task DisposeAsync()
    {
        await Identity.DisposeAsync();
        await Exchange.DisposeAsync();
        await Desk.DisposeAsync();
        await Registry.DisposeAsync();
        try
        {
            await Roles.DisposeAsync();
        }
        finally
        {
            await TestInfrastructure.DropDatabaseAsync(Database);
            await TestInfrastructure.DeleteVirtualHostAsync(VirtualHost);
        }
    }
}

/// <summary>Least privilege underneath (issue 9): what each service's runtime role may and may not do on PostgreSQL.</summary>
public sealed class DatabaseRoleTests(DatabaseRolesFixture fixture) : IClassFixture<DatabaseRolesFixture>
{
    private static readonly Dictionary<string, string> ATableOf = new()
    {
        ["registry"] = "persons",
        ["collection"] = "accounts",
        ["exchange"] = "departments",
        ["identity"] = "accounts",
    };

    [Fact]
    public async Task Services_do_their_normal_work_as_their_runtime_roles()
    {
        using var registry = fixture.Registry.CreateClient();
        var (registered, person) = await registry.PostAsync("/api/v1/persons", People.Resident());
        Assert.True(registered == 201, $"registering a person: {registered} {person}");
        // A look-up is counted (rate limits) and audited by the registry's runtime role.
        var (found, read) = await registry.GetJsonAsync($"/api/v1/persons/{(string)person["personId"]!}");
        Assert.True(found == 200, $"looking the person up: {found} {read}");

        // A sign-in at the desk is audited by the collection's runtime role.
        using var desk = await DeskSignIn.SignInAsync(fixture.Desk.CreateBrowserLikeClient(),
            TestIssuer.Shared.People.Add(new TestPerson("roles-collector", "采集员", "collector", People.Community)));
        var (signedIn, session) = await desk.GetJsonAsync("/api/v1/session");
        Assert.True(signedIn == 200, $"the desk's session: {signedIn} {session}");

        using var exchange = fixture.Exchange.CreateAdminClient();
        var (listed, departments) = await exchange.GetJsonAsync("/api/v1/service");
        Assert.True(listed == 200, $"the exchange's service info: {listed} {departments}");

        // The identity provider's EF Core store and its own tables work as its runtime role: a service's token.
        using var identity = fixture.Identity.CreateClient();
        using var token = await identity.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = "popinfo-collection", ["client_secret"] = TestIssuer.ServiceSecret, ["scope"] = "registry.read",
        }));
        Assert.True(token.IsSuccessStatusCode, $"a token from the identity provider: {(int)token.StatusCode} {await token.Content.ReadAsStringAsync()}");

        // The desk's sign-in was audited by its runtime role, which may read its audit table.
        await using var connection = await fixture.ConnectAsRuntimeAsync("collection");
        await using var count = new NpgsqlCommand("SELECT count(*) FROM audit_log", connection);
        Assert.True((long)(await count.ExecuteScalarAsync())! > 0);
    }

    [Theory]
    [InlineData("registry", "collection")]
    [InlineData("registry", "exchange")]
    [InlineData("collection", "registry")]
    [InlineData("collection", "exchange")]
    [InlineData("exchange", "registry")]
    [InlineData("exchange", "collection")]
    [InlineData("identity", "registry")]
    [InlineData("registry", "identity")]
    public async Task A_service_role_cannot_read_another_services_schema(string service, string other)
    {
        await StartedAsync();
        await using var connection = await fixture.ConnectAsRuntimeAsync(service);

        var refused = await RefusedAsync(connection, $"SELECT count(*) FROM {other}.{ATableOf[other]}");

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused);
    }

    [Theory]
    [InlineData("collection", "UPDATE audit_log SET actor = 'someone else'")]
    [InlineData("collection", "DELETE FROM audit_log")]
    [InlineData("collection", "TRUNCATE audit_log")]
    [InlineData("exchange", "UPDATE audit_log SET actor = 'someone else'")]
    [InlineData("exchange", "DELETE FROM audit_log")]
    [InlineData("exchange", "TRUNCATE audit_log")]
    [InlineData("registry", "DELETE FROM schema_migrations")]
    [InlineData("registry", "UPDATE read_audit SET client = 'someone else'")]
    [InlineData("registry", "DELETE FROM read_audit")]
    [InlineData("registry", "DELETE FROM read_audit_persons")]
    [InlineData("identity", "UPDATE audit_log SET actor = 'someone else'")]
    [InlineData("identity", "DELETE FROM audit_log")]
    [InlineData("collection", "TRUNCATE accounts")]
    [InlineData("exchange", "UPDATE data_protection_keys SET xml = '<key/>'")]
    [InlineData("exchange", "DELETE FROM data_protection_keys")]
    [InlineData("identity", "DELETE FROM data_protection_keys")]
    public async Task A_service_role_cannot_rewrite_its_audit_table_nor_its_migration_journal(string service, string sql)
    {
        await StartedAsync();
        await using var connection = await fixture.ConnectAsRuntimeAsync(service);

        var refused = await RefusedAsync(connection, sql);

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused);
    }

    [Fact]
    public async Task A_service_refuses_to_start_as_a_superuser()
    {
        var settings = fixture.SettingsOf("registry");
        settings["PopInfo:Database:ConnectionString"] = fixture.Database; // the test server's superuser

        var message = StartRefusal.Messages(await RegistryHost.StartFailureAsync(settings));

        Assert.Contains("PopInfo:Database:ConnectionString", message, StringComparison.Ordinal);
        Assert.Contains("a superuser", message, StringComparison.Ordinal);
        Assert.Contains("PopInfo:Database:AllowSuperuser", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_service_refuses_to_run_as_its_schemas_owner()
    {
        await StartedAsync();
        var settings = fixture.SettingsOf("registry");
        settings["PopInfo:Database:ConnectionString"] = fixture.Roles.OwnerConnectionString("registry");

        var message = StartRefusal.Messages(await RegistryHost.StartFailureAsync(settings));

        Assert.Contains("owner of the schema 'registry'", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_the_owners_connection_string_a_service_names_the_setting()
    {
        var settings = fixture.SettingsOf("registry");
        settings.Remove("PopInfo:Database:MigrationConnectionString");

        var message = StartRefusal.Messages(await RegistryHost.StartFailureAsync(settings));

        Assert.Contains("PopInfo:Database:MigrationConnectionString", message, StringComparison.Ordinal);
    }

    // Each test may run first: a service's rights exist once it has started (its owner grants them then).
    private async Task StartedAsync()
    {
        foreach (var client in new[] { fixture.Registry.CreateClient(), fixture.Desk.CreateClient(), fixture.Exchange.CreateClient(), fixture.Identity.CreateClient() })
        {
            using (client)
            {
                using var response = await client.GetAsync("/health/ready");
            }
        }
    }

    private static async Task<string?> RefusedAsync(NpgsqlConnection connection, string sql)
    {
        try
        {
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
            return null;
        }
        catch (PostgresException ex)
        {
            return ex.SqlState;
        }
    }
}
