using PopInfo.Contracts.Registry;
using PopInfo.Contracts.Registry.Commands;
using PopInfo.Domain.Records;
using PopInfo.Domain.Statistics;
using PopInfo.Registry.Data;
using PopInfo.Registry.Validation;
using PopInfo.ServiceDefaults.Outcomes;
using PopInfo.ServiceDefaults.Problems;

namespace PopInfo.Registry.Commands;

/// <summary>
/// The register's change commands. Each one checks the request's own fields, finds its person, decides
/// the new version from the current one (the decision is the domain's: <see cref="PersonDecisions"/>,
/// <see cref="BirthDecision"/>, <see cref="HouseholdRules"/>), and checks the result against the register's rules
/// — all inside the executor's transaction. Dates of events are the city's calendar dates (<see cref="ChinaTime"/>).
/// </summary>
public sealed class PersonCommands(CommandExecutor executor, PersonRecordValidator recordRules, TimeProvider clock)
{
    /// <summary>
    /// Applies a command of any kind, chosen by its record type (the bus's way in; the REST routes call the commands
    /// below directly). A command on an existing person needs <paramref name="personId"/>.
    /// </summary>
    public Task<Result<CommandAnswer>> ApplyAsync(RegistryCommand command, Guid? personId, CancellationToken ct) => (command, personId) switch
    {
        (RegisterPerson c, _) => RegisterPersonAsync(c, ct),
        (RegisterBirth c, _) => RegisterBirthAsync(c, ct),
        (MoveIn c, _) => MoveInAsync(c, ct),
        (MigrantArrival c, _) => MigrantArrivalAsync(c, ct),
        (RegisterDeath c, { } id) => RegisterDeathAsync(id, c, ct),
        (MoveWithinCity c, { } id) => MoveWithinCityAsync(id, c, ct),
        (MoveOut c, { } id) => MoveOutAsync(id, c, ct),
        (MigrantDeparture c, { } id) => MigrantDepartureAsync(id, c, ct),
        (CorrectDetails c, { } id) => CorrectDetailsAsync(id, c, ct),
        (ChangeHousehold c, { } id) => ChangeHouseholdAsync(id, c, ct),
        (PersonCommand, null) => Task.FromResult<Result<CommandAnswer>>(
            Refusal.Invalid("personId", PersonRules.Required, "The command needs personId or subjectIdNumber.")),
        _ => throw new ArgumentException($"{command.GetType().Name} is not a command on persons.", nameof(command)),
    };

    public Task<Result<CommandAnswer>> RegisterPersonAsync(RegisterPerson r, CancellationToken ct) =>
        Run(r, RequestRules.ForNewPerson(r), () => CommandTarget.NewPerson(Normalise(r.IdNumber)),
            (_, _, _) => Task.FromResult(Finish(NewRecord(r, r.ResidenceType ?? "", r.Migrant), ChangeTypes.Registered, clock.GetUtcNow())), ct);

    public Task<Result<CommandAnswer>> RegisterBirthAsync(RegisterBirth r, CancellationToken ct) =>
        Run(r, RequestRules.ForNewPerson(r), () => CommandTarget.NewPerson(Normalise(r.IdNumber)), async (_, store, token) =>
        {
            var mother = r.MotherId is { } motherId ? (await store.GetByIdAsync(motherId, token))?.Record : null;
            var birth = BirthDecision.Decide(r.MotherId is not null, mother is null ? null : MotherOf(mother), r.BirthDate!.Value, r.MaritalStatus);
            if (birth.Breach is { } breach)
            {
                return Refuse(breach);
            }

            var householdProblem = await CheckHouseholdAsync(store, r.HouseholdId, r.RelationshipToHead, Guid.Empty, token);
            if (householdProblem is not null)
            {
                return householdProblem;
            }

            // A newborn lives with the mother unless told otherwise, and shares her kind of residence.
            var newborn = birth.Change!;
            var addresses = BirthDecision.AddressesOf(
                new(r.ResidenceAddress, r.ResidenceRegionCode, r.RegisteredAddress, r.RegisteredRegionCode),
                mother is null ? null : new(mother.ResidenceAddress, mother.ResidenceRegionCode, mother.RegisteredAddress, mother.RegisteredRegionCode));
            var record = NewRecord(r, newborn.ResidenceType, null) with
            {
                MotherId = r.MotherId,
                ResidenceAddress = addresses.ResidenceAddress,
                ResidenceRegionCode = addresses.ResidenceRegionCode,
                RegisteredAddress = addresses.RegisteredAddress,
                RegisteredRegionCode = addresses.RegisteredRegionCode,
                MaritalStatus = newborn.MaritalStatus,
                Migrant = newborn.TakesMothersMigrantDetails
                    ? mother!.Migrant! with { ArrivalDate = r.BirthDate!.Value, DepartureDate = null }
                    : null,
            };
            return Finish(record, ChangeTypes.Born, AtLocalMidnight(r.BirthDate!.Value));
        }, ct);

    public Task<Result<CommandAnswer>> MoveInAsync(MoveIn r, CancellationToken ct) =>
        Run(r, RequestRules.ForMoveIn(r), () => CommandTarget.ByIdNumber(Normalise(r.IdNumber), r.ExpectedVersion), (current, _, _) =>
            Task.FromResult(Decide(PersonDecisions.MoveIn(StateOf(current)), change => Finish(NewRecord(r, change.ResidenceType, null) with
            {
                PersonId = current?.Record.PersonId ?? Guid.CreateVersion7(),
                Status = change.Status,
                Destination = null,
            }, ChangeTypes.MovedIn, AtLocalMidnight(r.MoveDate!.Value)))), ct);

    public Task<Result<CommandAnswer>> MigrantArrivalAsync(MigrantArrival r, CancellationToken ct) =>
        Run(r, RequestRules.ForMigrantArrival(r), () => CommandTarget.ByIdNumber(Normalise(r.IdNumber), r.ExpectedVersion), (current, _, _) =>
        {
            var ruling = PersonDecisions.MigrantArrival(StateOf(current));
            if (ruling.Breach is { } breach)
            {
                return Task.FromResult(Refuse(breach));
            }

            var migrant = new MigrantDetails
            {
                OriginRegionCode = r.OriginRegionCode ?? "",
                ArrivalDate = r.ArrivalDate!.Value,
                Reason = r.Reason ?? "",
                ExpectedStayMonths = r.ExpectedStayMonths ?? 0,
            };
            var record = NewRecord(r, ruling.Change!.ResidenceType, migrant) with
            {
                PersonId = current?.Record.PersonId ?? Guid.CreateVersion7(),
                Status = ruling.Change.Status,
                RegisteredRegionCode = r.RegisteredRegionCode ?? r.OriginRegionCode,
            };
            return Task.FromResult(Finish(record, ChangeTypes.MigrantArrived, AtLocalMidnight(r.ArrivalDate!.Value)));
        }, ct);

    public Task<Result<CommandAnswer>> RegisterDeathAsync(Guid personId, RegisterDeath r, CancellationToken ct) =>
        Run(r, RequestRules.ForExisting(r, ("deathDate", r.DeathDate is not null)), () => CommandTarget.Existing(personId, r.ExpectedVersion!.Value),
            (current, _, _) => Task.FromResult(Decide(PersonDecisions.Death(StateOf(current!.Record)), change => Finish(
                Apply(current.Record, change) with { DeathDate = r.DeathDate },
                ChangeTypes.Died, AtLocalMidnight(r.DeathDate!.Value)))), ct);

    public Task<Result<CommandAnswer>> MoveWithinCityAsync(Guid personId, MoveWithinCity r, CancellationToken ct) =>
        Run(r,
            RequestRules.ForExisting(r, ("moveDate", r.MoveDate is not null), ("residenceAddress", !string.IsNullOrWhiteSpace(r.ResidenceAddress)), ("residenceRegionCode", !string.IsNullOrWhiteSpace(r.ResidenceRegionCode))),
            () => CommandTarget.Existing(personId, r.ExpectedVersion!.Value), (current, _, _) =>
            {
                var p = current!.Record;
                var ruling = PersonDecisions.MoveWithinCity(StateOf(p), p.RegisteredAddress, p.RegisteredRegionCode,
                    r.MoveRegistration, r.ResidenceAddress, r.ResidenceRegionCode, r.MoveDate!.Value, ChinaTime.Today(clock));
                return Task.FromResult(Decide(ruling, moved => Finish(p with
                {
                    ResidenceAddress = moved.ResidenceAddress,
                    ResidenceRegionCode = moved.ResidenceRegionCode,
                    RegisteredAddress = moved.RegisteredAddress,
                    RegisteredRegionCode = moved.RegisteredRegionCode,
                }, ChangeTypes.MovedWithinCity, AtLocalMidnight(r.MoveDate!.Value))));
            }, ct);

    public Task<Result<CommandAnswer>> MoveOutAsync(Guid personId, MoveOut r, CancellationToken ct) =>
        Run(r, RequestRules.ForExisting(r, ("moveDate", r.MoveDate is not null), ("destination", !string.IsNullOrWhiteSpace(r.Destination))),
            () => CommandTarget.Existing(personId, r.ExpectedVersion!.Value), (current, _, _) =>
            {
                var p = current!.Record;
                return Task.FromResult(Decide(PersonDecisions.MoveOut(StateOf(p), r.MoveDate!.Value, ChinaTime.Today(clock)), change => Finish(
                    Apply(p, change) with { Destination = r.Destination }, ChangeTypes.MovedOut, AtLocalMidnight(r.MoveDate!.Value))));
            }, ct);

    public Task<Result<CommandAnswer>> MigrantDepartureAsync(Guid personId, MigrantDeparture r, CancellationToken ct) =>
        Run(r, RequestRules.ForExisting(r, ("departureDate", r.DepartureDate is not null)),
            () => CommandTarget.Existing(personId, r.ExpectedVersion!.Value), (current, _, _) =>
            {
                var p = current!.Record;
                return Task.FromResult(Decide(PersonDecisions.MigrantDeparture(StateOf(p), r.DepartureDate!.Value, ChinaTime.Today(clock)), change => Finish(
                    Apply(p, change) with { Destination = r.Destination, Migrant = p.Migrant! with { DepartureDate = r.DepartureDate } },
                    ChangeTypes.MigrantDeparted, AtLocalMidnight(r.DepartureDate!.Value))));
            }, ct);

    public Task<Result<CommandAnswer>> CorrectDetailsAsync(Guid personId, CorrectDetails r, CancellationToken ct) =>
        Run(r, RequestRules.ForExisting(r), () => CommandTarget.Existing(personId, r.ExpectedVersion!.Value), (current, _, _) =>
        {
            // The fields a correction may change (CorrectableFields); each one not given stays as it is.
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

    public Task<Result<CommandAnswer>> ChangeHouseholdAsync(Guid personId, ChangeHousehold r, CancellationToken ct) =>
        Run(r, RequestRules.ForExisting(r), () => CommandTarget.Existing(personId, r.ExpectedVersion!.Value), async (current, store, token) =>
        {
            if (PersonDecisions.RequireLiving(StateOf(current!.Record)) is { } notLiving)
            {
                return Refuse(notLiving);
            }

            var problem = await CheckHouseholdAsync(store, r.HouseholdId, r.RelationshipToHead, personId, token);
            if (problem is not null)
            {
                return problem;
            }

            var record = current.Record with
            {
                HouseholdId = r.HouseholdId,
                RelationshipToHead = HouseholdRules.RelationshipAfterChange(r.HouseholdId, r.RelationshipToHead),
            };
            return Finish(record, ChangeTypes.HouseholdChanged, clock.GetUtcNow());
        }, ct);

    private async Task<Result<CommandAnswer>> Run(
        RegistryCommand request, IReadOnlyList<RuleViolation> requestViolations, Func<CommandTarget> target,
        CommandExecutor.Decide decide, CancellationToken ct)
    {
        if (requestViolations.Count > 0)
        {
            return Refusal.Invalid(requestViolations);
        }

        return await executor.ExecuteAsync(request, target(), decide, ct);
    }

    // The register's rules on the version the command would write.
    private Decision Finish(PersonRecord record, string changeType, DateTimeOffset occurredAt)
    {
        var result = recordRules.Validate(record);
        return result.IsValid
            ? Decision.Accept(record, changeType, occurredAt)
            : Decision.Reject(Refusal.Invalid([.. result.Errors.Select(e => new RuleViolation(e.PropertyName, e.ErrorCode, e.ErrorMessage))]));
    }

    private PersonRecord NewRecord(NewPersonCommand r, string residenceType, MigrantDetails? migrant) => new()
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
        Status = PersonStatus.Living,
        HouseholdId = r.HouseholdId,
        RelationshipToHead = r.RelationshipToHead,
    };

    private static async Task<Decision?> CheckHouseholdAsync(PersonStore store, Guid? householdId, string? relationship, Guid personId, CancellationToken ct)
    {
        if (householdId is not { } id)
        {
            return null;
        }

        var exists = await store.HouseholdExistsAsync(id, ct);
        var anotherHead = exists && HouseholdRules.JoinsAsHead(relationship) && await store.HouseholdHeadAsync(id, personId, ct) is not null;
        return HouseholdRules.CheckJoin(exists, anotherHead) is { } breach ? Refuse(breach) : null;
    }

    private static PersonState? StateOf(PersonVersion? current) => current is null ? null : StateOf(current.Record);

    private static PersonState StateOf(PersonRecord p) => new(p.Status, p.ResidenceType, p.BirthDate, p.Migrant?.ArrivalDate);

    private static Mother MotherOf(PersonRecord m) => new(m.Sex, m.BirthDate, m.DeathDate, m.ResidenceType, m.Migrant is not null);

    // A status change on the record: one who leaves the city leaves their home and household in it.
    private static PersonRecord Apply(PersonRecord p, StatusChange change) => change.LeavesHome
        ? p with { Status = change.Status, ResidenceType = change.ResidenceType, ResidenceAddress = null, ResidenceRegionCode = null, HouseholdId = null, RelationshipToHead = null }
        : p with { Status = change.Status, ResidenceType = change.ResidenceType };

    private static Decision Decide<TChange>(Ruling<TChange> ruling, Func<TChange, Decision> accepted)
        where TChange : class =>
        ruling.Breach is { } breach ? Refuse(breach) : accepted(ruling.Change!);

    // A refusal because of the person's current state is a conflict (409); one because of what the command says, a validation problem.
    private static Decision Refuse(RuleBreach breach) =>
        Decision.Reject(breach.StateConflict
            ? Refusal.Conflict(breach.Field, breach.Rule, breach.Message)
            : Refusal.Invalid(breach.Field, breach.Rule, breach.Message));

    // A lower-case check character is accepted and stored upper-case.
    private static string Normalise(string? idNumber) => idNumber?.ToUpperInvariant() ?? "";

    private static DateTimeOffset AtLocalMidnight(DateOnly date) => ChinaTime.StartOf(date).ToUniversalTime();
}
