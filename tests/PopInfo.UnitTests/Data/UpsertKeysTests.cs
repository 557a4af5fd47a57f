using PopInfo.Analytics.Projection;
using PopInfo.Exchange.Delivery;

namespace PopInfo.UnitTests.Data;

/// <summary>
/// A multi-row upsert never names a key twice (SQL Server's MERGE fails on a repeated key in its source; PostgreSQL's
/// <c>DO UPDATE</c> too): the callers that could be given repeats drop them first. The other multi-row upserts are fed
/// distinct keys already: the projection ledger's sequences (<c>DistinctBy</c> in <c>ProjectionLedgerStore.ApplyAsync</c>)
/// and the sharing service's people (each person's newest version, <c>PeopleStore.UpsertAsync</c>).
/// </summary>
public sealed class UpsertKeysTests
{
    [Fact]
    public void A_person_version_given_twice_is_inserted_once_the_first_given()
    {
        var person = Guid.NewGuid();
        var first = new PersonFacts { Person_Id = person, Version = 2, Sequence = 10 };
        var repeat = new PersonFacts { Person_Id = person, Version = 2, Sequence = 11 };
        var next = new PersonFacts { Person_Id = person, Version = 3, Sequence = 12 };
        var other = new PersonFacts { Person_Id = Guid.NewGuid(), Version = 2, Sequence = 13 };

        var kept = FactStore.OnePerVersion([first, repeat, next, other]).ToList();

        Assert.Equal([first, next, other], kept);
    }

    [Fact]
    public void A_department_given_twice_keeps_its_furthest_cursor()
    {
        var kept = DeliveryStore.OnePerDepartment([("police", 5), ("health", 7), ("police", 9), ("police", 8)]);

        Assert.Equal([("police", 9L), ("health", 7L)], kept);
    }
}
