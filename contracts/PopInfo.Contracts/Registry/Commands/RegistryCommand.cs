using System.Text.Json.Serialization;

namespace PopInfo.Contracts.Registry.Commands;

/// <summary>
/// Command message, version 2: one change to the register, one record type per command (<see cref="RegisterBirth"/>,
/// <see cref="MoveOut"/>, …). The REST route of the same command takes the same record as its body, so the bus and
/// HTTP cannot drift apart. Senders send it to <see cref="RegistryCommandRoutes.CommandExchange"/> with MassTransit's
/// <c>ResponseAddress</c> set to their own answer exchange (<see cref="RegistryCommandRoutes.AnswerExchange"/>); the
/// registry answers every command there with a <see cref="RegistryCommandAnswered"/>. Sending the same
/// <see cref="CommandId"/> again applies nothing twice: a repeat is answered exactly as the first time.
/// </summary>
/// <remarks>
/// Namespace and names are part of the contract (MassTransit's message URNs): never move them; evolve by adding
/// optional properties. Fields are nullable so that a missing one is reported by the registry's rules, naming the
/// field, rather than by a JSON reader. Properties are declared in the order the registry hashed requests before
/// version 2 (derived type first), so a repeat of a command stored then still matches.
/// </remarks>
public abstract record RegistryCommand
{
    /// <summary>The command's name, as <see cref="RegistryCommandTypes"/> has it (not sent: the record's type says it).</summary>
    [JsonIgnore]
    public abstract string CommandType { get; }

    /// <summary>Idempotency key: the same command id twice applies once and answers the same.</summary>
    public Guid? CommandId { get; init; }

    /// <summary>
    /// Who sends it, as the registry established it — never as the sender claims: over HTTP <c>client:{client_id}</c>
    /// of the caller's token; over the bus <c>rabbitmq:{user}</c>, the publishing service's broker user that RabbitMQ
    /// validated (<c>bus:in-process</c> in the embedded host). Whatever a sender puts here is overwritten.
    /// </summary>
    public string? Source { get; init; }

    /// <summary>
    /// Who acted through the sender, recorded beside the source: the desk or department a service's bus command
    /// names (<c>desk:{community}</c>, <c>department:{code}</c>), or the person of an HTTP token made for a person.
    /// </summary>
    public string? Actor { get; init; }

    /// <summary>The sender's own reference (a form id, an inbound record id), carried into the answer and the published change.</summary>
    public Guid? CorrelationId { get; init; }

    /// <summary>
    /// Bus only: the person the command is about, for commands on a person already in the register (over HTTP the
    /// route names the person).
    /// </summary>
    public Guid? PersonId { get; init; }

    /// <summary>
    /// Bus only: the person's identity number, when the sender knows no person id (a desk's form, a bureau's record).
    /// Without an <see cref="PersonCommand.ExpectedVersion"/> such a command applies to the current version.
    /// </summary>
    public string? SubjectIdNumber { get; init; }

    /// <summary>Bus only: when the sender sent it.</summary>
    public DateTimeOffset? SentAt { get; init; }
}
