using System.Globalization;
using System.Text.Json;
using PopInfo.Contracts;
using PopInfo.Contracts.Registry;
using PopInfo.Domain.Quality;
using PopInfo.Domain.Records;
using PopInfo.Domain.Statistics;

namespace PopInfo.Registry.Quality;

/// <summary>
/// One thing a rule flags: a person (and, for a household without a head, the household). <see cref="Region"/> is the
/// community it counts in: where the person lives, or where the household is registered.
/// </summary>
public sealed record QualityFinding(string Rule, string Region, PersonRecord Person, string Field, string Detail, Guid? HouseholdId = null);

/// <summary>The five rules of docs/data-quality.md applied to what <see cref="QualityStore"/> read, with the domain's definitions.</summary>
public static class QualityFindings
{
    public static IReadOnlyList<QualityFinding> Of(IReadOnlyList<QualityPersonRow> living, IReadOnlyList<QualityMemberRow> members, DateOnly today)
    {
        var findings = new List<QualityFinding>();
        var persons = living.Select(r => (r.Region, Person: Parse(r.Record))).ToList();
        foreach (var (region, p) in persons)
        {
            var missing = QualityRules.MissingFields(p.BirthDate, today, p.ResidenceType == ResidenceTypes.Registered, f => Field(p, f));
            if (missing.Count > 0)
            {
                findings.Add(new(QualityRules.MissingExpected, region, p, string.Join(',', missing), "missing: " + string.Join(", ", missing)));
            }

            if (QualityRules.IsImplausibleAge(p.BirthDate, today))
            {
                findings.Add(new(QualityRules.ImplausibleAge, region, p, "birthDate",
                    string.Create(CultureInfo.InvariantCulture, $"age {Ages.On(p.BirthDate, today)} on {today:yyyy-MM-dd}")));
            }

            if (p.ResidenceType == ResidenceTypes.Migrant && p.Migrant is { } m && QualityRules.IsOverstay(m.ArrivalDate, m.ExpectedStayMonths, m.DepartureDate, today))
            {
                findings.Add(new(QualityRules.MigrantOverstay, region, p, "migrant.expectedStayMonths",
                    string.Create(CultureInfo.InvariantCulture, $"arrived {m.ArrivalDate:yyyy-MM-dd} for {m.ExpectedStayMonths} months: the stay ended {QualityRules.ExpectedStayEnd(m.ArrivalDate, m.ExpectedStayMonths):yyyy-MM-dd}")));
            }
        }

        foreach (var group in persons.GroupBy(x => (x.Region, QualityRules.DuplicateKey(x.Person.Name, x.Person.BirthDate, x.Person.Sex))).Where(g => g.Count() > 1))
        {
            findings.AddRange(group.Select(x => new QualityFinding(QualityRules.DuplicateSuspect, x.Region, x.Person, "name,birthDate,sex",
                string.Create(CultureInfo.InvariantCulture, $"{group.Count()} living persons of the community share name, birth date and sex"))));
        }

        foreach (var household in members.GroupBy(m => m.Household_Id))
        {
            var people = household.Select(m => Parse(m.Record)).ToList();
            if (!people.Any(p => QualityRules.IsHead(p.RelationshipToHead)))
            {
                var first = household.First();
                findings.AddRange(people.Select(p => new QualityFinding(QualityRules.HouseholdWithoutHead, first.Region, p, "relationshipToHead",
                    $"household {first.Number} has no living head", household.Key)));
            }
        }

        return findings;
    }

    /// <summary>How many a rule counts: households for a household without a head, else persons.</summary>
    public static int Count(IEnumerable<QualityFinding> findings, string rule) => rule == QualityRules.HouseholdWithoutHead
        ? findings.Where(f => f.Rule == rule).Select(f => f.HouseholdId).Distinct().Count()
        : findings.Count(f => f.Rule == rule);

    private static PersonRecord Parse(string record) => JsonSerializer.Deserialize<PersonRecord>(record, Json.Options)!;

    private static string? Field(PersonRecord p, string field) => field switch
    {
        "registeredAddress" => p.RegisteredAddress,
        "phone" => p.Phone,
        "maritalStatus" => p.MaritalStatus,
        "education" => p.Education,
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, "Not an expected field of docs/data-quality.md."),
    };
}
