using PopInfo.Analytics.Engine;
using PopInfo.Analytics.Projection;
using PopInfo.Analytics.Protection;
using PopInfo.Domain.Regions;
using PopInfo.Domain.Statistics;

namespace PopInfo.UnitTests.Analytics;

/// <summary>
/// A small register with a tangled past, drawn from a seed: people with one to five versions — moves, deaths,
/// departures, corrections, some recorded long after they happened, some happening "before" the version they follow.
/// </summary>
public sealed class RandomRegister
{
    public static readonly RegionCatalogue Regions = RegionCatalogue.Wuxi;

    // Communities of three streets in two districts, and one in a third district.
    public static readonly string[] Communities =
    [
        .. Regions.Communities.Where(c => c.ParentCode == Regions.Streets[0].Code).Take(4).Select(c => c.Code),
        .. Regions.Communities.Where(c => c.ParentCode == Regions.Streets[1].Code).Take(3).Select(c => c.Code),
        .. Regions.Communities.Where(c => Regions.DistrictOf(c.Code)!.Code != Regions.DistrictOf(Regions.Streets[0].Code)!.Code).Take(4).Select(c => c.Code),
    ];

    private static readonly string?[] Educations = ["20", "30", "60", "70", "80", null];
    private static readonly string?[] Maritals = ["10", "20", "40", null];
    private static readonly string[] Origins = ["341221", "411522", "510722", "320321"];
    private static readonly string[] Reasons = ["work", "business", "study", "family", "other"];

    public RandomRegister(int seed, int people)
    {
        var random = new Random(seed);
        var households = Enumerable.Range(0, people / 3 + 1).Select(_ => Guid.NewGuid()).ToArray();
        for (var p = 0; p < people; p++)
        {
            var id = new Guid(random.Next(), (short)random.Next(), (short)random.Next(), [.. Enumerable.Range(0, 8).Select(_ => (byte)random.Next(256))]);
            var migrant = random.Next(3) == 0;
            var at = Day(random, new DateOnly(2014, 1, 1), 3000);
            var birth = at.AddDays(-random.Next(0, 38_000));
            var recorded = at.AddDays(random.Next(0, 60));
            var current = new PersonFacts
            {
                Person_Id = id, Version = 1, Change_Type = "registered", Occurred_At = ChinaTime.StartOf(at), Recorded_At = ChinaTime.StartOf(recorded).AddHours(10),
                Status = "living", Residence_Region_Code = Communities[random.Next(Communities.Length)], Sex = random.Next(20) == 0 ? "9" : random.Next(2) == 0 ? "1" : "2",
                Birth_Date = birth, Residence_Type = migrant ? "migrant" : "registered", Education = Educations[random.Next(Educations.Length)],
                Marital_Status = Maritals[random.Next(Maritals.Length)], Ethnicity = random.Next(10) == 0 ? "02" : "01",
                Household_Id = random.Next(8) == 0 ? null : households[random.Next(households.Length)],
                Origin_Region_Code = migrant ? Origins[random.Next(Origins.Length)] : null, Migrant_Reason = migrant ? Reasons[random.Next(Reasons.Length)] : null,
            };
            Versions.Add(current);
            var versions = random.Next(1, 6);
            for (var v = 2; v <= versions && current.Status == "living"; v++)
            {
                // Mostly later; sometimes a change that happened before the version it follows (recorded late).
                var happened = DateOnly.FromDateTime(current.Occurred_At.ToOffset(ChinaTime.Offset).DateTime).AddDays(random.Next(-200, 900));
                recorded = DateOnly.FromDateTime(current.Recorded_At.ToOffset(ChinaTime.Offset).DateTime).AddDays(random.Next(1, 400));
                var change = random.Next(6);
                current = change switch
                {
                    0 => Next(current, v, "moved-within-city", happened, recorded) with { Residence_Region_Code = Communities[random.Next(Communities.Length)] },
                    1 => Next(current, v, "died", happened, recorded) with { Status = "deceased" },
                    2 => Next(current, v, migrant ? "migrant-departed" : "moved-out", happened, recorded) with { Status = "moved-away", Residence_Region_Code = null, Household_Id = null },
                    3 => Next(current, v, "household-changed", happened, recorded) with { Household_Id = households[random.Next(households.Length)] },
                    _ => Next(current, v, "corrected", happened, recorded) with { Education = Educations[random.Next(Educations.Length)], Marital_Status = Maritals[random.Next(Maritals.Length)] },
                };
                Versions.Add(current);
            }
        }
    }

    public List<PersonFacts> Versions { get; } = [];

    public static TableService Service(PopulationIndex index, TimeProvider clock) =>
        new(index, new Disclosure(new CellKeyPerturbation()), new ProjectionWatermark(), clock);

    public static PopulationIndex NewIndex(int dayViews = 3) => new(new Categories(Regions), new RecordKeys(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray()), dayViews);

    private static PersonFacts Next(PersonFacts p, int version, string type, DateOnly happened, DateOnly recorded) => new()
    {
        Person_Id = p.Person_Id, Version = version, Change_Type = type, Occurred_At = ChinaTime.StartOf(happened), Recorded_At = ChinaTime.StartOf(recorded).AddHours(9),
        Status = p.Status, Residence_Region_Code = p.Residence_Region_Code, Sex = p.Sex, Birth_Date = p.Birth_Date, Residence_Type = p.Residence_Type,
        Education = p.Education, Marital_Status = p.Marital_Status, Ethnicity = p.Ethnicity, Household_Id = p.Household_Id,
        Origin_Region_Code = p.Origin_Region_Code, Migrant_Reason = p.Migrant_Reason,
    };

    private static DateOnly Day(Random random, DateOnly from, int days) => from.AddDays(random.Next(days));
}
