namespace PopInfo.Contracts.Registry;

/// <summary>
/// A person as the register holds them: one version of the record. Codes follow the national code
/// lists named on each property (see docs/registry.md).
/// </summary>
public sealed record PersonRecord
{
    /// <summary>Internal id (UUIDv7).</summary>
    public required Guid PersonId { get; init; }

    /// <summary>Resident identity number, GB 11643-1999, 18 characters, check character upper-case.</summary>
    public required string IdNumber { get; init; }

    /// <summary>Full name.</summary>
    public required string Name { get; init; }

    /// <summary>Sex, GB/T 2261.1-2003: "1" male, "2" female.</summary>
    public required string Sex { get; init; }

    /// <summary>Date of birth.</summary>
    public required DateOnly BirthDate { get; init; }

    /// <summary>Ethnicity, GB 3304-1991 two-digit code ("01" Han).</summary>
    public required string Ethnicity { get; init; }

    /// <summary>Marital status, GB/T 2261.2-2003 ("10" unmarried, "20" married...).</summary>
    public string? MaritalStatus { get; init; }

    /// <summary>Education, GB/T 4658-2006 ("20" bachelor...).</summary>
    public string? Education { get; init; }

    /// <summary>Occupation, free text.</summary>
    public string? Occupation { get; init; }

    /// <summary>Phone number.</summary>
    public string? Phone { get; init; }

    /// <summary>Address of household registration (户籍地址).</summary>
    public string? RegisteredAddress { get; init; }

    /// <summary>Region of household registration: a Wuxi community code for registered residents, the origin county code for migrants.</summary>
    public string? RegisteredRegionCode { get; init; }

    /// <summary>Current residence address.</summary>
    public string? ResidenceAddress { get; init; }

    /// <summary>Region of current residence: a twelve-digit Wuxi community code while the person lives in the city.</summary>
    public string? ResidenceRegionCode { get; init; }

    /// <summary>"registered" (户籍人口) or "migrant" (流动人口).</summary>
    public required string ResidenceType { get; init; }

    /// <summary>Migrant details; present only when <see cref="ResidenceType"/> is "migrant".</summary>
    public MigrantDetails? Migrant { get; init; }

    /// <summary>"living", "deceased" or "moved-away".</summary>
    public required string Status { get; init; }

    /// <summary>Date of death, when <see cref="Status"/> is "deceased".</summary>
    public DateOnly? DeathDate { get; init; }

    /// <summary>Where the person went, when they left the city.</summary>
    public string? Destination { get; init; }

    /// <summary>The household the person belongs to, if any.</summary>
    public Guid? HouseholdId { get; init; }

    /// <summary>Relationship to the head of the household, GB/T 4761-2008 ("02" head, "10" spouse...).</summary>
    public string? RelationshipToHead { get; init; }

    /// <summary>For a newborn registered with a mother: the mother's person id.</summary>
    public Guid? MotherId { get; init; }
}
