using PopInfo.Contracts.Registry.Commands;
using PopInfo.Registry.Commands;

namespace PopInfo.UnitTests.Registry;

/// <summary>
/// The registry refuses a repeated command id whose request hashes differently. The typed commands (version 2 of the
/// contract) must hash exactly as the request records of version 1 did, or every command stored before the upgrade
/// would be refused when it is redelivered. The JSON below was printed by the version-1 records (commit 2d410b6).
/// </summary>
public sealed class RequestHashTests
{
    private const string Envelope = "\"commandId\":null,\"source\":null,\"actor\":null,\"correlationId\":null}";
    private const string NewPerson = "\"idNumber\":null,\"name\":null,\"sex\":null,\"birthDate\":null,\"ethnicity\":null,\"maritalStatus\":null,\"education\":null,\"occupation\":null,\"phone\":null,\"registeredAddress\":null,\"registeredRegionCode\":null,\"residenceAddress\":null,\"residenceRegionCode\":null,\"householdId\":null,\"relationshipToHead\":null,";

    public static TheoryData<RegistryCommand, string> Version1 => new()
    {
        { new RegisterPerson(), "{\"residenceType\":null,\"migrant\":null," + NewPerson + Envelope },
        { new RegisterBirth(), "{\"motherId\":null," + NewPerson + Envelope },
        { new MoveIn(), "{\"expectedVersion\":null,\"moveDate\":null,\"origin\":null," + NewPerson + Envelope },
        { new MigrantArrival(), "{\"expectedVersion\":null,\"originRegionCode\":null,\"arrivalDate\":null,\"reason\":null,\"expectedStayMonths\":null," + NewPerson + Envelope },
        { new RegisterDeath(), "{\"deathDate\":null,\"expectedVersion\":null," + Envelope },
        { new MoveWithinCity(), "{\"moveDate\":null,\"residenceAddress\":null,\"residenceRegionCode\":null,\"moveRegistration\":false,\"expectedVersion\":null," + Envelope },
        { new MoveOut(), "{\"moveDate\":null,\"destination\":null,\"expectedVersion\":null," + Envelope },
        { new MigrantDeparture(), "{\"departureDate\":null,\"destination\":null,\"expectedVersion\":null," + Envelope },
        { new CorrectDetails(), "{\"idNumber\":null,\"name\":null,\"sex\":null,\"birthDate\":null,\"ethnicity\":null,\"maritalStatus\":null,\"education\":null,\"occupation\":null,\"phone\":null,\"registeredAddress\":null,\"residenceAddress\":null,\"reason\":null,\"expectedVersion\":null," + Envelope },
        { new ChangeHousehold(), "{\"householdId\":null,\"relationshipToHead\":null,\"expectedVersion\":null," + Envelope },
        { new CreateHouseholdRequest(), "{\"number\":null,\"address\":null,\"regionCode\":null," + Envelope },
    };

    [Theory]
    [MemberData(nameof(Version1), DisableDiscoveryEnumeration = true)]
    public void Every_command_hashes_the_fields_of_version_1_in_their_order(RegistryCommand empty, string version1Json) =>
        Assert.Equal(version1Json, RequestHash.Canonical(empty));

    [Fact]
    public void What_the_sender_named_by_number_and_when_it_sent_are_not_hashed_once_resolved()
    {
        var resolved = new RegisterBirth { CommandId = Guid.NewGuid(), MotherId = Guid.NewGuid(), HouseholdId = Guid.NewGuid(), Name = "王小明" };
        var asSent = resolved with
        {
            MotherIdNumber = "320205199003070023", HouseholdNumber = "H-1", SubjectIdNumber = "x", PersonId = Guid.NewGuid(), SentAt = DateTimeOffset.UnixEpoch,
        };

        Assert.Equal(RequestHash.Of(resolved), RequestHash.Of(asSent));
    }

    [Fact]
    public void Any_field_of_the_request_changes_the_hash()
    {
        var first = new RegisterDeath { CommandId = Guid.NewGuid(), ExpectedVersion = 3, DeathDate = new DateOnly(2026, 1, 2) };

        Assert.NotEqual(RequestHash.Of(first), RequestHash.Of(first with { DeathDate = new DateOnly(2026, 1, 3) }));
        Assert.NotEqual(RequestHash.Of(first), RequestHash.Of(first with { ExpectedVersion = 4 }));
        Assert.NotEqual(RequestHash.Of(first), RequestHash.Of(first with { Actor = "desk:320205001001" }));
    }
}
