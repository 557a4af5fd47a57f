using PopInfo.Domain.Identity;

namespace PopInfo.IntegrationTests.Registry;

/// <summary>One case per rule of the register: how to break a valid "register person" body, and the field and rule the refusal must name.</summary>
public static class BrokenRuleCases
{
    public static IReadOnlyDictionary<string, (Action<Dictionary<string, object?>> Mutate, string Field, string Rule)> All { get; } =
        new Dictionary<string, (Action<Dictionary<string, object?>>, string, string)>
        {
            ["id-number.required"] = (b => b["idNumber"] = null, "idNumber", "required"),
            ["id-number.length"] = (b => b["idNumber"] = "32020519900307", "idNumber", "id-number.length"),
            ["id-number.characters"] = (b => b["idNumber"] = Id(b)[..17] + "Y", "idNumber", "id-number.characters"),
            ["id-number.x-only-last"] = (b => b["idNumber"] = Id(b)[..10] + "X" + Id(b)[11..], "idNumber", "id-number.characters"),
            ["id-number.province"] = (b => b["idNumber"] = WithCheck("99" + Id(b)[2..17]), "idNumber", "id-number.province"),
            ["id-number.birth-date"] = (b => b["idNumber"] = WithCheck(Id(b)[..6] + "19900230" + Id(b)[14..17]), "idNumber", "id-number.birth-date"),
            ["id-number.check-character"] = (b => b["idNumber"] = Id(b)[..17] + WrongCheck(Id(b)), "idNumber", "id-number.check-character"),
            ["birth-date.matches-id-number"] = (b => b["birthDate"] = Birth(b).AddDays(1).ToString("yyyy-MM-dd"), "birthDate", "birth-date.matches-id-number"),
            ["sex.matches-id-number"] = (b => b["sex"] = "1", "sex", "sex.matches-id-number"),
            ["date.not-in-future"] = (b => Future(b), "birthDate", "date.not-in-future"),
            ["birth-date.range"] = (b => Ancient(b), "birthDate", "birth-date.range"),
            ["sex.code"] = (b => b["sex"] = "3", "sex", "sex.code"),
            ["ethnicity.code"] = (b => b["ethnicity"] = "99", "ethnicity", "ethnicity.code"),
            ["marital-status.code"] = (b => b["maritalStatus"] = "50", "maritalStatus", "marital-status.code"),
            ["education.code"] = (b => b["education"] = "55", "education", "education.code"),
            ["relationship.code"] = (b => b["relationshipToHead"] = "98", "relationshipToHead", "relationship.code"),
            ["name.required"] = (b => b["name"] = "", "name", "required"),
            ["name.format"] = (b => b["name"] = "王2", "name", "name.format"),
            ["phone.format"] = (b => b["phone"] = "12345", "phone", "phone.format"),
            ["region.exists.residence"] = (b => b["residenceRegionCode"] = "320205001999", "residenceRegionCode", "region.exists"),
            ["region.exists.registered-is-a-street"] = (b => b["registeredRegionCode"] = "320205001", "registeredRegionCode", "region.exists"),
            ["residence.required"] = (b => b["residenceRegionCode"] = null, "residenceRegionCode", "required"),
            ["residence-type.code"] = (b => b["residenceType"] = "tourist", "residenceType", "residence-type.code"),
            ["migrant.details"] = (b => b["residenceType"] = "migrant", "migrant", "migrant.details"),
            ["migrant.county-code"] = (b => Migrant(b, origin: "990000"), "migrant.originRegionCode", "region.county-code"),
            ["migrant.reason"] = (b => Migrant(b, reason: "holiday"), "migrant.reason", "migrant.reason"),
            ["migrant.expected-stay"] = (b => Migrant(b, months: 0), "migrant.expectedStayMonths", "migrant.expected-stay"),
            ["command-id.required"] = (b => b["commandId"] = null, "commandId", "required"),
            ["json.format"] = (b => b["birthDate"] = "1990-02-30", "birthDate", "json.format"),
        };

    private static string Id(Dictionary<string, object?> b) => (string)b["idNumber"]!;

    private static DateOnly Birth(Dictionary<string, object?> b) => DateOnly.Parse((string)b["birthDate"]!, System.Globalization.CultureInfo.InvariantCulture);

    private static string WithCheck(string first17) => first17 + IdentityNumber.ComputeCheckCharacter(first17);

    private static char WrongCheck(string id) => id[17] == '1' ? '2' : '1';

    private static void Future(Dictionary<string, object?> b)
    {
        var future = DateOnly.FromDateTime(DateTime.UtcNow).AddYears(1);
        b["idNumber"] = IdentityNumber.Create("320205", future, 2);
        b["birthDate"] = future.ToString("yyyy-MM-dd");
    }

    private static void Ancient(Dictionary<string, object?> b)
    {
        var old = new DateOnly(1885, 5, 1);
        b["idNumber"] = IdentityNumber.Create("320205", old, 2 + (2 * Random.Shared.Next(0, 400)));
        b["birthDate"] = old.ToString("yyyy-MM-dd");
    }

    private static void Migrant(Dictionary<string, object?> b, string origin = "410102", string reason = "work", int months = 12)
    {
        b["residenceType"] = "migrant";
        b["registeredRegionCode"] = origin;
        b["migrant"] = new { originRegionCode = origin, arrivalDate = "2024-03-01", reason, expectedStayMonths = months };
    }
}
