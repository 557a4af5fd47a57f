using PopInfo.Contracts.Registry;

namespace PopInfo.SyntheticCity.Generation;

/// <summary>One household as the register stores it, with its members' records (head first).</summary>
internal sealed record GeneratedHousehold(Guid Id, string Number, string Address, string RegionCode, bool Collective, PersonRecord[] Members);

/// <summary>What to generate: the same specification gives the same people on every machine.</summary>
/// <param name="Seed">Any 64-bit number; different seeds give different cities.</param>
/// <param name="People">How many people in all; the last household is cut short to hit it exactly.</param>
/// <param name="AsOf">The reference date: ages are counted to it and nothing lies after it.</param>
/// <param name="History">Whether to derive the city's past since the census (see <see cref="CityHistory"/>).</param>
internal sealed record CitySpec(ulong Seed, long People, DateOnly AsOf, bool History = true)
{
    /// <summary>
    /// The default reference date. Fixed rather than "today", so a seed gives the same city next year;
    /// it must not lie in the future, because the register refuses future birth and arrival dates.
    /// </summary>
    public static readonly DateOnly DefaultAsOf = new(2026, 1, 1);
}
