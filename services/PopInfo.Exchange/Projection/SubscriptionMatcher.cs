using PopInfo.Contracts.Registry;
using PopInfo.Domain.Regions;
using PopInfo.Exchange.Departments;

namespace PopInfo.Exchange.Projection;

/// <summary>
/// Whether a change falls under a subscription: its type is subscribed, and the person's residence region,
/// registered region or residence region before the change lies within one of the subscription's regions
/// (so a bureau of a district hears that someone moved away from it, or died there).
/// </summary>
public sealed class SubscriptionMatcher(RegionCatalogue regions)
{
    public bool Matches(Subscription subscription, PersonChanged change)
    {
        if (!subscription.ChangeTypes.Contains(change.ChangeType))
        {
            return false;
        }

        return Within(change.Person.ResidenceRegionCode, subscription)
            || Within(change.PreviousResidenceRegionCode, subscription)
            || Within(change.Person.RegisteredRegionCode, subscription);
    }

    private bool Within(string? code, Subscription subscription)
    {
        if (code is null)
        {
            return false;
        }

        foreach (var region in subscription.Regions)
        {
            if (regions.IsWithin(code, region))
            {
                return true;
            }
        }

        return false;
    }
}
