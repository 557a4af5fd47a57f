using System.Text.Json.Serialization;

namespace PopInfo.Contracts.Registry.Commands;

/// <summary>Correct personal details: only the fields present change (<c>POST /api/v1/persons/{id}/corrections</c>).</summary>
public sealed record CorrectDetails : PersonCommand
{
    /// <inheritdoc />
    [JsonIgnore]
    public override string CommandType => RegistryCommandTypes.CorrectDetails;

    /// <summary>The corrected identity number.</summary>
    public string? IdNumber { get; init; }

    /// <summary>The corrected name.</summary>
    public string? Name { get; init; }

    /// <summary>The corrected sex code.</summary>
    public string? Sex { get; init; }

    /// <summary>The corrected date of birth.</summary>
    public DateOnly? BirthDate { get; init; }

    /// <summary>The corrected ethnicity code.</summary>
    public string? Ethnicity { get; init; }

    /// <summary>The corrected marital status code.</summary>
    public string? MaritalStatus { get; init; }

    /// <summary>The corrected education code.</summary>
    public string? Education { get; init; }

    /// <summary>The corrected occupation.</summary>
    public string? Occupation { get; init; }

    /// <summary>The corrected phone number.</summary>
    public string? Phone { get; init; }

    /// <summary>The corrected registration address.</summary>
    public string? RegisteredAddress { get; init; }

    /// <summary>The corrected home address.</summary>
    public string? ResidenceAddress { get; init; }

    /// <summary>Why: shown in the history.</summary>
    public string? Reason { get; init; }
}
