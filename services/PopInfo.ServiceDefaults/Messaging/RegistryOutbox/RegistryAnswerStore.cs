using System.Data.Common;
using PopInfo.Contracts.Registry;

namespace PopInfo.ServiceDefaults.Messaging.RegistryOutbox;

/// <summary>
/// A sending service's side of the registry-command outbox: its name (its database, its answer exchange and queue) and
/// what the registry's answers and the relay's sends change in its own tables (a form's state, an inbound record's).
/// </summary>
public abstract class RegistryAnswerStore
{
    /// <summary>The service: the key of its database, its answer exchange (<c>popinfo.registry.answers.{service}</c>).</summary>
    public abstract string Service { get; }

    /// <summary>The service's durable answer queue.</summary>
    public string AnswerQueue => AnswerQueueOf(Service);

    /// <summary>The durable answer queue of a sending service.</summary>
    public static string AnswerQueueOf(string service) => $"popinfo.{service}.command-answers";

    /// <summary>Records the answer on the service's own row, in the outbox's transaction. A repeated answer changes nothing.</summary>
    public abstract Task RecordAsync(DbConnection connection, DbTransaction transaction, RegistryCommandAnswered answer, CancellationToken ct);

    /// <summary>
    /// Shows "handed to the broker" on the service's rows. Only for people's eyes (the outbox row is what counts): the
    /// relay logs a failure and goes on; the answer sets it anyway.
    /// </summary>
    public virtual Task ShowSentAsync(IReadOnlyList<Guid> commandIds, DateTimeOffset at, CancellationToken ct) => Task.CompletedTask;
}
