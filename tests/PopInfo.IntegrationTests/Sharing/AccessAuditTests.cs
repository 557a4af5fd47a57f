using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PopInfo.IntegrationTests.Exchange;
using PopInfo.Sharing;
using PopInfo.Sharing.Audit;
using PopInfo.Sharing.Grants;

namespace PopInfo.IntegrationTests.Sharing;

/// <summary>
/// The access audit's group commit: every caller's rows stored exactly once in one valid chain, in fewer commits than
/// callers; a batch whose write fails fails every waiter of it and stores none of its rows (the writer goes on); a caller
/// that stops waiting loses nobody else's rows. The writer is held at a batch (its test seam) to say which rows share one.
/// </summary>
public sealed class AccessAuditTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(SharingDatabase.PostgreSql)]
    [InlineData(SharingDatabase.Sqlite)]
    public async Task Rows_of_many_concurrent_callers_are_all_stored_exactly_once_in_a_valid_chain(string provider)
    {
        await using var database = await SharingDatabase.CreateAsync(provider);
        var table = new AccessAuditStore(database.Database, new QuotaStore(database.Database));
        await using var audit = Start(table);
        var commits = 0;
        audit.BeforeWrite = (_, _) =>
        {
            Interlocked.Increment(ref commits);
            return Task.CompletedTask;
        };

        // 300 requests of 1 to 5 rows and one batch call of 1,000.
        List<IReadOnlyList<AccessAuditEntry>> requests = [.. Enumerable.Range(0, 300).Select(i => Entries(1 + i % 5)), Entries(1000)];
        await Task.WhenAll(requests.Select(r => Task.Run(() => audit.WriteAsync(r, null, CancellationToken.None))));

        var total = requests.Sum(r => r.Count);
        Assert.Equal(1900, total);
        Assert.Equal(total, await database.ScalarAsync("SELECT COUNT(*) FROM access_audit"));
        foreach (var request in requests)
        {
            Assert.Equal(request.Count, (await table.OfRequestAsync(request[0].RequestId, CancellationToken.None)).Count);
        }

        var report = await table.VerifyAsync(CancellationToken.None);
        Assert.True(report.Intact, report.Problem);
        Assert.Equal(total, report.ChainedRows);
        Assert.True(commits < requests.Count, $"{commits} commits for {requests.Count} requests: no rows were grouped");
    }

    [Theory]
    [InlineData(SharingDatabase.PostgreSql)]
    [InlineData(SharingDatabase.Sqlite)]
    public async Task A_batch_whose_write_fails_fails_every_waiter_and_stores_none_of_its_rows(string provider)
    {
        await using var database = await SharingDatabase.CreateAsync(provider);
        // The database itself refuses one row: its whole batch rolls back.
        await database.ExecuteAsync(provider == SharingDatabase.PostgreSql
            ? """
              CREATE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$
              BEGIN
                  IF NEW.case_reference = 'refuse-me' THEN RAISE EXCEPTION 'refused by the test'; END IF;
                  RETURN NEW;
              END $$;
              CREATE TRIGGER refuse_audit BEFORE INSERT ON access_audit FOR EACH ROW EXECUTE FUNCTION refuse_audit();
              """
            : "CREATE TRIGGER refuse_audit BEFORE INSERT ON access_audit WHEN NEW.case_reference = 'refuse-me' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;");
        var table = new AccessAuditStore(database.Database, new QuotaStore(database.Database));
        await using var audit = Start(table);
        var (held, release) = HoldFirstBatch(audit);

        var first = Entries(3);
        var refused = Entries(2, caseReference: "refuse-me");
        var others = new[] { Entries(4), Entries(1) };
        Task firstWrite;
        List<Task> writes;
        try
        {
            firstWrite = audit.WriteAsync(first, null, CancellationToken.None);
            await held.WaitAsync(Patience);

            // These three queue behind the held batch and are written together; one of them holds the refused row.
            writes = [.. new[] { refused, others[0], others[1] }.Select(r => audit.WriteAsync(r, null, CancellationToken.None))];
            await Eventually.TrueAsync(() => Task.FromResult(audit.Queued == 3), Patience, "three requests queued behind the held batch");
        }
        finally
        {
            release();
        }

        await firstWrite;
        foreach (var write in writes)
        {
            var failure = await Assert.ThrowsAsync<AccessAuditUnavailableException>(() => write);
            Assert.NotNull(failure.InnerException);
        }

        Assert.Equal(3, (await table.OfRequestAsync(first[0].RequestId, CancellationToken.None)).Count);
        foreach (var request in new[] { refused, others[0], others[1] })
        {
            Assert.Empty(await table.OfRequestAsync(request[0].RequestId, CancellationToken.None));
        }

        // The writer goes on after a failed batch.
        var later = Entries(2);
        await audit.WriteAsync(later, null, CancellationToken.None).WaitAsync(Patience);
        Assert.Equal(5, await database.ScalarAsync("SELECT COUNT(*) FROM access_audit"));
        var report = await table.VerifyAsync(CancellationToken.None);
        Assert.True(report.Intact, report.Problem);
        Assert.Equal(5, report.ChainedRows);
    }

    [Theory]
    [InlineData(SharingDatabase.PostgreSql)]
    [InlineData(SharingDatabase.Sqlite)]
    public async Task A_caller_that_stops_waiting_loses_nobody_elses_rows(string provider)
    {
        await using var database = await SharingDatabase.CreateAsync(provider);
        var table = new AccessAuditStore(database.Database, new QuotaStore(database.Database));
        await using var audit = Start(table);
        var (held, release) = HoldFirstBatch(audit);

        var first = Entries(2);
        var cancelled = Entries(3);
        var staying = Entries(4);
        using var leaving = new CancellationTokenSource();
        Task firstWrite, stayingWrite;
        try
        {
            firstWrite = audit.WriteAsync(first, null, CancellationToken.None);
            await held.WaitAsync(Patience);

            var cancelledWrite = audit.WriteAsync(cancelled, null, leaving.Token);
            stayingWrite = audit.WriteAsync(staying, null, CancellationToken.None);
            await Eventually.TrueAsync(() => Task.FromResult(audit.Queued == 2), Patience, "two requests queued behind the held batch");
            await leaving.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelledWrite);

            // A caller already cancelled hands nothing over.
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => audit.WriteAsync(Entries(1), null, leaving.Token));
        }
        finally
        {
            release();
        }
        await Task.WhenAll(firstWrite, stayingWrite).WaitAsync(Patience);

        Assert.Equal(2, (await table.OfRequestAsync(first[0].RequestId, CancellationToken.None)).Count);
        Assert.Equal(4, (await table.OfRequestAsync(staying[0].RequestId, CancellationToken.None)).Count);
        // Cancelled before its batch was formed: it answers nothing, so it read nothing, and its rows are left out.
        Assert.Empty(await table.OfRequestAsync(cancelled[0].RequestId, CancellationToken.None));
        Assert.Equal(6, await database.ScalarAsync("SELECT COUNT(*) FROM access_audit"));
        var report = await table.VerifyAsync(CancellationToken.None);
        Assert.True(report.Intact, report.Problem);
    }

    [Theory]
    [InlineData(SharingDatabase.PostgreSql)]
    [InlineData(SharingDatabase.Sqlite)]
    public async Task A_batch_holds_whole_requests_up_to_its_rows_and_a_larger_request_goes_alone(string provider)
    {
        await using var database = await SharingDatabase.CreateAsync(provider);
        var table = new AccessAuditStore(database.Database, new QuotaStore(database.Database));
        await using var audit = Start(table, new SharingOptions { AuditBatchRows = 10 });
        var (held, release) = HoldFirstBatch(audit);
        var batches = new List<int>();
        var hold = audit.BeforeWrite!;
        audit.BeforeWrite = async (rows, ct) =>
        {
            batches.Add(rows.Count);
            await hold(rows, ct);
        };

        var writes = new List<Task>();
        try
        {
            writes.Add(audit.WriteAsync(Entries(1), null, CancellationToken.None));
            await held.WaitAsync(Patience);
            // Queued behind the held batch: 4 + 4 fit in one of 10 rows, the next 4 do not; 12 go alone; 3 + 2 fit.
            foreach (var count in new[] { 4, 4, 4, 12, 3, 2 })
            {
                writes.Add(audit.WriteAsync(Entries(count), null, CancellationToken.None));
            }

            await Eventually.TrueAsync(() => Task.FromResult(audit.Queued == 6), Patience, "six requests queued behind the held batch");
        }
        finally
        {
            release();
        }

        await Task.WhenAll(writes).WaitAsync(Patience);
        Assert.Equal([1, 8, 4, 12, 5], batches);
        Assert.Equal(30, await database.ScalarAsync("SELECT COUNT(*) FROM access_audit"));
        var report = await table.VerifyAsync(CancellationToken.None);
        Assert.True(report.Intact, report.Problem);
    }

    /// <summary>An access audit on the table's database, started, with the departments' counts it writes (made here when not given).</summary>
    internal static AccessAudit Start(AccessAuditStore table, SharingOptions? options = null, DepartmentUsage? usage = null)
    {
        options ??= new SharingOptions();
        var audit = new AccessAudit(table, usage ?? SharingDatabase.Usage(table.Database, TimeProvider.System, options), Options.Create(options), NullLogger<AccessAudit>.Instance);
        audit.StartAsync(CancellationToken.None).GetAwaiter().GetResult();
        return audit;
    }

    /// <summary>Holds the writer inside its first batch's transaction until released; the task completes once it is held.</summary>
    private static (Task Held, Action Release) HoldFirstBatch(AccessAudit audit)
    {
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = 1;
        audit.BeforeWrite = async (_, _) =>
        {
            if (Interlocked.Exchange(ref first, 0) == 1)
            {
                held.SetResult();
                await gate.Task;
            }
        };
        return (held.Task, () => gate.TrySetResult());
    }

    /// <summary>The rows of one request: <paramref name="count"/> persons looked up under one request id.</summary>
    internal static List<AccessAuditEntry> Entries(int count, string caseReference = "CASE-1")
    {
        var request = Guid.NewGuid();
        return [.. Enumerable.Range(0, count).Select(i => new AccessAuditEntry(
            DateTimeOffset.UtcNow, request, "dept-test", "clerk.1", "lookup", "school-enrolment", caseReference, Guid.NewGuid(), ["name"], "match", 42))];
    }
}
