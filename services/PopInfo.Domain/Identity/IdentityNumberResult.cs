using System.Diagnostics.CodeAnalysis;

namespace PopInfo.Domain.Identity;

/// <summary>
/// The outcome of <see cref="IdentityNumber.Parse"/>: either the normalised number and its parts,
/// or the first rule that failed with an English message.
/// </summary>
/// <remarks>
/// The constructor is private so that a result is always one of the two consistent shapes;
/// the nullability attributes let callers use <see cref="Parts"/> after checking <see cref="IsValid"/>.
/// </remarks>
public sealed record IdentityNumberResult
{
    private IdentityNumberResult(bool isValid, string? normalized, IdentityNumberParts? parts, string? failedRule, string? message)
    {
        IsValid = isValid;
        Normalized = normalized;
        Parts = parts;
        FailedRule = failedRule;
        Message = message;
    }

    [MemberNotNullWhen(true, nameof(Normalized), nameof(Parts))]
    [MemberNotNullWhen(false, nameof(FailedRule), nameof(Message))]
    public bool IsValid { get; }

    /// <summary>The number with a lower-case check character 'x' turned into 'X'.</summary>
    public string? Normalized { get; }

    public IdentityNumberParts? Parts { get; }

    /// <summary>One of the <see cref="IdentityNumberRules"/> constants.</summary>
    public string? FailedRule { get; }

    /// <summary>Names what is wrong without repeating the number, so it is safe to show and to log.</summary>
    public string? Message { get; }

    // The compiler-generated record ToString would print Normalized in full; a logged result must not.
    public override string ToString() =>
        IsValid
            ? $"Valid identity number {IdentityNumber.Mask(Normalized)}"
            : $"Invalid identity number ({FailedRule}): {Message}";

    internal static IdentityNumberResult Valid(string normalized, IdentityNumberParts parts) =>
        new(true, normalized, parts, null, null);

    internal static IdentityNumberResult Invalid(string rule, string message) =>
        new(false, null, null, rule, message);
}
