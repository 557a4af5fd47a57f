using System.Text.Json;
using PopInfo.Contracts;
using PopInfo.Contracts.Registry;
using PopInfo.Domain.Identity;
using PopInfo.Domain.Regions;
using PopInfo.Domain.Statistics;
using PopInfo.Registry.Validation;
using PopInfo.SyntheticCity.Generation;

namespace PopInfo.SyntheticCity.Tests;

public sealed class HistoryTests
{
    private static readonly TimeSpan China = ChinaTime.Offset;

    [Fact]
    public void The_same_seed_gives_the_same_history_and_another_seed_another()
    {
        var first = Fingerprint(Cities.Units(new CitySpec(7, 5_000, Cities.AsOf)));
        var second = Fingerprint(Cities.Units(new CitySpec(7, 5_000, Cities.AsOf)));
        var other = Fingerprint(Cities.Units(new CitySpec(8, 5_000, Cities.AsOf)));

        Assert.True(first.Count > 5_000);
        Assert.Equal(first, second);
        Assert.NotEqual(first.Skip(1).First(), other.Skip(1).First());
    }

    [Fact]
    public void The_living_city_is_the_same_with_and_without_history()
    {
        var spec = new CitySpec(42, 20_000, Cities.AsOf);
        var plain = Cities.Generate(42, 20_000);
        var without = Cities.Units(spec with { History = false });
        var with = Cities.Units(spec);

        Assert.Equal(plain.Count, with.Count);
        Assert.Equal(plain.Count, without.Count);
        for (var i = 0; i < plain.Count; i++)
        {
            var members = plain[i].Members;
            Assert.Equal(Describe(plain[i]), Describe(with[i].Household));
            Assert.Equal(members, with[i].People.Take(members.Length).Select(p => p.Record));
            Assert.Equal(members, without[i].People.Select(p => p.Record));
            Assert.All(without[i].People, p => Assert.Equal(ChangeTypes.Registered, Assert.Single(p.Versions).ChangeType));
        }

        Assert.True(with.Sum(u => u.People.Count) > 20_000);
        Assert.Equal(20_000, with.Sum(u => u.People.Count(p => p.Record.Status == "living")));
    }

    [Fact]
    public void Every_version_passes_the_registry_validator_and_follows_the_one_before()
    {
        var validator = new PersonRecordValidator(TimeProvider.System, RegionCatalogue.Wuxi);
        var asOfMoment = CityHistory.AtLocalMidnight(Cities.AsOf);
        var people = Cities.Units(new CitySpec(2026, 20_000, Cities.AsOf)).SelectMany(u => u.People).ToList();
        var failures = new List<string>();
        var firstTypes = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var person in people)
        {
            var birth = CityHistory.AtLocalMidnight(person.Record.BirthDate);
            var first = person.Versions[0];
            firstTypes[first.ChangeType] = firstTypes.GetValueOrDefault(first.ChangeType) + 1;
            var expectedFirst = first.ChangeType switch
            {
                ChangeTypes.Registered => CityHistory.CensusMoment,
                ChangeTypes.Born => birth,
                ChangeTypes.MigrantArrived => CityHistory.AtLocalMidnight(first.Record.Migrant!.ArrivalDate),
                _ => first.OccurredAt,
            };
            Assert.Equal(expectedFirst, first.OccurredAt);
            // The census is the register's starting state, known at once; anything else is entered after a lag (cut at the reference date).
            Assert.Equal(first.ChangeType == ChangeTypes.Registered, first.RecordedAt == first.OccurredAt && first.OccurredAt < asOfMoment);
            for (var v = 0; v < person.Versions.Count; v++)
            {
                var version = person.Versions[v];
                var result = validator.Validate(version.Record);
                if (!result.IsValid && failures.Count < 5)
                {
                    failures.Add($"{IdentityNumber.Mask(version.Record.IdNumber)} v{v + 1} {version.ChangeType}: " +
                        string.Join("; ", result.Errors.Select(e => $"{e.PropertyName} {e.ErrorCode}")));
                }

                Assert.True(version.OccurredAt >= birth, "no version before birth");
                Assert.True(version.RecordedAt >= version.OccurredAt);
                Assert.True(version.RecordedAt <= asOfMoment);
                Assert.Equal(TimeSpan.Zero, version.OccurredAt.Offset);
                // Events happen at local midnight of their date (the census moment is one too).
                Assert.Equal(TimeSpan.Zero, version.OccurredAt.ToOffset(China).TimeOfDay);
                Assert.Equal(person.Record.PersonId, version.Record.PersonId);
                Assert.Equal(person.Record.IdNumber, version.Record.IdNumber);
                if (v > 0)
                {
                    Assert.True(version.OccurredAt >= person.Versions[v - 1].OccurredAt);
                    Assert.True(version.RecordedAt >= person.Versions[v - 1].RecordedAt);
                    Assert.Equal("living", person.Versions[v - 1].Record.Status);
                    Assert.Contains(version.ChangeType, new[] { ChangeTypes.MovedWithinCity, ChangeTypes.Died, ChangeTypes.MovedOut, ChangeTypes.MigrantDeparted });
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        Assert.Equal(people.Count, people.Select(p => p.Record.PersonId).Distinct().Count());
        Assert.Equal(people.Count, people.Select(p => p.Record.IdNumber).Distinct(StringComparer.Ordinal).Count());
        foreach (var type in new[] { ChangeTypes.Registered, ChangeTypes.Born, ChangeTypes.MigrantArrived, ChangeTypes.MovedIn })
        {
            Assert.True(firstTypes.GetValueOrDefault(type) > 50, $"{type}: {firstTypes.GetValueOrDefault(type)}");
        }

        Assert.Equal(4, firstTypes.Count);
    }

    [Fact]
    public void People_no_longer_there_end_as_the_registrys_commands_leave_them_and_take_no_living_id()
    {
        var units = Cities.HundredThousandWithHistory;
        var living = units.SelectMany(u => u.People.Take(u.Household.Members.Length)).ToList();
        var gone = units.SelectMany(u => u.People.Skip(u.Household.Members.Length)).ToList();
        var lastLivingId = living.Max(p => p.Record.PersonId.ToString());

        Assert.All(living, p => Assert.Equal("living", p.Record.Status));
        Assert.True(gone.Count > 30_000, $"{gone.Count} people no longer there");
        Assert.All(gone, p => Assert.True(string.CompareOrdinal(p.Record.PersonId.ToString(), lastLivingId) > 0));
        foreach (var person in gone)
        {
            var last = person.Current;
            var before = person.Versions[^2].Record;
            Assert.Equal("living", before.Status);
            var date = DateOnly.FromDateTime(last.OccurredAt.ToOffset(China).DateTime);
            switch (last.ChangeType)
            {
                case ChangeTypes.Died:
                    // register-death: status and date of death, nothing else.
                    Assert.Equal(before with { Status = "deceased", DeathDate = date }, last.Record);
                    Assert.NotNull(last.Record.HouseholdId);
                    break;
                case ChangeTypes.MovedOut:
                    Assert.Equal("registered", before.ResidenceType);
                    Assert.NotNull(last.Record.Destination);
                    Assert.Equal(before with
                    {
                        Status = "moved-away", Destination = last.Record.Destination, ResidenceAddress = null, ResidenceRegionCode = null,
                        HouseholdId = null, RelationshipToHead = null,
                    }, last.Record);
                    break;
                case ChangeTypes.MigrantDeparted:
                    Assert.Equal("migrant", before.ResidenceType);
                    Assert.Equal(before with
                    {
                        Status = "moved-away", Destination = last.Record.Destination, ResidenceAddress = null, ResidenceRegionCode = null,
                        HouseholdId = null, RelationshipToHead = null, Migrant = before.Migrant! with { DepartureDate = date },
                    }, last.Record);
                    Assert.True(date > before.Migrant.ArrivalDate);
                    break;
                default:
                    Assert.Fail($"A person no longer there ended with '{last.ChangeType}'.");
                    break;
            }
        }

        var counts = gone.GroupBy(p => p.Current.ChangeType).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        Assert.True(counts[ChangeTypes.Died] > 2_000);
        Assert.True(counts[ChangeTypes.MigrantDeparted] > 20_000);
        Assert.True(counts[ChangeTypes.MovedOut] > 500);

        // Former households: rows of their own, numbered in their community without meeting the living ones.
        var households = units.SelectMany(u => u.Households).ToList();
        Assert.True(households.Count > units.Count);
        Assert.Equal(households.Count, households.Select(h => h.Household.Number).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(households.Count, households.Select(h => h.Household.Id).Distinct().Count());
        var created = households.ToDictionary(h => h.Household.Id, h => h.CreatedAt);
        Assert.All(units.SelectMany(u => u.People), p =>
        {
            if (p.Versions[0].Record.HouseholdId is { } id)
            {
                Assert.True(created[id] <= p.Versions[0].RecordedAt);
            }
        });
    }

    [Fact]
    public void Rates_are_those_of_Wuxi_within_tolerance()
    {
        var stats = new HistoryStatistics(Cities.AsOf);
        foreach (var unit in Cities.HundredThousandWithHistory)
        {
            stats.Add(unit);
        }

        Assert.Equal(0, stats.BeforeBirth);
        for (var year = 2021; year <= 2025; year++)
        {
            Assert.InRange(stats.PerMille(year, ChangeTypes.Died, registeredOnly: true), 6.5, 9.5);
            Assert.InRange(stats.PerMille(year, ChangeTypes.MovedWithinCity), 15, 45);
            Assert.InRange(stats.PerMille(year, ChangeTypes.MovedIn, registeredOnly: true), 8, 17);
            Assert.InRange(stats.PerMille(year, ChangeTypes.MovedOut, registeredOnly: true), 2, 8);
            // All residents: a little under the registered rate, as a migrant child born elsewhere comes as an arrival.
            Assert.InRange(stats.PerMille(year, ChangeTypes.Born), 4.5, 9);
            // Year by year departures follow arrivals roughly (the living city's arrivals thin out in its last years).
            Assert.InRange(stats.Count(year, ChangeTypes.MigrantArrived) / (double)stats.Count(year, ChangeTypes.MigrantDeparted), 0.7, 1.4);
        }

        var years = Enumerable.Range(2020, 7).ToList();
        var allArrivals = years.Sum(y => stats.Count(y, ChangeTypes.MigrantArrived));
        var allDepartures = years.Sum(y => stats.Count(y, ChangeTypes.MigrantDeparted));
        Assert.InRange(allArrivals / (double)allDepartures, 0.9, 1.15);

        // The number of migrants stays about flat: churn, not growth.
        var migrantsThen = stats.PopulationAtStartOf(2021).Migrants;
        var migrantsNow = stats.PopulationAtStartOf(2026).Migrants;
        Assert.InRange(migrantsNow / (double)migrantsThen, 0.9, 1.1);

        // Deaths are mostly of the elderly.
        var dead = Cities.HundredThousandWithHistory.SelectMany(u => u.People).Where(p => p.Record.Status == "deceased").ToList();
        var elderly = dead.Count(p => CityStatistics.AgeOn(p.Record.BirthDate, p.Record.DeathDate!.Value) >= 65);
        Assert.InRange(elderly / (double)dead.Count, 0.72, 0.98);
    }

    [Fact]
    public void Births_are_at_Wuxis_rates_and_under_ones_are_under_one_percent()
    {
        var stats = new HistoryStatistics(Cities.AsOf);
        foreach (var unit in Cities.HundredThousandWithHistory)
        {
            stats.Add(unit);
        }

        // Wuxi 7.75 ‰ of registered residents in 2020 (census bulletin), China's births falling since (≈ 6.3–7.5 ‰).
        var rates = Enumerable.Range(2021, 5).Select(year => stats.PerMille(year, ChangeTypes.Born, registeredOnly: true)).ToList();
        Assert.All(rates, rate => Assert.InRange(rate, 5, 9));
        // Not rising: the last full year is not above the first (a rise of 2 ‰ was the old generator's fault).
        Assert.True(rates[^1] <= rates[0] + 0.5, string.Join(" / ", rates.Select(r => $"{r:F2}")));

        var living = Cities.HundredThousandWithHistory.SelectMany(u => u.People).Where(p => p.Record.Status == "living").ToList();
        Assert.Equal(100_000, living.Count);
        var underOne = living.Count(p => CityStatistics.AgeOn(p.Record.BirthDate, Cities.AsOf) == 0);
        Assert.InRange(underOne, 400, 999);
    }

    [Fact]
    public void The_population_on_a_date_is_the_living_with_a_residence_region_in_their_version_of_that_date()
    {
        var units = Cities.HundredThousandWithHistory;
        var asOf = CityHistory.AtLocalMidnight(Cities.AsOf);
        var census = CityHistory.CensusMoment;

        Assert.Equal(100_000, units.Sum(u => u.People.Count(p => p.LivesHereAt(asOf))));
        var atCensus = units.Sum(u => u.People.Count(p => p.LivesHereAt(census)));
        Assert.InRange(atCensus, 85_000, 98_000);
        // Before the census the register is empty.
        Assert.Equal(0, units.Sum(u => u.People.Count(p => p.AsOf(census.AddSeconds(-1)) is not null)));
    }

    private static List<string> Fingerprint(IEnumerable<CityUnit> units) =>
        [.. units.SelectMany(u => u.Households.Select(h => $"{Describe(h.Household)}|{h.CreatedAt:O}")
            .Concat(u.People.SelectMany(p => p.Versions.Select(v => $"{v.ChangeType}|{v.OccurredAt:O}|{v.RecordedAt:O}|{JsonSerializer.Serialize(v.Record, Json.Options)}"))))];

    private static string Describe(GeneratedHousehold h) =>
        $"{h.Id}|{h.Number}|{h.Address}|{h.RegionCode}|{h.Collective}|" + string.Join(",", h.Members.Select(p => JsonSerializer.Serialize(p, Json.Options)));
}
