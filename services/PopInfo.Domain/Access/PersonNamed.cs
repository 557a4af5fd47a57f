using PopInfo.Domain.Identity;

namespace PopInfo.Domain.Access;

/// <summary>
/// How an auditor's question names the person it is about: by the register's person id or by identity number, exactly
/// one of them, the number valid (then normalised). The same rule for the registry's access log and the sharing
/// service's access report.
/// </summary>
public static class PersonNamed
{
    public const string Required = "required";
    public const string OneOf = "person.one-of";

    /// <summary>The rule broken (field, rule, message; null when none) and the normalised identity number when one was given.</summary>
    public static (string? Field, string? Rule, string? Message, string? IdNumber) Check(Guid? personId, string? idNumber)
    {
        if (personId is null && idNumber is null)
        {
            return ("personId", Required, "Give the person: personId or idNumber.", null);
        }

        if (personId is not null && idNumber is not null)
        {
            return ("idNumber", OneOf, "Give personId or idNumber, not both.", null);
        }

        if (idNumber is null)
        {
            return (null, null, null, null);
        }

        var parsed = IdentityNumber.Parse(idNumber);
        // The domain's message names what is wrong without repeating the number.
        return parsed.IsValid ? (null, null, null, parsed.Normalized) : ("idNumber", parsed.FailedRule, parsed.Message, null);
    }
}
