using System.Xml.Linq;
using Dapper;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace PopInfo.ServiceDefaults.Data;

/// <summary>
/// A service's Data Protection key ring in its own database (<c>data_protection_keys</c>), so that every instance
/// of the service reads the same keys. Keys are only ever added (a revocation is one more element), so on
/// PostgreSQL the runtime role may only read and insert. The elements arrive wrapped by the key-encryption key.
/// </summary>
public sealed class DataProtectionKeyStore(ServiceDatabase database, TimeProvider clock) : IXmlRepository
{
    public const string Table = "data_protection_keys";

    // Data Protection's repository interface is synchronous; it is called when the key ring is (re)loaded — at
    // start and about once a day — not per request.
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var connection = database.OpenConnectionAsync().AsTask().GetAwaiter().GetResult();
        return [.. connection.Query<string>($"SELECT xml FROM {Table} ORDER BY created_at, name").Select(XElement.Parse)];
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var connection = database.OpenConnectionAsync().AsTask().GetAwaiter().GetResult();
        connection.Execute($"INSERT INTO {Table} (name, xml, created_at) VALUES (@name, @xml, @now)",
            new { name = friendlyName, xml = element.ToString(SaveOptions.DisableFormatting), now = clock.GetUtcNow() });
    }
}
