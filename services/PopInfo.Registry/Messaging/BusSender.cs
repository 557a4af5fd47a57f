using MassTransit;

namespace PopInfo.Registry.Messaging;

/// <summary>
/// Which service sent a bus message, as the broker vouches for it: the AMQP <c>user_id</c> property, which RabbitMQ
/// refuses unless it is the user of the connection that published (every PopInfo service stamps its own; see
/// BusRegistration). In the embedded host's in-memory bus only this process can publish.
/// </summary>
public static class BusSender
{
    public const string InProcess = "bus:in-process";

    public static string Of(ConsumeContext context) => Of(context.ReceiveContext);

    public static string Of(ReceiveContext received) =>
        received.TryGetPayload<RabbitMqBasicConsumeContext>(out var rabbit)
            ? rabbit.Properties.UserId is { Length: > 0 } user ? "rabbitmq:" + user : "rabbitmq:unvalidated"
            : InProcess;
}
