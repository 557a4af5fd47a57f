using System.Text.Json;
using PopInfo.Contracts;
using PopInfo.Contracts.Registry;
using PopInfo.Contracts.Registry.Commands;
using PopInfo.Domain.Records;
using PopInfo.Registry.Data;
using PopInfo.Registry.Relay;
using PopInfo.ServiceDefaults.Data;
using PopInfo.ServiceDefaults.Messaging;
using PopInfo.ServiceDefaults.Outcomes;

namespace PopInfo.Registry.Commands;

/// <summary>
/// Applies one change command in one transaction: idempotency check, optimistic concurrency check,
/// the command's decision, the new version, the superseded version into history, the change-log
/// entry (the outbox) and the stored answer. All of it commits, or none of it. A refusal found by the rules is not stored
/// (the same command meets the same rules again); a refusal by the database itself is (<see cref="StoredAnswers"/>).
/// </summary>
public sealed class CommandExecutor(
    [FromKeyedServices(RegistryModule.Name)] ServiceDatabase database,
    TimeProvider clock,
    RelaySignal<ChangeLogRelay> relaySignal) : IDisposable
{
    internal delegate Task<Decision> Decide(PersonVersion? current, PersonStore store, CancellationToken ct);

    /// <summary>How long a command may wait for its turn before the caller is told to come back (503).</summary>
    public static readonly TimeSpan MaxQueueWait = TimeSpan.FromSeconds(10);

    // Command transactions allowed at once; the rest wait their turn in memory, holding no connection. Every
    // change holds the one change-sequence row lock until it commits, so more at once only queue inside the
    // database (ADR 0001).
    private readonly SemaphoreSlim turns = new(database.Dialect.MaxConcurrentWriters, database.Dialect.MaxConcurrentWriters);

    internal async Task<Result<CommandAnswer>> ExecuteAsync(RegistryCommand request, CommandTarget target, Decide decide, CancellationToken ct)
    {
        var commandId = request.CommandId!.Value;
        var commandType = request.CommandType;
        var requestHash = RequestHash.Of(request);
        if (!await turns.WaitAsync(MaxQueueWait, ct))
        {
            return Refusal.Busy(retryAfterSeconds: 1);
        }

        try
        {
            if (target.PersonId is null && target.ExpectedVersion is null
                && await TryAsNewPersonAsync(request, commandId, requestHash, commandType, decide, ct) is { } created)
            {
                return created;
            }

            return await ExecuteOnceAsync(request, commandId, requestHash, commandType, target, decide, ct);
        }
        catch (Exception ex) when (DatabaseErrors.Describe(ex) is { Kind: DatabaseErrorKind.Refused } refusal)
        {
            // A concurrent twin with the same command id committed first (it may have collided on the
            // person's identity number before reaching the commands table): answer as it was answered.
            var replay = await ReplayAsync(commandId, commandType, requestHash, ct);
            if (replay is not null)
            {
                return replay;
            }

            if (database.Dialect.IsUniqueViolation(ex, out var constraint) && constraint?.Contains("id_number", StringComparison.OrdinalIgnoreCase) == true)
            {
                return DuplicateIdNumber();
            }

            // Anything else the database refuses as data fails the same way on every attempt: it is an answer,
            // not a reason to retry (a bus command would otherwise hold a writer for a quarter of an hour).
            return await StoreRefusalAsync(commandId, commandType, requestHash, RefusedByDatabase(refusal), ct);
        }
        finally
        {
            turns.Release();
        }
    }

    public void Dispose() => turns.Dispose();

    private async Task<Result<CommandAnswer>> ExecuteOnceAsync(
        RegistryCommand request, Guid commandId, string requestHash, string commandType, CommandTarget target, Decide decide, CancellationToken ct)
    {
        await using var work = await database.BeginAsync(ct);
        var store = new PersonStore(work);

        // A twin of this command may have committed after our first look at the commands table (the
        // person it created then makes this one look like a duplicate): look again before refusing.
        async Task<Result<CommandAnswer>> RefuseAsync(Refusal refusal) =>
            await store.GetCommandAsync(commandId, ct) is { } twin ? Replayed(twin, commandType, requestHash) : refusal;

        // The stored answer and the person (locked until commit) in one round trip.
        var (stored, current) = await store.GetCommandAndPersonAsync(commandId, target.PersonId, target.IdNumber, ct);
        if (stored is not null)
        {
            return Replayed(stored, commandType, requestHash);
        }

        if (current is null && target.PersonId is not null)
        {
            return await RefuseAsync(Refusal.NotFound($"No person with id {target.PersonId} is in the register."));
        }

        if (current is not null && target.PersonId is null && !target.MayExist)
        {
            return await RefuseAsync(DuplicateIdNumber());
        }

        if (current is not null && target.ExpectedVersion is null)
        {
            return await RefuseAsync(Refusal.Conflict("expectedVersion", "version.required-for-existing-person",
                $"This person is already in the register at version {current.Version}: read the record and send expectedVersion."));
        }

        if (current is not null && target.ExpectedVersion != current.Version)
        {
            return await RefuseAsync(Refusal.VersionConflict(target.ExpectedVersion!.Value, current.Version));
        }

        var decision = await decide(current, store, ct);
        if (decision is Rejected rejected)
        {
            return await RefuseAsync(rejected.Refusal);
        }

        return await WriteAsync(work, store, request, commandId, requestHash, commandType, current, (Accepted)decision, ct) ?? await RefuseAsync(NothingChanged());
    }

    /// <summary>
    /// A command that may create a person (by identity number, no version expected) is tried first as if its first look had
    /// found neither its stored answer nor the person — what it finds nearly always — which saves that look's round trip: the
    /// decision, then the writes (one round trip), then the commit. The database's unique keys check what the look would
    /// have: a person with the identity number (<c>persons_id_number_unique</c>) and a command seen before (the commands
    /// table's key, written in the same batch, so also when the person it created has since changed its number). Either
    /// rolls the attempt back and answers null, as does a refusal by the rules; the caller then takes the full path
    /// (<see cref="ExecuteOnceAsync"/>), which finds what is there and answers as always.
    /// </summary>
    private async Task<Result<CommandAnswer>?> TryAsNewPersonAsync(
        RegistryCommand request, Guid commandId, string requestHash, string commandType, Decide decide, CancellationToken ct)
    {
        await using var work = await database.BeginAsync(ct);
        var store = new PersonStore(work);
        try
        {
            return await decide(null, store, ct) is Accepted accepted
                ? await WriteAsync(work, store, request, commandId, requestHash, commandType, current: null, accepted, ct)
                : null;
        }
        catch (Exception ex) when (database.Dialect.IsUniqueViolation(ex, out _))
        {
            return null;
        }
    }

    /// <summary>
    /// Writes an accepted decision as the person's next version (after <paramref name="current"/>, if any) with its change
    /// and the command's answer, commits, and wakes the relay. Null when the decision would change nothing.
    /// </summary>
    private async Task<Result<CommandAnswer>?> WriteAsync(
        UnitOfWork work, PersonStore store, RegistryCommand request, Guid commandId, string requestHash, string commandType,
        PersonVersion? current, Accepted accepted, CancellationToken ct)
    {
        var changedFields = FieldDiff.Changed(current?.Record, accepted.Record);
        if (changedFields.Count == 0)
        {
            return null;
        }

        var recordedAt = clock.GetUtcNow();
        var next = new PersonVersion(accepted.Record, (current?.Version ?? 0) + 1, accepted.ChangeType, accepted.OccurredAt, recordedAt);

        // The change-log number is taken last, with the rows that carry it (PersonStore.WriteChangeAsync, one round trip):
        // until then the event and the answer hold its placeholder.
        var change = new PersonChanged
        {
            EventId = Guid.CreateVersion7(recordedAt),
            Sequence = SequencePlaceholder.Value,
            PersonId = next.Record.PersonId,
            IdNumber = next.Record.IdNumber,
            ChangeType = next.ChangeType,
            ChangedFields = changedFields,
            Version = next.Version,
            Person = next.Record,
            PreviousResidenceRegionCode = current?.Record.ResidenceRegionCode,
            OccurredAt = next.OccurredAt,
            RecordedAt = recordedAt,
            Source = string.IsNullOrWhiteSpace(request.Source) ? "api" : request.Source,
            Actor = request.Actor,
            CorrelationId = request.CorrelationId,
            CommandId = commandId,
        };
        var unnumbered = new CommandAnswer(
            JsonSerializer.Serialize(new ChangeResult(change.PersonId, change.Version, SequencePlaceholder.Value, change.ChangeType, change.EventId, recordedAt, next.Record), Json.Options),
            Created: current is null, change.PersonId);
        if (await store.WriteChangeAsync(next, current, change, commandType, requestHash, StoredAnswers.StatusOf(unnumbered), unnumbered.Json, ct) is not { } sequence)
        {
            // The person's row moved under its lock: a defect, not a race. Nothing is committed (the work rolls back when
            // disposed); the caller may read and try again.
            return Refusal.VersionConflict(current?.Version ?? 0, (current?.Version ?? 0) + 1);
        }

        await work.CommitAsync(ct);
        relaySignal.Notify();
        return unnumbered with { Json = SequencePlaceholder.Fill(unnumbered.Json, sequence) };
    }

    /// <summary>
    /// Stores a refusal under the command id, so that a redelivery of the command is answered the same way
    /// without being tried again; a twin that stored its answer first wins.
    /// </summary>
    private async Task<Result<CommandAnswer>> StoreRefusalAsync(Guid commandId, string commandType, string requestHash, Refusal refusal, CancellationToken ct)
    {
        try
        {
            var (status, json) = StoredAnswers.Of(refusal);
            await using var work = await database.BeginAsync(ct);
            await new PersonStore(work).InsertCommandAsync(commandId, commandType, requestHash, status, json, clock.GetUtcNow(), ct);
            await work.CommitAsync(ct);
            return refusal;
        }
        catch (Exception ex) when (database.Dialect.IsUniqueViolation(ex, out _))
        {
            return await ReplayAsync(commandId, commandType, requestHash, ct) ?? refusal;
        }
    }

    /// <summary>
    /// The answer to data the database refused: 400 for a value (SQLSTATE class 22), 409 for a constraint (23).
    /// It names the SQLSTATE and the constraint or column when the database named one, never the database's
    /// message (which may quote the data).
    /// </summary>
    internal static Refusal RefusedByDatabase(DatabaseError error)
    {
        var field = error.Target ?? "body";
        return error.RefusalClass == "22"
            ? Refusal.Invalid(field, PersonRules.DatabaseRefusedValue,
                $"The database refused a value of the command ({error.Code}): nothing was stored, and the same command will be refused again.")
            : Refusal.Conflict(field, PersonRules.DatabaseConstraint,
                $"The command breaks a rule of the database ({error.Code}): nothing was stored, and the same command will be refused again.");
    }

    private async Task<Result<CommandAnswer>?> ReplayAsync(Guid commandId, string commandType, string requestHash, CancellationToken ct)
    {
        await using var work = await database.BeginAsync(ct);
        var stored = await new PersonStore(work).GetCommandAsync(commandId, ct);
        return stored is null ? null : Replayed(stored, commandType, requestHash);
    }

    private static Result<CommandAnswer> Replayed(StoredCommand stored, string commandType, string requestHash) =>
        StoredAnswers.Replay(stored, commandType, requestHash, json => JsonSerializer.Deserialize<ChangeResult>(json, Json.Options)?.PersonId);

    private static Refusal NothingChanged() => Refusal.Invalid("body", "change.nothing-changed", "The command would not change the record.");

    private static Refusal DuplicateIdNumber() =>
        Refusal.Conflict("idNumber", "id-number.unique", "A person with this identity number is already in the register.");
}
