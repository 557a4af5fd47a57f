namespace PopInfo.Domain.Access;

/// <summary>
/// Whom an auditor's question to the registry or the exchange (a person's access log, a person's deliveries) is asked
/// for. A person's token speaks for that person. A service's token (the sharing service's, which asks on an auditor's
/// behalf) must name the auditor in <c>onBehalfOf</c>: the auditor signed in there, so the audit of the question can
/// only record the name as that service states it — but it records a name, not just "the sharing service".
/// </summary>
public static class AuditorOnBehalf
{
    /// <summary>onBehalfOf is missing from a service's request.</summary>
    public const string Required = "required";

    /// <summary>onBehalfOf is not a user name's form (<see cref="PlatformRoles.IsUserName"/>).</summary>
    public const string Format = "user-name.format";

    /// <summary>A person's token names someone else in onBehalfOf.</summary>
    public const string Self = "on-behalf-of.self";

    /// <summary>
    /// The auditor the question is for, or the rule broken. <paramref name="role"/> is the token's person's role (null
    /// for a service's token), <paramref name="subject"/> its subject.
    /// </summary>
    public static (string? Auditor, string? FailedRule) Check(string? role, string subject, string? onBehalfOf)
    {
        if (role is not null)
        {
            return onBehalfOf is null || onBehalfOf == subject ? (subject, null) : (null, Self);
        }

        if (string.IsNullOrEmpty(onBehalfOf))
        {
            return (null, Required);
        }

        return PlatformRoles.IsUserName(onBehalfOf) ? (onBehalfOf, null) : (null, Format);
    }

    /// <summary>What each rule says, for the problem's message.</summary>
    public static string MessageOf(string rule) => rule switch
    {
        Required => "A service asking for an auditor names the auditor (their user name) in onBehalfOf.",
        Format => "onBehalfOf is a user name: 3–40 ASCII letters, digits, '-', '_' or '.'.",
        Self => "A person's token speaks for that person: leave onBehalfOf out, or name yourself.",
        _ => rule,
    };
}
