using System.Text.RegularExpressions;

namespace PopInfo.Contracts.Registry.Commands;

/// <summary>Where registry commands go and where their answers come back (docs/messages.md).</summary>
public static partial class RegistryCommandRoutes
{
    /// <summary>The registry's queue of commands.</summary>
    public const string CommandQueue = ApplyRegistryCommand.QueueName;

    /// <summary>
    /// The fanout exchange senders send commands to, bound to <see cref="CommandQueue"/> (RabbitMQ grants rights per name,
    /// so a sender allowed to write here gets no right on the registry's queue: docs/security.md, "Broker users").
    /// </summary>
    public const string CommandExchange = ApplyRegistryCommand.ExchangeName;

    /// <summary>The prefix of every sender's answer exchange; it lies under the registry's own names, which only it may write.</summary>
    public const string AnswerExchangePrefix = "popinfo.registry.answers.";

    /// <summary>
    /// The fanout exchange the registry sends a sender's answers to, bound to that sender's own durable queue — not
    /// MassTransit's temporary response queues, which a restart loses, and not a fanout every sender reads.
    /// </summary>
    /// <param name="sender">The sender's name: <c>collection</c>, <c>exchange</c> (lower-case letters, digits, hyphens).</param>
    public static string AnswerExchange(string sender) =>
        IsSenderName(sender) ? AnswerExchangePrefix + sender : throw new ArgumentException($"'{sender}' is not a sender's name.", nameof(sender));

    /// <summary>The sender an answer exchange belongs to, or null when <paramref name="exchange"/> is not one.</summary>
    public static string? SenderOf(string exchange) =>
        exchange.StartsWith(AnswerExchangePrefix, StringComparison.Ordinal) && IsSenderName(exchange[AnswerExchangePrefix.Length..])
            ? exchange[AnswerExchangePrefix.Length..]
            : null;

    private static bool IsSenderName(string name) => SenderName().IsMatch(name);

    [GeneratedRegex("^[a-z][a-z0-9-]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex SenderName();
}
