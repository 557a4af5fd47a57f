using PopInfo.Domain.Validation;

namespace PopInfo.Domain.Sharing;

/// <summary>
/// The form of what every sharing request carries besides its question: a case reference (the department's own file
/// number, so that an audit entry leads back to a case) and, when the department passes it, its end user (the clerk who
/// asked). Both are written to the audit trail, so both are checked for form: printable, short, no control characters.
/// </summary>
public static class SharingRequests
{
    public const int MaxCaseReference = 64;
    public const int MaxEndUser = 64;

    /// <summary>The first rule the case reference and end user break, or null.</summary>
    public static GrantViolation? Problem(string? caseReference, string? endUser)
    {
        if (string.IsNullOrWhiteSpace(caseReference) || caseReference.Length > MaxCaseReference || FreeText.FirstOffence(caseReference) is not null)
        {
            return new("caseReference", GrantRules.CaseReference, $"Give the case reference: 1 to {MaxCaseReference} characters of text, no control characters.");
        }

        if (endUser is not null && (endUser.Length is 0 or > MaxEndUser || !endUser.All(IsEndUserCharacter)))
        {
            return new("endUser", GrantRules.EndUser, $"The end user is 1 to {MaxEndUser} characters: letters, digits and . _ @ - (the department's own user name for its clerk).");
        }

        return null;
    }

    private static bool IsEndUserCharacter(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '@' or '-';
}
