using PopInfo.Domain.Monitoring;
using PopInfo.Exchange.Delivery;
using PopInfo.Exchange.Inbound;
using PopInfo.ServiceDefaults.Outcomes;
using PopInfo.ServiceDefaults.Problems;

namespace PopInfo.Exchange.Monitor;

/// <summary>
/// Per department and day, what it supplied and what it received (scope <c>exchange.monitor</c>; docs/exchange.md, "For the
/// monitoring service"). Counts only. The queue's consumed position is the broker's now (<see cref="DeliveryStatusReader"/>).
/// </summary>
public sealed class DepartmentFactsService(DepartmentFactsStore store, DeliveryStatusReader status)
{
    public async Task<Result<DepartmentFactsPage>> ReadAsync(string? from, string? to, CancellationToken ct)
    {
        var violations = FactsRange.Check(from, to, out var first, out var last).Select(v => new RuleViolation(v.Field, v.Rule, v.Message)).ToList();
        if (violations.Count > 0)
        {
            return Refusal.Invalid(violations);
        }

        var (fromText, toText) = (FactsRange.Format(first), FactsRange.Format(last));
        var departments = await store.DepartmentsAsync(ct);
        var supplied = (await store.SuppliedAsync(fromText, toText, ct)).ToLookup(s => (s.Department_Code, s.Day));
        var days = new List<DepartmentDayFacts>();
        foreach (var department in departments)
        {
            long? amqpAcknowledged = department.Amqp_User is null ? null : (await status.ForAsync(department.Code, ct))?.Amqp?.Acknowledged;
            var received = (await store.ReceivedAsync(department.Code, fromText, toText, amqpAcknowledged, ct)).ToDictionary(r => r.Day);
            var dayKeys = supplied.Where(g => g.Key.Department_Code == department.Code).Select(g => g.Key.Day).Union(received.Keys).Order(StringComparer.Ordinal);
            foreach (var day in dayKeys)
            {
                days.Add(Facts(department.Code, day, [.. supplied[(department.Code, day)]], received.GetValueOrDefault(day)));
            }
        }

        return new DepartmentFactsPage(fromText, toText, [.. departments.Select(d => new MonitoredDepartment(d.Code, d.Name))], days);
    }

    private static DepartmentDayFacts Facts(string code, string day, IReadOnlyList<DepartmentFactsStore.SupplyRow> supplied, DepartmentFactsStore.ReceiptRow? received)
    {
        int Of(string state) => (int)supplied.Where(s => s.State == state).Sum(s => s.N);
        var receivedDay = FactsRange.TryParse(day, out var d) ? d : default;
        var dated = supplied.Where(s => FactsRange.TryParse(s.Event_Date, out _)).ToList();
        var onTime = dated.Where(s => FactsRange.TryParse(s.Event_Date, out var e) && Assessment.SuppliedOnTime(e, receivedDay)).Sum(s => s.N);
        return new(code, day,
            (int)supplied.Sum(s => s.N), Of(InboundStates.Applied), Of(InboundStates.Rejected), Of(InboundStates.Refused), Of(InboundStates.Held),
            Of(InboundStates.Dismissed), Of(InboundStates.Queued) + Of(InboundStates.Sent), (int)dated.Sum(s => s.N), (int)onTime,
            (int)(received?.Delivered ?? 0), (int)(received?.Acknowledged ?? 0), (int)(received?.Acknowledged_In_Time ?? 0), (int)(received?.Acknowledged_Untimed ?? 0));
    }
}
