using PopInfo.ServiceDefaults.Data;

namespace PopInfo.UnitTests.Audit;

/// <summary>
/// The audit chain's hash is a stored format: a change to it would make every chain written before it fail
/// verification. The expected value was computed apart from this code (Python's hashlib over the same lines).
/// </summary>
public sealed class AuditHashTests
{
    private static readonly AuditTable Table = new("audit_log",
        new("at", AuditValue.Time), new("actor"), new("role"), new("subscription_id", AuditValue.Uuid));

    [Fact]
    public void The_hash_covers_the_previous_hash_and_each_column_with_a_value_by_name_and_length()
    {
        var hash = Table.Hash(AuditTable.Genesis, ["2026-12-06T03:05:24.123456Z", "张丽", null, "0f8fad5b-d9cb-469f-a165-70867728950e"]);

        Assert.Equal("6c60eb8a320d53bc5be61237949f0b76fce05572048da748b32291618af9149e", hash);
    }

    [Fact]
    public void An_empty_value_is_not_the_same_as_no_value_nor_a_value_moved_to_another_column()
    {
        var none = Table.Hash(AuditTable.Genesis, ["2026-12-06T03:05:24.123456Z", "a", null, null]);

        Assert.NotEqual(none, Table.Hash(AuditTable.Genesis, ["2026-12-06T03:05:24.123456Z", "a", "", null]));
        Assert.NotEqual(none, Table.Hash(AuditTable.Genesis, ["2026-12-06T03:05:24.123456Z", null, "a", null]));
        Assert.NotEqual(none, Table.Hash(new string('1', 64), ["2026-12-06T03:05:24.123456Z", "a", null, null]));
    }
}
