using System.Text.Json;

namespace PopInfo.Contracts.Registry;

/// <summary>
/// Command message, version 1: apply one change command to the register, a command name and a JSON body. Superseded by
/// the typed commands of version 2 (<see cref="Commands.RegistryCommand"/>, one record per command); the registry still
/// consumes and answers it — commands waiting in its queue or in a sender's outbox from before the upgrade — and answers
/// it on the answer exchange of the service its <see cref="Source"/> names (<c>desk:</c> the collection, <c>department:</c>
/// the exchange). Sending the same <see cref="CommandId"/> again applies nothing twice.
/// </summary>
/// <remarks>Namespace and name are part of the contract: never move them; evolve by adding optional properties.</remarks>
public sealed record ApplyRegistryCommand
{
    /// <summary>The registry's queue for command messages.</summary>
    public const string QueueName = "popinfo.registry.commands";

    /// <summary>
    /// The fanout exchange senders send commands to, bound to the registry's queue. Not the queue's own name: RabbitMQ
    /// rights are granted per name, exchange and queue alike, so a sender allowed to declare and write to this exchange
    /// gets no right on the queue (docs/security.md, "Broker users").
    /// </summary>
    public const string ExchangeName = "popinfo.registry.command-requests";

    /// <summary>Idempotency key; overrides any <c>commandId</c> inside <see cref="Body"/>.</summary>
    public required Guid CommandId { get; init; }

    /// <summary>One of <see cref="RegistryCommandTypes"/>.</summary>
    public required string CommandType { get; init; }

    /// <summary>The person the command is about, for commands on a person already in the register.</summary>
    public Guid? PersonId { get; init; }

    /// <summary>
    /// Alternatively the person's identity number, when the sender knows no person id (a CSV row, a
    /// bureau's record). Without an <c>expectedVersion</c> in the body such a command applies to the
    /// current version.
    /// </summary>
    public string? SubjectIdNumber { get; init; }

    /// <summary>The command's fields exactly as the REST route of the same command takes them (camelCase JSON).</summary>
    public required JsonElement Body { get; init; }

    /// <summary>Who sends it: <c>desk:{communityCode}</c> or <c>department:{code}</c>.</summary>
    public required string Source { get; init; }

    /// <summary>The sender's own reference (a form id), carried into the answer and the published change.</summary>
    public Guid? CorrelationId { get; init; }

    /// <summary>When the sender sent it.</summary>
    public required DateTimeOffset SentAt { get; init; }
}

/// <summary>The command names of <see cref="ApplyRegistryCommand.CommandType"/>, one per registry command route.</summary>
public static class RegistryCommandTypes
{
    /// <summary>As <c>POST /api/v1/persons</c>.</summary>
    public const string RegisterPerson = "register-person";
    /// <summary>As <c>POST /api/v1/births</c>.</summary>
    public const string RegisterBirth = "register-birth";
    /// <summary>As <c>POST /api/v1/move-ins</c>.</summary>
    public const string MoveIn = "move-in";
    /// <summary>As <c>POST /api/v1/migrant-arrivals</c>.</summary>
    public const string MigrantArrival = "migrant-arrival";
    /// <summary>As <c>POST /api/v1/persons/{id}/death</c>.</summary>
    public const string RegisterDeath = "register-death";
    /// <summary>As <c>POST /api/v1/persons/{id}/move-within-city</c>.</summary>
    public const string MoveWithinCity = "move-within-city";
    /// <summary>As <c>POST /api/v1/persons/{id}/move-out</c>.</summary>
    public const string MoveOut = "move-out";
    /// <summary>As <c>POST /api/v1/persons/{id}/migrant-departure</c>.</summary>
    public const string MigrantDeparture = "migrant-departure";
    /// <summary>As <c>POST /api/v1/persons/{id}/corrections</c>.</summary>
    public const string CorrectDetails = "correct-details";
    /// <summary>As <c>POST /api/v1/persons/{id}/household</c>.</summary>
    public const string ChangeHousehold = "change-household";
}

/// <summary>
/// Answer message, version 1: what the registry did with a command — applied (with the new version and the change-log
/// sequence) or refused (with the RFC 9457 problem, naming the field and the rule). Sent to the sender's own answer
/// exchange (<see cref="Commands.RegistryCommandRoutes.AnswerExchange"/>), bound to its durable queue; a repeat of a
/// command is answered again with the same content.
/// </summary>
public sealed record RegistryCommandAnswered
{
    /// <summary>The fanout exchange every answer was published to before the answers went to each sender's own (no longer written).</summary>
    public const string ExchangeName = "popinfo.registry.command-answered";

    /// <summary>The command answered.</summary>
    public required Guid CommandId { get; init; }

    /// <summary>The sender's reference, as sent.</summary>
    public Guid? CorrelationId { get; init; }

    /// <summary>Who acted through the sender (the command's actor; version 1's source), as sent.</summary>
    public required string Source { get; init; }

    /// <summary>The command's type, as sent.</summary>
    public required string CommandType { get; init; }

    /// <summary>True when the change is in the register (now or by an earlier delivery of the same command).</summary>
    public required bool Applied { get; init; }

    /// <summary>The HTTP status the same command would have had over REST (200/201, or 400/404/409/422).</summary>
    public required int Status { get; init; }

    /// <summary>When applied: the person changed (new or existing).</summary>
    public Guid? PersonId { get; init; }

    /// <summary>When applied: the person's version after the change.</summary>
    public int? Version { get; init; }

    /// <summary>When applied: the change-log sequence of the change.</summary>
    public long? Sequence { get; init; }

    /// <summary>When applied: the id of the published <see cref="PersonChanged"/> event.</summary>
    public Guid? EventId { get; init; }

    /// <summary>When refused: the problem details (type, title, detail, violations with field and rule).</summary>
    public JsonElement? Problem { get; init; }

    /// <summary>When the registry answered (a repeat has its own time).</summary>
    public required DateTimeOffset AnsweredAt { get; init; }
}
