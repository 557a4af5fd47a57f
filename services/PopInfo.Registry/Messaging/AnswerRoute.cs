using MassTransit;
using PopInfo.Contracts.Registry.Commands;
using PopInfo.ServiceDefaults.Messaging;

namespace PopInfo.Registry.Messaging;

/// <summary>
/// Where the answer to a bus command goes: the answer exchange the sender named as the message's response address
/// (<see cref="RegistryCommandRoutes.AnswerExchange"/>), bound to the sender's own durable queue. A platform service's
/// broker user may name only its own (the desk cannot have the exchange's answers); a version-1 command, which named
/// none, is answered where its actor's service listens (<c>desk:</c> → collection, <c>department:</c> → exchange).
/// </summary>
public static class AnswerRoute
{
    public static string? For(Uri? responseAddress, ReceiveContext received, string? actor, ILogger logger)
    {
        var named = responseAddress is { } address ? RegistryCommandRoutes.SenderOf(ExchangeNameOf(address)) : null;
        var service = ServiceOfBrokerUser(BusSender.Of(received));
        if (named is not null && service is not null && named != service && BrokerPermissions.Services.Contains(named))
        {
            logger.LogWarning("The broker user of {Service} named the answer exchange of {Named}; answering {Service}'s own", service, named, service);
            named = service;
        }

        named ??= actor switch
        {
            not null when actor.StartsWith("desk:", StringComparison.Ordinal) => "collection",
            not null when actor.StartsWith("department:", StringComparison.Ordinal) => "exchange",
            _ => null,
        };
        if (named is null)
        {
            logger.LogWarning("A registry command named no answer exchange and no known actor; it was applied but not answered");
            return null;
        }

        return RegistryCommandRoutes.AnswerExchange(named);
    }

    /// <summary>The exchange's name in a short (<c>exchange:name</c>) or a full transport address (<c>rabbitmq://host/vhost/name?…</c>).</summary>
    public static string ExchangeNameOf(Uri address) => address.Scheme == "exchange"
        ? address.OriginalString["exchange:".Length..].Split('?')[0]
        : address.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "";

    // "rabbitmq:popinfo-collection" → "collection"; the shared users of tests and the in-process bus name no service.
    private static string? ServiceOfBrokerUser(string sender) =>
        sender.StartsWith("rabbitmq:popinfo-", StringComparison.Ordinal) && BrokerPermissions.Services.Contains(sender["rabbitmq:popinfo-".Length..])
            ? sender["rabbitmq:popinfo-".Length..]
            : null;
}
