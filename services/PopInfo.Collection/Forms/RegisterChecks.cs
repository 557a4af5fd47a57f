using PopInfo.Contracts.Registry;
using PopInfo.Domain.Codes;
using PopInfo.Domain.Records;
using PopInfo.ServiceDefaults.Problems;

namespace PopInfo.Collection.Forms;

/// <summary>
/// The form rules that need the register: a death, a move or a departure needs a living person in the
/// register, a departing migrant must be a migrant, a birth's mother must be in the register and the
/// newborn must not be. Checked at submit when the registry answers; when it does not, the form goes
/// out anyway and the registry applies the same rules (the answer may then be a rejection).
/// </summary>
public sealed class RegisterChecks(RegistryClient registry, ILogger<RegisterChecks> logger)
{
    public sealed record Result(IReadOnlyList<RuleViolation> Violations, RegisteredPerson? Subject, bool RegistryAnswered);

    public async Task<Result> CheckAsync(FormType type, IReadOnlyDictionary<string, string> data, Guid? personId, CancellationToken ct)
    {
        var violations = new List<RuleViolation>();
        try
        {
            RegisteredPerson? subject = null;
            if (type.AboutExistingPerson)
            {
                subject = personId is { } id ? await registry.FindByIdAsync(id, ct)
                    : data.TryGetValue("idNumber", out var idNumber) ? await registry.FindByIdNumberAsync(idNumber, ct) : null;
                if (subject is null)
                {
                    violations.Add(new("idNumber", "person.in-register", "No person with this identity number is in the register."));
                }
                else if (subject.Status != PersonStatus.Living && type != FormTypes.Correction)
                {
                    violations.Add(new("idNumber", "person.living", $"The register shows this person as '{subject.Status}', not living."));
                }
                else if (type == FormTypes.MigrantDeparture && subject.ResidenceType != ResidenceTypes.Migrant)
                {
                    violations.Add(new("idNumber", "person.migrant", "The register shows this person as a registered resident, not a migrant."));
                }
            }

            if (type == FormTypes.Birth)
            {
                if (data.TryGetValue("idNumber", out var child) && await registry.FindByIdNumberAsync(child, ct) is not null)
                {
                    violations.Add(new("idNumber", "id-number.unique", "A person with this identity number is already in the register."));
                }

                if (data.TryGetValue("motherIdNumber", out var motherIdNumber))
                {
                    var mother = await registry.FindByIdNumberAsync(motherIdNumber, ct);
                    if (mother is null)
                    {
                        violations.Add(new("motherIdNumber", "mother.in-register", "The mother is not in the register: check the number, or give noMotherReason instead."));
                    }
                    else if (mother.Sex != SexCodes.Female)
                    {
                        violations.Add(new("motherIdNumber", PersonRules.MotherFemale, "The register shows this person as not female."));
                    }
                }
            }

            return new(violations, subject, true);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or Polly.Timeout.TimeoutRejectedException or Polly.CircuitBreaker.BrokenCircuitException)
        {
            // The registry is away: it checks the same rules when the command reaches it.
            logger.LogInformation("Registry not reachable for submit-time checks ({Error}); the form goes out unchecked against the register", ex.GetType().Name);
            return new([], null, false);
        }
    }
}
