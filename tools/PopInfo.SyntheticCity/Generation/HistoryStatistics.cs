using PopInfo.Contracts.Registry;

namespace PopInfo.SyntheticCity.Generation;

/// <summary>
/// The history as an analyst would read it: events per calendar year (China time) by when they happened,
/// and the population on each 1 January — for each person the highest version that had occurred by then,
/// counted if living with a residence region.
/// </summary>
internal sealed class HistoryStatistics
{
    public static readonly string[] Events =
    [
        ChangeTypes.Born, ChangeTypes.Died, ChangeTypes.MigrantArrived, ChangeTypes.MigrantDeparted,
        ChangeTypes.MovedWithinCity, ChangeTypes.MovedIn, ChangeTypes.MovedOut,
    ];

    private readonly Dictionary<(int Year, string Type), long> _events = [];
    private readonly Dictionary<(int Year, string Type), long> _registeredEvents = [];
    private readonly (DateTimeOffset Moment, long All, long Registered, long Migrants)[] _population;

    public HistoryStatistics(DateOnly asOf)
    {
        FirstYear = CityHistory.CensusDate.Year;
        LastYear = asOf.Year;
        var days = new List<DateOnly> { CityHistory.CensusDate };
        for (var y = FirstYear + 1; y <= LastYear; y++)
        {
            days.Add(new DateOnly(y, 1, 1));
        }

        _population = [.. days.Where(d => d <= asOf).Select(d => (CityHistory.AtLocalMidnight(d), 0L, 0L, 0L))];
    }

    public int FirstYear { get; }

    public int LastYear { get; }

    /// <summary>People generated in all, of whom living at the reference date, and versions in all.</summary>
    public long People { get; private set; }

    public long Living { get; private set; }

    public long Versions { get; private set; }

    /// <summary>Final state of those no longer there: deceased, migrants departed, registered residents moved out.</summary>
    public long Deceased { get; private set; }

    public long Departed { get; private set; }

    public long MovedOut { get; private set; }

    /// <summary>Versions whose occurred_at is before the person's birth (must be none).</summary>
    public long BeforeBirth { get; private set; }

    public IReadOnlyList<(DateTimeOffset Moment, long All, long Registered, long Migrants)> Population => _population;

    public long Count(int year, string changeType) => _events.GetValueOrDefault((year, changeType));

    public long CountRegistered(int year, string changeType) => _registeredEvents.GetValueOrDefault((year, changeType));

    public void Add(CityUnit unit)
    {
        foreach (var person in unit.People)
        {
            Add(person);
        }
    }

    public void Add(PersonTimeline person)
    {
        People++;
        Versions += person.Versions.Count;
        var current = person.Record;
        switch (current.Status)
        {
            case "living":
                Living++;
                break;
            case "deceased":
                Deceased++;
                break;
            default:
                if (current.ResidenceType == "migrant")
                {
                    Departed++;
                }
                else
                {
                    MovedOut++;
                }

                break;
        }

        var birth = CityHistory.AtLocalMidnight(current.BirthDate);
        foreach (var v in person.Versions)
        {
            if (v.OccurredAt < birth)
            {
                BeforeBirth++;
            }

            var year = v.OccurredAt.ToOffset(TimeSpan.FromHours(8)).Year;
            _events[(year, v.ChangeType)] = _events.GetValueOrDefault((year, v.ChangeType)) + 1;
            if (v.Record.ResidenceType == "registered")
            {
                _registeredEvents[(year, v.ChangeType)] = _registeredEvents.GetValueOrDefault((year, v.ChangeType)) + 1;
            }
        }

        for (var i = 0; i < _population.Length; i++)
        {
            var version = person.AsOf(_population[i].Moment);
            if (version?.Record is { Status: "living", ResidenceRegionCode: not null } r)
            {
                _population[i].All++;
                if (r.ResidenceType == "registered")
                {
                    _population[i].Registered++;
                }
                else
                {
                    _population[i].Migrants++;
                }
            }
        }
    }

    /// <summary>Events of a year per 1,000 of the population on 1 January of that year (the census for 2020, a part year).</summary>
    public double PerMille(int year, string changeType, bool registeredOnly = false)
    {
        var population = PopulationAtStartOf(year);
        var n = registeredOnly ? CountRegistered(year, changeType) : Count(year, changeType);
        var denominator = registeredOnly ? population.Registered : population.All;
        return n * 1000.0 / Math.Max(1, denominator);
    }

    public (DateTimeOffset Moment, long All, long Registered, long Migrants) PopulationAtStartOf(int year) =>
        _population[Math.Clamp(year - FirstYear, 0, _population.Length - 1)];
}
