using PopInfo.Testing;

namespace PopInfo.IntegrationTests.Registry;

/// <summary>One registry host per test class, with a database of its own.</summary>
public abstract class RegistryFixture : IAsyncLifetime
{
    public RegistryHost Host { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    protected abstract Task<RegistryHost> CreateHostAsync();

    public async Task InitializeAsync()
    {
        Host = await CreateHostAsync();
        Client = Host.CreateClient();
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Host.DisposeAsync();
        if (Host.DatabaseConnectionString is { } database)
        {
            await TestInfrastructure.DropDatabaseAsync(database);
        }
    }
}

public sealed class PostgreSqlRegistryFixture : RegistryFixture
{
    protected override Task<RegistryHost> CreateHostAsync() => RegistryHost.OnPostgreSqlAsync();
}

public sealed class SqliteRegistryFixture : RegistryFixture
{
    protected override Task<RegistryHost> CreateHostAsync() => Task.FromResult(RegistryHost.OnSqlite());
}
