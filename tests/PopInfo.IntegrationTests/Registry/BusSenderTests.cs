using System.Text;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using PopInfo.Testing;

namespace PopInfo.IntegrationTests.Registry;

/// <summary>
/// The registry records a bus command's sender from the AMQP user_id, which it can trust because RabbitMQ refuses a
/// message whose user_id is not the publishing connection's user: a service cannot claim to be another.
/// </summary>
public sealed class BusSenderTests
{
    [Fact]
    public async Task The_broker_refuses_a_message_that_claims_another_user()
    {
        var virtualHost = await TestInfrastructure.CreateVirtualHostAsync();
        try
        {
            var factory = new ConnectionFactory { Uri = virtualHost, AutomaticRecoveryEnabled = false };
            await using var connection = await factory.CreateConnectionAsync();
            var user = Uri.UnescapeDataString(virtualHost.UserInfo.Split(':')[0]);

            await using (var honest = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true)))
            {
                var queue = (await honest.QueueDeclareAsync()).QueueName;
                await honest.BasicPublishAsync("", queue, mandatory: false, new BasicProperties { UserId = user }, Encoding.UTF8.GetBytes("{}"));
                Assert.Equal(1u, await honest.MessageCountAsync(queue));
            }

            await using var forger = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
            var error = await Assert.ThrowsAnyAsync<Exception>(async () =>
                await forger.BasicPublishAsync("", ApplyRegistryQueue, mandatory: false, new BasicProperties { UserId = "popinfo-svc-collection" }, Encoding.UTF8.GetBytes("{}")));
            Assert.True(error is AlreadyClosedException or PublishException or OperationInterruptedException, error.ToString());
            Assert.Contains("user_id", error.ToString(), StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            await TestInfrastructure.DeleteVirtualHostAsync(virtualHost);
        }
    }

    private const string ApplyRegistryQueue = "popinfo.registry.commands";
}
