using MassTransit;
using PopInfo.Contracts.Identity;
using PopInfo.Exchange.Access;
using PopInfo.ServiceDefaults.Outcomes;
using PopInfo.ServiceDefaults.Security;

namespace PopInfo.Exchange.Departments;

/// <summary>
/// A department is one identity: when the identity provider suspends or activates the client <c>dept-{code}</c>,
/// the department here follows — a suspended one gets no more queue or webhook deliveries and loses its broker
/// access, exactly as when the exchange's administrator suspends it (audited, as done by <c>identity:{admin}</c>).
/// </summary>
public sealed class ClientStatusChangedConsumer(DepartmentService departments, DepartmentStore store, ILogger<ClientStatusChangedConsumer> logger)
    : IConsumer<ClientStatusChanged>
{
    public const string QueueName = "popinfo.exchange.client-status";

    public async Task Consume(ConsumeContext<ClientStatusChanged> context)
    {
        var message = context.Message;
        if (PlatformScopes.DepartmentCodeOf(message.ClientId) is not { } code)
        {
            return;
        }

        var wanted = message.Status == "suspended" ? DepartmentStatus.Suspended : DepartmentStatus.Active;
        // A concurrent change by the exchange's administrator moves the version: read again and retry a few times.
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var current = await store.GetAsync(code, context.CancellationToken);
            if (current is null || current.Status == wanted)
            {
                return;
            }

            var outcome = await departments.UpdateAsync(new Caller(true, null, null, $"identity:{message.ChangedBy}"), code,
                new UpdateDepartmentRequest(current.Version, null, null, null, null, wanted), context.CancellationToken);
            if (outcome.Refusal is not { Kind: RefusalKind.VersionConflict })
            {
                logger.LogInformation("Department {Code} {Status} after the identity provider's change of {ClientId}", code, wanted, message.ClientId);
                return;
            }
        }

        throw new InvalidOperationException($"Department {code} kept changing; its status from the identity provider is retried.");
    }
}
