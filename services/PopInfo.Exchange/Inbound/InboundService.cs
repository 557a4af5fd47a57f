using System.Text.Json;
using PopInfo.Contracts;
using PopInfo.Contracts.Registry;
using PopInfo.Exchange.Access;
using PopInfo.Exchange.Departments;
using PopInfo.ServiceDefaults.Data;
using PopInfo.ServiceDefaults.Messaging;
using PopInfo.ServiceDefaults.Messaging.RegistryOutbox;
using PopInfo.ServiceDefaults.Outcomes;
using PopInfo.ServiceDefaults.Problems;

namespace PopInfo.Exchange.Inbound;

/// <summary>
/// Takes in what departments push, over HTTP and AMQP alike: each record is checked against the record
/// rules and the department's rights, recognised in the register (<see cref="PersonMatcher"/>), checked for
/// conflicts (<see cref="InboundConflicts"/>) and stored with its registry command — queued for
/// the registry-command outbox (<see cref="RegistryCommandRelay{TSender}"/>), or held for review. A record is taken whole or not at all; the records taken
/// from one push are stored in one transaction, after every look-up in the register has answered: when the
/// registry does not answer, nothing of the push is stored (503) and the department pushes again. A record
/// id the department used before is answered as a duplicate with the original's id and state.
/// </summary>
public sealed class InboundService(
    InboundStore store,
    DepartmentStore departments,
    InboundRecordReader reader,
    PersonMatcher matcher,
    IHttpClientFactory httpClients,
    RelaySignal<RegistryCommandRelay<InboundAnswerStore>> signal,
    TimeProvider clock,
    ILogger<InboundService> logger)
{
    public const int MaxRecords = 1000;
    public const int RetryAfterSeconds = 30;

    // How long the look-ups of one push may take in all before the push is answered 503.
    private static readonly TimeSpan MatchBudget = TimeSpan.FromSeconds(20);
    private const int MatchParallelism = 4;

    /// <summary>
    /// Takes a push: <c>{"records": [...]}</c>, or (<paramref name="channel"/> AMQP) one record object. The
    /// refusal, when there is one, concerns the whole push and nothing was stored.
    /// </summary>
    public async Task<Result<PushedRecords>> PushAsync(string departmentCode, JsonElement body, string channel, CancellationToken ct)
    {
        var department = await departments.GetAsync(departmentCode, ct);
        if (department is null || department.Status != DepartmentStatus.Active)
        {
            return DepartmentMayNotPush(known: department is not null);
        }

        var elements = Records(body, singleAllowed: channel == InboundChannels.Amqp);
        if (elements.Refusal is { } refused)
        {
            return refused;
        }

        var items = elements.Value!;
        var reads = items.Select(e => reader.Read(e.Element, e.Path, department.InboundKinds)).ToArray();
        var results = new PushedRecord?[reads.Length];
        var firstOf = new Dictionary<string, int>(StringComparer.Ordinal);
        var duplicateOf = new Dictionary<int, int>();
        var taking = new List<int>();
        for (var i = 0; i < reads.Length; i++)
        {
            if (reads[i].Record is not { } record)
            {
                results[i] = new PushedRecord(reads[i].RecordId, null, InboundStates.Refused, Refusal: reads[i].Refusal);
            }
            else if (firstOf.TryGetValue(record.RecordId, out var first))
            {
                duplicateOf[i] = first;
            }
            else
            {
                firstOf[record.RecordId] = i;
                taking.Add(i);
            }
        }

        // Record ids pushed before: answered as duplicates; a refusal stored earlier (AMQP) gives way to the new record.
        var existing = await store.ExistingAsync(departmentCode, [.. reads.Select(r => r.RecordId).OfType<string>().Distinct(StringComparer.Ordinal)], ct);
        foreach (var i in taking.ToList())
        {
            if (existing.TryGetValue(reads[i].Record!.RecordId, out var row) && row.State != InboundStates.Refused)
            {
                results[i] = Duplicate(row);
                taking.Remove(i);
            }
        }

        var matches = new MatchResult[reads.Length];
        if (taking.Count > 0)
        {
            try
            {
                using var budget = CancellationTokenSource.CreateLinkedTokenSource(ct);
                budget.CancelAfter(MatchBudget);
                var registry = new RegistryClient(httpClients.CreateClient(InboundModule.RegistryClientName));
                await Parallel.ForEachAsync(taking, new ParallelOptions { MaxDegreeOfParallelism = MatchParallelism, CancellationToken = budget.Token },
                    async (i, token) => matches[i] = await matcher.MatchAsync(reads[i].Record!, registry, token));
            }
            catch (Exception ex) when (RegistryUnavailable(ex, ct))
            {
                logger.LogWarning("The registry did not answer while matching {Count} records of department {Department} ({Error}); nothing stored",
                    taking.Count, departmentCode, ex.GetType().Name);
                return RegistryUnavailableRefusal();
            }
        }

        var now = clock.GetUtcNow();
        var queued = 0;
        await using (var work = await store.Database.BeginAsync(ct))
        {
            foreach (var i in taking)
            {
                var record = reads[i].Record!;
                var match = matches[i];
                var hold = match.Hold ?? InboundConflicts.Check(record, match.Person);
                // Ids in push order (a millisecond apart), so that the relay sends a push's records in the order they came.
                var id = Guid.CreateVersion7(now.AddMilliseconds(i));
                var command = InboundCommand.Build(id, departmentCode, record, match.Person, now);
                // Serialised once: the record keeps it, and a record not held queues the same text in the outbox.
                var commandJson = JsonSerializer.Serialize(command, command.GetType(), Json.Options);
                var state = hold is null ? InboundStates.Queued : InboundStates.Held;
                var replacesRefusal = existing.ContainsKey(record.RecordId);
                var inserted = await InboundStore.InsertAsync(work, new InboundStore.NewRecord(
                    id, departmentCode, record.RecordId, record.Kind.Code, channel, record.ToPayload().ToJsonString(Json.Options), state,
                    match.Person?.PersonId, match.Match, command.CommandType, commandJson, hold?.Rule, hold?.Field, hold?.Message, Refusal: null, now),
                    replacesRefusal, ct);
                if (!inserted)
                {
                    // Pushed at the same moment by another request: the first one stored it.
                    var other = await InboundStore.GetAsync(work, departmentCode, record.RecordId, ct);
                    results[i] = Duplicate(other!);
                    continue;
                }

                if (state == InboundStates.Queued)
                {
                    await RegistryOutboxStore.EnqueueAsync(work, command, commandJson, now, ct);
                    queued++;
                }

                results[i] = new PushedRecord(record.RecordId, id, state, match.Person?.PersonId, match.Match, hold is null ? null : HoldRefusal(hold));
            }

            if (channel == InboundChannels.Amqp)
            {
                await StoreRefusalsAsync(work, departmentCode, reads, existing, now, ct);
            }

            await work.CommitAsync(ct);
        }

        foreach (var (i, first) in duplicateOf)
        {
            var original = results[first]!;
            results[i] = original.Id is null
                ? new PushedRecord(reads[i].RecordId, null, InboundStates.Refused, Refusal: original.Refusal)
                : new PushedRecord(reads[i].RecordId, original.Id, InboundStates.Duplicate, original.PersonId, original.Match,
                    CurrentState: original.CurrentState ?? original.State);
        }

        if (queued > 0)
        {
            signal.Notify();
        }

        logger.LogInformation("Department {Department} pushed {Count} records over {Channel}: {Outcome}", departmentCode, results.Length, channel,
            string.Join(", ", results.GroupBy(r => r!.State).Select(g => $"{g.Count()} {g.Key}")));
        return new PushedRecords(results!);
    }

    /// <summary>A department's record by its own reference.</summary>
    public async Task<InboundRecordView?> GetAsync(string departmentCode, string recordId, CancellationToken ct) =>
        (await store.GetAsync(departmentCode, recordId, ct))?.ToView();

    /// <summary>Held records, oldest first.</summary>
    public async Task<IReadOnlyList<InboundReview>> ReviewsAsync(string? departmentCode, int limit, CancellationToken ct) =>
        [.. (await store.HeldAsync(departmentCode, limit, ct)).Select(r => r.ToReview())];

    /// <summary>Sends a held record's command as it is (the registry's own rules still apply). Audited.</summary>
    public Task<Result<InboundRecordView>> ApproveAsync(Caller caller, Guid id, CancellationToken ct) =>
        DecideAsync(caller, id, approve: true, reason: null, ct);

    /// <summary>Closes a held record without sending it. Audited, with the reason.</summary>
    public Task<Result<InboundRecordView>> DismissAsync(Caller caller, Guid id, DismissRequest? request, CancellationToken ct)
    {
        var reason = request?.Reason?.Trim();
        if (string.IsNullOrEmpty(reason))
        {
            return Task.FromResult<Result<InboundRecordView>>(Refusal.Invalid("reason", "required", "Say why the record is dismissed."));
        }

        if (TextViolations.Of("reason", reason, multiLine: true) is { } poisoned)
        {
            return Task.FromResult<Result<InboundRecordView>>(Refusal.Invalid([poisoned]));
        }

        return reason.Length > 500
            ? Task.FromResult<Result<InboundRecordView>>(Refusal.Invalid("reason", "text.length", "The reason is at most 500 characters."))
            : DecideAsync(caller, id, approve: false, reason, ct);
    }

    private async Task<Result<InboundRecordView>> DecideAsync(Caller caller, Guid id, bool approve, string? reason, CancellationToken ct)
    {
        await using var work = await store.Database.BeginAsync(ct);
        var before = await InboundStore.LockAsync(work, id, ct);
        if (before is null)
        {
            return Refusal.NotFound($"No inbound record {id}.");
        }

        if (before.State != InboundStates.Held)
        {
            return Refusal.Conflict("id", "inbound.review.held", $"The record is '{before.State}', not held for review.");
        }

        if (approve && (before.Command is null || !InboundCommand.NamesPerson(before.Command, InboundKindCatalogue.Find(before.Kind)!)))
        {
            return Refusal.Conflict("id", "inbound.review.no-person",
                "The record names nobody the register knows (no identity number, and no single person matched): the registry could only refuse it. Dismiss it, and have the department push it again with the identity number.");
        }

        var now = clock.GetUtcNow();
        var changed = await InboundStore.DecideAsync(work, id, approve ? InboundStates.Queued : InboundStates.Dismissed, approve ? "approved" : "dismissed",
            reason, now, caller.Actor, ct);
        if (changed == 0)
        {
            return Refusal.Conflict("id", "inbound.review.held", "The record was decided by someone else meanwhile.");
        }

        if (approve)
        {
            // As stored when it was held: a typed command, or a version-1 message held before the upgrade.
            await RegistryOutboxStore.EnqueueStoredAsync(work, id, before.CommandType!, before.Command!, now, ct);
        }

        var after = await InboundStore.GetByIdAsync(work, id, ct);
        await ExchangeAuditStore.WriteAsync(work, caller, now, approve ? "inbound.approved" : "inbound.dismissed", before.DepartmentCode,
            before: before.AuditSummary(), after: approve ? after.AuditSummary() : new { summary = after.AuditSummary(), reason }, ct: ct);
        await work.CommitAsync(ct);
        if (approve)
        {
            signal.Notify();
        }

        return after.ToView();
    }

    private static Result<List<(JsonElement Element, string Path)>> Records(JsonElement body, bool singleAllowed)
    {
        if (body.ValueKind == JsonValueKind.Object && body.TryGetProperty("records", out var records))
        {
            if (records.ValueKind != JsonValueKind.Array)
            {
                return Refusal.Invalid("records", "json.format", "records is a JSON array of records.");
            }

            var count = records.GetArrayLength();
            if (count == 0)
            {
                return Refusal.Invalid("records", "required", "records holds at least one record.");
            }

            if (count > MaxRecords)
            {
                return Refusal.Invalid("records", "inbound.batch-size", $"At most {MaxRecords} records per push; split the batch.");
            }

            return records.EnumerateArray().Select((r, i) => (r, $"records[{i}]")).ToList();
        }

        if (singleAllowed && body.ValueKind == JsonValueKind.Object)
        {
            return new List<(JsonElement, string)> { (body, "") };
        }

        return Refusal.Invalid("records", "required", """The body is {"records": [ ...records ]}.""");
    }

    // Over AMQP nobody waits for the answer: a refused record is stored as 'refused' with its problem (not its
    // content), so that the department can read why under its record id: the refusal as problem details, mapped as
    // its HTTP answer is (RefusalProblems). An id already taken stays as it is.
    private static async Task StoreRefusalsAsync(UnitOfWork work, string departmentCode, ReadOutcome[] reads,
        Dictionary<string, InboundRow> existing, DateTimeOffset now, CancellationToken ct)
    {
        foreach (var refused in reads.Where(r => r.Record is null && r.RecordId is not null).DistinctBy(r => r.RecordId))
        {
            var kind = refused.Kind is { Length: <= 40 } k && InboundKindCatalogue.Find(k) is not null ? k : "unknown";
            await InboundStore.InsertAsync(work, new InboundStore.NewRecord(
                Guid.CreateVersion7(now), departmentCode, refused.RecordId!, kind, InboundChannels.Amqp, Payload: null, InboundStates.Refused,
                PersonId: null, MatchKind: null, CommandType: null, Command: null, ReasonRule: null, ReasonField: null, Reason: null,
                refused.Refusal!.ToStoredProblemText(), now),
                existing.TryGetValue(refused.RecordId!, out var row) && row.State == InboundStates.Refused, ct);
        }
    }

    private static PushedRecord Duplicate(InboundRow row) =>
        new(row.RecordId, row.Id, InboundStates.Duplicate, row.PersonId, row.MatchKind, CurrentState: row.State);

    /// <summary>The department is unknown (<paramref name="known"/> false) or suspended: none of its push is taken (403 over HTTP).</summary>
    public static Refusal DepartmentMayNotPush(bool known) =>
        Refusal.Forbidden("department.active", known ? "The department is suspended." : "No such department.")
            with { Title = "The department may not push records." };

    /// <summary>Why a record is held, in its answer: a conflict with the register, by field and rule (409 over HTTP).</summary>
    public static Refusal HoldRefusal(HoldReason hold) =>
        Refusal.Conflict(hold.Field, hold.Rule, hold.Message) with { Title = "Held for review: the record conflicts with the register." };

    /// <summary>The registry did not answer the look-ups of a push: nothing stored, push again (503 over HTTP; over AMQP the message goes back to the queue).</summary>
    public static Refusal RegistryUnavailableRefusal() => Refusal.Unavailable("registry.unavailable", "The registry does not answer.",
        $"The records could not be checked against the register. Nothing was stored; push the same records again after {RetryAfterSeconds} s.",
        RetryAfterSeconds);

    private static bool RegistryUnavailable(Exception ex, CancellationToken ct) => ex switch
    {
        HttpRequestException or JsonException or Polly.Timeout.TimeoutRejectedException or Polly.CircuitBreaker.BrokenCircuitException => true,
        OperationCanceledException => !ct.IsCancellationRequested,
        _ => false,
    };
}
