namespace PopInfo.Registry.Commands;

/// <summary>Which person a command acts on, and how it may find them.</summary>
public sealed record CommandTarget(Guid? PersonId, string? IdNumber, int? ExpectedVersion)
{
    /// <summary>A person who must not be in the register yet.</summary>
    public static CommandTarget NewPerson(string idNumber) => new(null, idNumber, null);

    /// <summary>A person who must be in the register at the expected version.</summary>
    public static CommandTarget Existing(Guid personId, int expectedVersion) => new(personId, null, expectedVersion);

    /// <summary>A person found by identity number if present (then at the expected version), created otherwise.</summary>
    public static CommandTarget ByIdNumber(string idNumber, int? expectedVersion) => new(null, idNumber, expectedVersion) { MayExist = true };

    public bool MayExist { get; private init; }
}
