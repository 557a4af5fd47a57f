using PopInfo.Contracts.Registry;

namespace PopInfo.Registry.Commands;

// The bodies of the registry's change commands. Every command carries a commandId (its idempotency
// key); commands on an existing person carry the version the caller saw. Fields are nullable so that
// a missing one is reported by the validator, naming the field, rather than by the JSON reader.

/// <summary>What every command carries.</summary>
public abstract record CommandRequest
{
    /// <summary>Idempotency key: the same command id twice applies once and answers the same.</summary>
    public Guid? CommandId { get; init; }

    /// <summary>
    /// Who sends it, as the registry established it — never as the body claims: over HTTP <c>client:{client_id}</c>
    /// of the caller's token; over the bus <c>rabbitmq:{user}</c>, the publishing service's broker user that RabbitMQ
    /// validated (<c>bus:in-process</c> in the embedded host).
    /// </summary>
    public string? Source { get; init; }

    /// <summary>
    /// Who acted through the sender, recorded beside the source: the collector or department a service's bus command
    /// names (<c>desk:{community}/{user}</c>, <c>department:{code}</c>), or the person of an HTTP token made for a person.
    /// </summary>
    public string? Actor { get; init; }

    /// <summary>Carried into the published event (a form id, say).</summary>
    public Guid? CorrelationId { get; init; }
}

/// <summary>A command on a person already in the register.</summary>
public abstract record PersonCommandRequest : CommandRequest
{
    /// <summary>The version of the person the caller saw; a stale one is refused with 409.</summary>
    public int? ExpectedVersion { get; init; }
}

/// <summary>The personal details of someone entering the register.</summary>
public abstract record NewPersonRequest : CommandRequest
{
    public string? IdNumber { get; init; }
    public string? Name { get; init; }
    public string? Sex { get; init; }
    public DateOnly? BirthDate { get; init; }
    public string? Ethnicity { get; init; }
    public string? MaritalStatus { get; init; }
    public string? Education { get; init; }
    public string? Occupation { get; init; }
    public string? Phone { get; init; }
    public string? RegisteredAddress { get; init; }
    public string? RegisteredRegionCode { get; init; }
    public string? ResidenceAddress { get; init; }
    public string? ResidenceRegionCode { get; init; }
    public Guid? HouseholdId { get; init; }
    public string? RelationshipToHead { get; init; }
}

/// <summary>POST /api/v1/persons: enter a person living in the city who is not yet in the register.</summary>
public sealed record RegisterPersonRequest : NewPersonRequest
{
    /// <summary>"registered" or "migrant".</summary>
    public string? ResidenceType { get; init; }

    public MigrantDetails? Migrant { get; init; }
}

/// <summary>POST /api/v1/births: a newborn, with the mother and household where known.</summary>
public sealed record RegisterBirthRequest : NewPersonRequest
{
    /// <summary>The mother's person id; the child's residence defaults to hers.</summary>
    public Guid? MotherId { get; init; }
}

/// <summary>POST /api/v1/move-ins: a registered resident moving into the city (户籍迁入), new or returning.</summary>
public sealed record MoveInRequest : NewPersonRequest
{
    /// <summary>Required when the person is already in the register (they had moved away).</summary>
    public int? ExpectedVersion { get; init; }

    public DateOnly? MoveDate { get; init; }

    /// <summary>Where they came from (free text or a county code).</summary>
    public string? Origin { get; init; }
}

/// <summary>POST /api/v1/migrant-arrivals: a migrant arriving, new or returning.</summary>
public sealed record MigrantArrivalRequest : NewPersonRequest
{
    /// <summary>Required when the person is already in the register.</summary>
    public int? ExpectedVersion { get; init; }

    public string? OriginRegionCode { get; init; }
    public DateOnly? ArrivalDate { get; init; }
    public string? Reason { get; init; }
    public int? ExpectedStayMonths { get; init; }
}

public sealed record RegisterDeathRequest : PersonCommandRequest
{
    public DateOnly? DeathDate { get; init; }
}

public sealed record MoveWithinCityRequest : PersonCommandRequest
{
    public DateOnly? MoveDate { get; init; }
    public string? ResidenceAddress { get; init; }
    public string? ResidenceRegionCode { get; init; }

    /// <summary>True when the household registration moves too (registered residents only).</summary>
    public bool MoveRegistration { get; init; }
}

public sealed record MoveOutRequest : PersonCommandRequest
{
    public DateOnly? MoveDate { get; init; }
    public string? Destination { get; init; }
}

public sealed record MigrantDepartureRequest : PersonCommandRequest
{
    public DateOnly? DepartureDate { get; init; }
    public string? Destination { get; init; }
}

/// <summary>Correct personal details: only the fields present change.</summary>
public sealed record CorrectDetailsRequest : PersonCommandRequest
{
    public string? IdNumber { get; init; }
    public string? Name { get; init; }
    public string? Sex { get; init; }
    public DateOnly? BirthDate { get; init; }
    public string? Ethnicity { get; init; }
    public string? MaritalStatus { get; init; }
    public string? Education { get; init; }
    public string? Occupation { get; init; }
    public string? Phone { get; init; }
    public string? RegisteredAddress { get; init; }
    public string? ResidenceAddress { get; init; }

    /// <summary>Why: shown in the history.</summary>
    public string? Reason { get; init; }
}

/// <summary>Join a household, change the relationship to its head, or leave (householdId null).</summary>
public sealed record ChangeHouseholdRequest : PersonCommandRequest
{
    public Guid? HouseholdId { get; init; }
    public string? RelationshipToHead { get; init; }
}

/// <summary>POST /api/v1/households.</summary>
public sealed record CreateHouseholdRequest : CommandRequest
{
    public string? Number { get; init; }
    public string? Address { get; init; }
    public string? RegionCode { get; init; }
}
