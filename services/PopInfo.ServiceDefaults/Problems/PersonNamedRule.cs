using PopInfo.Domain.Access;

namespace PopInfo.ServiceDefaults.Problems;

/// <summary>The domain's <see cref="PersonNamed"/> rule as a request's violation: the registry's access log and the sharing service's access report.</summary>
public static class PersonNamedRule
{
    /// <summary>Adds the rule the person's naming breaks, if any, and returns the identity number normalised (null when none was given or it broke a rule).</summary>
    public static string? Check(List<RuleViolation> violations, Guid? personId, string? idNumber)
    {
        var named = PersonNamed.Check(personId, idNumber);
        if (named.Rule is not null)
        {
            violations.Add(new(named.Field!, named.Rule, named.Message!));
        }

        return named.IdNumber;
    }
}
