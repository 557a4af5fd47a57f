using PopInfo.Contracts.Registry;
using PopInfo.Domain.Codes;
using PopInfo.Registry.Data;
using PopInfo.Registry.Validation;
using PopInfo.ServiceDefaults.Problems;

namespace PopInfo.Registry.Commands;

/// <summary>
/// The register's change commands. Each one checks the request's own fields, finds its person, decides
/// the new version from the current one, and checks the result against the register's rules — all
/// inside the executor's transaction. Dates of events are local (Asia/Shanghai) calendar dates.
/// </summary>
public sealed class PersonCommands(CommandExecutor executor, PersonRecordValidator recordRules, TimeProvider clock)
{
    private static readonly TimeSpan ChinaOffset = TimeSpan.FromHours(8);

    public Task<CommandOutcome> RegisterPersonAsync(RegisterPersonRequest r, CancellationToken ct) =>
        Run(r, "register-person", RequestRules.ForNewPerson(r), () => CommandTarget.NewPerson(Normalise(r.IdNumber)),
            (_, _, _) => Task.FromResult(Finish(NewRecord(r, r.ResidenceType ?? "", r.Migrant), ChangeTypes.Registered, clock.GetUtcNow())), ct);

    public Task<CommandOutcome> RegisterBirthAsync(RegisterBirthRequest r, CancellationToken ct) =>
        Run(r, "register-birth", RequestRules.ForNewPerson(r), () => CommandTarget.NewPerson(Normalise(r.IdNumber)), async (_, store, token) =>
        {
            PersonRecord? mother = null;
            if (r.MotherId is { } motherId)
            {
                mother = (await store.GetByIdAsync(motherId, token))?.Record;
                if (mother is null)
                {
                    return Reject("motherId", "mother.exists", "The mother is not in the register.");
                }

                if (mother.Sex != "2")
                {
                    return Reject("motherId", "mother.female", "The person given as mother is not female.");
                }

                if (r.BirthDate is { } born && (born < mother.BirthDate.AddYears(12) || (mother.DeathDate is { } died && born > died.AddDays(1))))
                {
                    return Reject("motherId", "mother.plausible-age", "The mother was not between 12 years old and alive at the child's birth.");
                }
            }

            var householdProblem = await CheckHouseholdAsync(store, r.HouseholdId, r.RelationshipToHead, Guid.Empty, token);
            if (householdProblem is not null)
            {
                return householdProblem;
            }

            // A newborn lives with the mother unless told otherwise, and shares her kind of residence.
            var residenceType = mother?.ResidenceType ?? "registered";
            var record = NewRecord(r, residenceType, null) with
            {
                MotherId = r.MotherId,
                ResidenceAddress = r.ResidenceAddress ?? mother?.ResidenceAddress,
                ResidenceRegionCode = r.ResidenceRegionCode ?? mother?.ResidenceRegionCode,
                RegisteredAddress = r.RegisteredAddress ?? mother?.RegisteredAddress,
                RegisteredRegionCode = r.RegisteredRegionCode ?? mother?.RegisteredRegionCode,
                MaritalStatus = r.MaritalStatus ?? "10",
                Migrant = residenceType == "migrant" && mother?.Migrant is { } m
                    ? m with { ArrivalDate = r.BirthDate!.Value, DepartureDate = null }
                    : null,
            };
            return Finish(record, ChangeTypes.Born, AtLocalMidnight(r.BirthDate!.Value));
        }, ct);

    public Task<CommandOutcome> MoveInAsync(MoveInRequest r, CancellationToken ct) =>
        Run(r, "move-in", RequestRules.ForMoveIn(r), () => CommandTarget.ByIdNumber(Normalise(r.IdNumber), r.ExpectedVersion), (current, _, _) =>
        {
            if (current is not null && current.Record.Status == "living" && current.Record.ResidenceType == "registered")
            {
                return Task.FromResult(Reject("idNumber", "state.not-already-registered", "This person is already a registered resident living in the city."));
            }

            var record = NewRecord(r, "registered", null) with
            {
                PersonId = current?.Record.PersonId ?? Guid.CreateVersion7(),
                Destination = null,
            };
            return Task.FromResult(Finish(record, ChangeTypes.MovedIn, AtLocalMidnight(r.MoveDate!.Value)));
        }, ct);

    public Task<CommandOutcome> MigrantArrivalAsync(MigrantArrivalRequest r, CancellationToken ct) =>
        Run(r, "migrant-arrival", RequestRules.ForMigrantArrival(r), () => CommandTarget.ByIdNumber(Normalise(r.IdNumber), r.ExpectedVersion), (current, _, _) =>
        {
            if (current is not null && current.Record.Status == "living")
            {
                return Task.FromResult(Reject("idNumber", "state.not-living-in-city",
                    "This person already lives in the city; record a move within the city instead."));
            }

            var migrant = new MigrantDetails
            {
                OriginRegionCode = r.OriginRegionCode ?? "",
                ArrivalDate = r.ArrivalDate!.Value,
                Reason = r.Reason ?? "",
                ExpectedStayMonths = r.ExpectedStayMonths ?? 0,
            };
            var record = NewRecord(r, "migrant", migrant) with
            {
                PersonId = current?.Record.PersonId ?? Guid.CreateVersion7(),
                RegisteredRegionCode = r.RegisteredRegionCode ?? r.OriginRegionCode,
            };
            return Task.FromResult(Finish(record, ChangeTypes.MigrantArrived, AtLocalMidnight(r.ArrivalDate!.Value)));
        }, ct);

    public Task<CommandOutcome> RegisterDeathAsync(Guid personId, RegisterDeathRequest r, CancellationToken ct) =>
        Run(r, "register-death", RequestRules.ForExisting(r, ("deathDate", r.DeathDate is not null)), () => CommandTarget.Existing(personId, r.ExpectedVersion!.Value),
            (current, _, _) => Task.FromResult(RequireLiving(current!) ?? Finish(
                current!.Record with { Status = "deceased", DeathDate = r.DeathDate },
                ChangeTypes.Died, AtLocalMidnight(r.DeathDate!.Value))), ct);

    public Task<CommandOutcome> MoveWithinCityAsync(Guid personId, MoveWithinCityRequest r, CancellationToken ct) =>
        Run(r, "move-within-city",
            RequestRules.ForExisting(r, ("moveDate", r.MoveDate is not null), ("residenceAddress", !string.IsNullOrWhiteSpace(r.ResidenceAddress)), ("residenceRegionCode", !string.IsNullOrWhiteSpace(r.ResidenceRegionCode))),
            () => CommandTarget.Existing(personId, r.ExpectedVersion!.Value), (current, _, _) =>
            {
                var p = current!.Record;
                if (RequireLiving(current) is { } notLiving)
                {
                    return Task.FromResult(notLiving);
                }

                if (r.MoveRegistration && p.ResidenceType != "registered")
                {
                    return Task.FromResult(Reject("moveRegistration", "state.registered-resident", "Only a registered resident's household registration can move."));
                }

                var record = p with
                {
                    ResidenceAddress = r.ResidenceAddress,
                    ResidenceRegionCode = r.ResidenceRegionCode,
                    RegisteredAddress = r.MoveRegistration ? r.ResidenceAddress : p.RegisteredAddress,
                    RegisteredRegionCode = r.MoveRegistration ? r.ResidenceRegionCode : p.RegisteredRegionCode,
                };
                return Task.FromResult(CheckEventDate("moveDate", r.MoveDate!.Value, p) ?? Finish(record, ChangeTypes.MovedWithinCity, AtLocalMidnight(r.MoveDate!.Value)));
            }, ct);

    public Task<CommandOutcome> MoveOutAsync(Guid personId, MoveOutRequest r, CancellationToken ct) =>
        Run(r, "move-out", RequestRules.ForExisting(r, ("moveDate", r.MoveDate is not null), ("destination", !string.IsNullOrWhiteSpace(r.Destination))),
            () => CommandTarget.Existing(personId, r.ExpectedVersion!.Value), (current, _, _) =>
            {
                var p = current!.Record;
                if (RequireLiving(current) is { } notLiving)
                {
                    return Task.FromResult(notLiving);
                }

                if (p.ResidenceType != "registered")
                {
                    return Task.FromResult(Reject("personId", "state.registered-resident", "A migrant leaves with a migrant departure, not a move-out."));
                }

                var record = p with { Status = "moved-away", Destination = r.Destination, ResidenceAddress = null, ResidenceRegionCode = null, HouseholdId = null, RelationshipToHead = null };
                return Task.FromResult(CheckEventDate("moveDate", r.MoveDate!.Value, p) ?? Finish(record, ChangeTypes.MovedOut, AtLocalMidnight(r.MoveDate!.Value)));
            }, ct);

    public Task<CommandOutcome> MigrantDepartureAsync(Guid personId, MigrantDepartureRequest r, CancellationToken ct) =>
        Run(r, "migrant-departure", RequestRules.ForExisting(r, ("departureDate", r.DepartureDate is not null)),
            () => CommandTarget.Existing(personId, r.ExpectedVersion!.Value), (current, _, _) =>
            {
                var p = current!.Record;
                if (RequireLiving(current) is { } notLiving)
                {
                    return Task.FromResult(notLiving);
                }

                if (p.ResidenceType != "migrant" || p.Migrant is null)
                {
                    return Task.FromResult(Reject("personId", "state.migrant", "Only a migrant departs; a registered resident moves out."));
                }

                if (r.DepartureDate < p.Migrant.ArrivalDate)
                {
                    return Task.FromResult(Reject("departureDate", "date.not-before-arrival", "The departure is before the arrival."));
                }

                var record = p with
                {
                    Status = "moved-away",
                    Destination = r.Destination,
                    ResidenceAddress = null,
                    ResidenceRegionCode = null,
                    HouseholdId = null,
                    RelationshipToHead = null,
                    Migrant = p.Migrant with { DepartureDate = r.DepartureDate },
                };
                return Task.FromResult(CheckEventDate("departureDate", r.DepartureDate!.Value, p) ?? Finish(record, ChangeTypes.MigrantDeparted, AtLocalMidnight(r.DepartureDate!.Value)));
            }, ct);

    public Task<CommandOutcome> CorrectDetailsAsync(Guid personId, CorrectDetailsRequest r, CancellationToken ct) =>
        Run(r, "correct-details", RequestRules.ForExisting(r), () => CommandTarget.Existing(personId, r.ExpectedVersion!.Value), (current, _, _) =>
        {
            var p = current!.Record;
            var record = p with
            {
                IdNumber = r.IdNumber is null ? p.IdNumber : Normalise(r.IdNumber),
                Name = r.Name ?? p.Name,
                Sex = r.Sex ?? p.Sex,
                BirthDate = r.BirthDate ?? p.BirthDate,
                Ethnicity = r.Ethnicity ?? p.Ethnicity,
                MaritalStatus = r.MaritalStatus ?? p.MaritalStatus,
                Education = r.Education ?? p.Education,
                Occupation = r.Occupation ?? p.Occupation,
                Phone = r.Phone ?? p.Phone,
                RegisteredAddress = r.RegisteredAddress ?? p.RegisteredAddress,
                ResidenceAddress = r.ResidenceAddress ?? p.ResidenceAddress,
            };
            return Task.FromResult(Finish(record, ChangeTypes.Corrected, clock.GetUtcNow()));
        }, ct);

    public Task<CommandOutcome> ChangeHouseholdAsync(Guid personId, ChangeHouseholdRequest r, CancellationToken ct) =>
        Run(r, "change-household", RequestRules.ForExisting(r), () => CommandTarget.Existing(personId, r.ExpectedVersion!.Value), async (current, store, token) =>
        {
            if (RequireLiving(current!) is { } notLiving)
            {
                return notLiving;
            }

            var problem = await CheckHouseholdAsync(store, r.HouseholdId, r.RelationshipToHead, personId, token);
            if (problem is not null)
            {
                return problem;
            }

            var record = current!.Record with
            {
                HouseholdId = r.HouseholdId,
                RelationshipToHead = r.HouseholdId is null ? null : r.RelationshipToHead,
            };
            return Finish(record, ChangeTypes.HouseholdChanged, clock.GetUtcNow());
        }, ct);

    private async Task<CommandOutcome> Run<TRequest>(
        TRequest request, string commandType, IReadOnlyList<RuleViolation> requestViolations, Func<CommandTarget> target,
        CommandExecutor.Decide decide, CancellationToken ct)
        where TRequest : CommandRequest
    {
        if (requestViolations.Count > 0)
        {
            return CommandOutcome.Refused(Problem.Validation(requestViolations));
        }

        return await executor.ExecuteAsync(request, commandType, target(), decide, ct);
    }

    // The register's rules on the version the command would write.
    private Decision Finish(PersonRecord record, string changeType, DateTimeOffset occurredAt)
    {
        var result = recordRules.Validate(record);
        return result.IsValid
            ? Decision.Accept(record, changeType, occurredAt)
            : Decision.Reject(Problem.Validation([.. result.Errors.Select(e => new RuleViolation(e.PropertyName, e.ErrorCode, e.ErrorMessage))]));
    }

    private PersonRecord NewRecord(NewPersonRequest r, string residenceType, MigrantDetails? migrant) => new()
    {
        PersonId = Guid.CreateVersion7(clock.GetUtcNow()),
        IdNumber = Normalise(r.IdNumber),
        Name = r.Name?.Trim() ?? "",
        Sex = r.Sex ?? "",
        BirthDate = r.BirthDate ?? default,
        Ethnicity = r.Ethnicity ?? "",
        MaritalStatus = r.MaritalStatus,
        Education = r.Education,
        Occupation = r.Occupation,
        Phone = r.Phone,
        RegisteredAddress = r.RegisteredAddress,
        RegisteredRegionCode = r.RegisteredRegionCode,
        ResidenceAddress = r.ResidenceAddress,
        ResidenceRegionCode = r.ResidenceRegionCode,
        ResidenceType = residenceType,
        Migrant = migrant,
        Status = "living",
        HouseholdId = r.HouseholdId,
        RelationshipToHead = r.RelationshipToHead,
    };

    private static async Task<Decision?> CheckHouseholdAsync(PersonStore store, Guid? householdId, string? relationship, Guid personId, CancellationToken ct)
    {
        if (householdId is not { } id)
        {
            return null;
        }

        if (!await store.HouseholdExistsAsync(id, ct))
        {
            return Reject("householdId", "household.exists", "The household is not in the register.");
        }

        if (relationship == FamilyRelationshipCodes.Head && await store.HouseholdHeadAsync(id, personId, ct) is not null)
        {
            return Reject("relationshipToHead", "household.one-head", "The household already has a living head.");
        }

        return null;
    }

    private Decision? CheckEventDate(string field, DateOnly date, PersonRecord person)
    {
        if (date > clock.Today())
        {
            return Reject(field, PersonRules.DateNotInFuture, "The date is in the future.");
        }

        return date < person.BirthDate ? Reject(field, PersonRules.DateNotBeforeBirth, "The date is before the person's birth.") : null;
    }

    private static Decision? RequireLiving(PersonVersion current) =>
        current.Record.Status == "living"
            ? null
            : Decision.Reject(Problem.Conflict("personId", "state.person-living", $"The person's status is '{current.Record.Status}', not 'living'."));

    private static Decision Reject(string field, string rule, string message) =>
        Decision.Reject(Problem.Validation(field, rule, message));

    // A lower-case check character is accepted and stored upper-case.
    private static string Normalise(string? idNumber) => idNumber?.ToUpperInvariant() ?? "";

    private static DateTimeOffset AtLocalMidnight(DateOnly date) =>
        new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), ChinaOffset).ToUniversalTime();
}
