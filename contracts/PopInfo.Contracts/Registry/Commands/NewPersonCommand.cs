namespace PopInfo.Contracts.Registry.Commands;

/// <summary>A command that enters a person into the register (or back into it), with their personal details.</summary>
public abstract record NewPersonCommand : RegistryCommand
{
    /// <summary>The 18-character citizen identity number (GB 11643); a lower-case check character is stored upper-case.</summary>
    public string? IdNumber { get; init; }

    /// <summary>The name as registered.</summary>
    public string? Name { get; init; }

    /// <summary>GB/T 2261.1: 1 male, 2 female.</summary>
    public string? Sex { get; init; }

    /// <summary>The date of birth.</summary>
    public DateOnly? BirthDate { get; init; }

    /// <summary>GB 3304 ethnicity code.</summary>
    public string? Ethnicity { get; init; }

    /// <summary>GB/T 2261.2 marital status code.</summary>
    public string? MaritalStatus { get; init; }

    /// <summary>GB/T 4658 education code.</summary>
    public string? Education { get; init; }

    /// <summary>Occupation, free text or GB/T 6565 code.</summary>
    public string? Occupation { get; init; }

    /// <summary>A contact phone number.</summary>
    public string? Phone { get; init; }

    /// <summary>The household registration's address.</summary>
    public string? RegisteredAddress { get; init; }

    /// <summary>The household registration's region (a community code, or a migrant's home county).</summary>
    public string? RegisteredRegionCode { get; init; }

    /// <summary>Where the person lives.</summary>
    public string? ResidenceAddress { get; init; }

    /// <summary>The community the person lives in.</summary>
    public string? ResidenceRegionCode { get; init; }

    /// <summary>The household the person joins, by id.</summary>
    public Guid? HouseholdId { get; init; }

    /// <summary>Bus only: the household the person joins, by its number, when the sender knows no household id.</summary>
    public string? HouseholdNumber { get; init; }

    /// <summary>The relationship to the household's head (GB/T 4761 code; 02 is the head).</summary>
    public string? RelationshipToHead { get; init; }
}
