using PopInfo.Exchange.Departments;

namespace PopInfo.Exchange.Brokers;

/// <summary>
/// Once at start, grants every active department's broker user its permissions again, as they are written now: a
/// department made before parking queues existed may then read its parking queue too (the queue itself is declared
/// when the first message is parked). Before that, moves departments' classic queues into quorum queues
/// (<see cref="IBrokerAccounts.MigrateToQuorumAsync"/>). Idempotent; a broker that does not answer is logged and tried at the next start.
/// </summary>
public sealed class BrokerPermissionsRepair(DepartmentStore departments, IBrokerAccounts broker, ILogger<BrokerPermissionsRepair> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            // Queues an older version made classic become quorum queues (docs/broker.md), before anyone is granted anything.
            var all = (await departments.ListAsync(stoppingToken)).Where(d => d.AmqpUser is not null).Select(d => d.Code).ToList();
            var moved = await broker.MigrateToQuorumAsync(all, stoppingToken);
            if (moved > 0)
            {
                logger.LogWarning("Departments' classic queues migrated to quorum queues: {Moved} messages moved", moved);
            }

            var granted = 0;
            foreach (var department in (await departments.ListAsync(stoppingToken)).Where(d => d.AmqpUser is not null && d.Status == DepartmentStatus.Active))
            {
                // Under the department's row lock: a suspension meanwhile withdraws after this grant, never before it.
                if (await departments.WhileActiveAsync(department.Code, () => broker.SetAccessAsync(department.Code, granted: true, stoppingToken), stoppingToken))
                {
                    granted++;
                }
            }

            logger.LogInformation("Broker permissions of {Count} active departments granted as written now", granted);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning("Granting departments' broker permissions at start failed ({Error}); tried again at the next start", ex.GetType().Name);
        }
    }
}
