using PopInfo.Contracts.Registry.Commands;
using PopInfo.Registry.Data;
using PopInfo.ServiceDefaults.Outcomes;
using PopInfo.ServiceDefaults.Problems;

namespace PopInfo.Registry.Messaging;

/// <summary>
/// Senders that know people and households by their numbers (a desk's form, a bureau's record) name them so on the bus:
/// the subject by identity number, a newborn's mother by hers, a household by its number. This resolves those names
/// to the ids the commands take, once each, before the command runs.
/// </summary>
public sealed class CommandSubjects(PersonReadStore store)
{
    public sealed record Named(RegistryCommand? Command, Guid? PersonId, Refusal? Refusal);

    public async Task<Named> ResolveAsync(RegistryCommand command, CancellationToken ct)
    {
        // The fields looked up before the command runs are checked first: PostgreSQL refuses a NUL even in a query.
        var poisoned = TextViolations.Check(("actor", command.Actor), ("subjectIdNumber", command.SubjectIdNumber),
            ("motherIdNumber", (command as RegisterBirth)?.MotherIdNumber), ("householdNumber", HouseholdNumberOf(command)));
        if (poisoned.Count > 0)
        {
            return new Named(null, null, Refusal.Invalid(poisoned));
        }

        var kind = RegistryCommandCatalogue.Of(command.GetType());
        var personId = command.PersonId;
        if (personId is null && !string.IsNullOrWhiteSpace(command.SubjectIdNumber) && kind.OnExistingPerson)
        {
            var subject = await store.GetByIdNumberAsync(command.SubjectIdNumber, ct);
            if (subject is null && !kind.MayEnterPerson)
            {
                return new Named(null, null,
                    Refusal.NotFound("No person with this identity number is in the register.") with { Field = "subjectIdNumber", Rule = "person.exists" });
            }

            if (subject is not null)
            {
                personId = subject.Record.PersonId;
                // A sender that names the person by identity number alone acts on the current version.
                var implied = await ImpliedVersionAsync(command, subject.Version, ct);
                command = command switch
                {
                    PersonCommand p => p with { ExpectedVersion = p.ExpectedVersion ?? implied },
                    MoveIn m => m with { ExpectedVersion = m.ExpectedVersion ?? implied },
                    MigrantArrival a => a with { ExpectedVersion = a.ExpectedVersion ?? implied },
                    _ => command,
                };
            }
        }

        if (command is RegisterBirth { MotherId: null, MotherIdNumber: { } motherIdNumber } birth)
        {
            if (await store.GetByIdNumberAsync(motherIdNumber, ct) is not { } mother)
            {
                return Refused("motherIdNumber", "mother.in-register", "The mother is not in the register.");
            }

            command = birth with { MotherId = mother.Record.PersonId };
        }

        if (HouseholdNumberOf(command) is { } householdNumber && HouseholdIdOf(command) is null)
        {
            if (await store.HouseholdIdByNumberAsync(householdNumber, ct) is not { } householdId)
            {
                return Refused("householdNumber", "household.exists", "No household with this number is in the register.");
            }

            command = command switch
            {
                NewPersonCommand p => p with { HouseholdId = householdId },
                ChangeHousehold h => h with { HouseholdId = householdId },
                _ => command,
            };
        }

        return new Named(command, personId, null);
    }

    /// <summary>
    /// The version a command that names no version acts on: the current one — unless the command was applied already (a
    /// redelivery after the registry committed but before the broker heard the acknowledgement). Then it is the version
    /// current when it was first applied: the one before the version it wrote, or none when it wrote the person's first.
    /// So the repeat hashes as the first delivery did and gets the first answer again (<see cref="Commands.RequestHash"/>),
    /// not a refusal of its command id as reused for another request.
    /// </summary>
    private async Task<int?> ImpliedVersionAsync(RegistryCommand command, int current, CancellationToken ct)
    {
        if (command.CommandId is not { } commandId || await store.VersionWrittenByAsync(commandId, ct) is not { } written)
        {
            return current;
        }

        return written > 1 ? written - 1 : null;
    }

    private static string? HouseholdNumberOf(RegistryCommand command) => command switch
    {
        NewPersonCommand p => p.HouseholdNumber,
        ChangeHousehold h => h.HouseholdNumber,
        _ => null,
    };

    private static Guid? HouseholdIdOf(RegistryCommand command) => command switch
    {
        NewPersonCommand p => p.HouseholdId,
        ChangeHousehold h => h.HouseholdId,
        _ => null,
    };

    private static Named Refused(string field, string rule, string message) => new(null, null, Refusal.Invalid(field, rule, message));
}
