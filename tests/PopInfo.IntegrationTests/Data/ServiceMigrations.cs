using System.Reflection;
using PopInfo.Analytics;
using PopInfo.Collection;
using PopInfo.Exchange;
using PopInfo.Identity;
using PopInfo.Monitoring;
using PopInfo.Registry;
using PopInfo.Sharing;

namespace PopInfo.IntegrationTests.Data;

/// <summary>Every service that keeps a database, with the assembly its migration scripts are embedded in.</summary>
public static class ServiceMigrations
{
    /// <summary>Service name (its schema, its SQLite file) → the assembly of its scripts.</summary>
    public static readonly IReadOnlyDictionary<string, Assembly> All = new Dictionary<string, Assembly>
    {
        [AnalyticsModule.Name] = typeof(AnalyticsModule).Assembly,
        [CollectionModule.Name] = typeof(CollectionModule).Assembly,
        [ExchangeModule.Name] = typeof(ExchangeModule).Assembly,
        [IdentityModule.Name] = typeof(IdentityModule).Assembly,
        [MonitoringModule.Name] = typeof(MonitoringModule).Assembly,
        [RegistryModule.Name] = typeof(RegistryModule).Assembly,
        [SharingModule.Name] = typeof(SharingModule).Assembly,
    };

    /// <summary>The services as test data (one case each).</summary>
    public static TheoryData<string> Names => new(All.Keys);

    /// <summary>The services × PostgreSQL and SQLite, as test data.</summary>
    public static TheoryData<string, string> NamesAndProviders
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var name in All.Keys)
            {
                data.Add(name, MigratedDatabase.PostgreSql);
                data.Add(name, MigratedDatabase.Sqlite);
            }

            return data;
        }
    }

    /// <summary>The scripts' folder name in a baseline (PopInfo.Registry → Registry), as make-baseline.sh writes it.</summary>
    public static string FolderOf(string service) => All[service].GetName().Name!["PopInfo.".Length..];
}
