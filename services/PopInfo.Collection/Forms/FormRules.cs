using System.Globalization;
using PopInfo.Domain.Codes;
using PopInfo.Domain.Identity;
using PopInfo.Domain.Records;
using PopInfo.Domain.Regions;
using PopInfo.Domain.Statistics;
using PopInfo.Domain.Validation;
using PopInfo.ServiceDefaults.Problems;

namespace PopInfo.Collection.Forms;

/// <summary>
/// The rules a form is checked against when it is submitted: which fields each form type needs, their
/// formats and code lists (the same rules and rule names as the registry), and the form's own rules
/// (a move-out needs a destination, a birth a mother or a reason, a migrant an origin and a stay, a
/// correction something to correct). Rules that need the register (is the person living?) are checked
/// by <see cref="RegisterChecks"/>; the registry checks everything again when it applies the command.
/// </summary>
public sealed class FormRules(RegionCatalogue regions, TimeProvider clock)
{

    private static readonly string[] DateFields = ["birthDate", "deathDate", "moveDate", "arrivalDate", "departureDate"];

    public IReadOnlyList<RuleViolation> Check(FormType type, IReadOnlyDictionary<string, string> data, bool subjectKnownById)
    {
        var violations = new List<RuleViolation>();
        void Add(string field, string rule, string message) => violations.Add(new RuleViolation(field, rule, message));

        foreach (var field in data.Keys.Where(f => !type.Takes(f)))
        {
            Add(field, "field.allowed", $"A {type.Code} form does not take '{field}'.");
        }

        foreach (var field in type.Required.Where(f => !data.ContainsKey(f)))
        {
            // A form opened from a person found in the register names them by person id already.
            if (!(field == "idNumber" && type.AboutExistingPerson && subjectKnownById))
            {
                Add(field, PersonRules.Required, $"A {type.Code} form needs {field}.");
            }
        }

        var today = Today();
        foreach (var field in new[] { "idNumber", "newIdNumber", "motherIdNumber" })
        {
            if (data.TryGetValue(field, out var value) && IdentityNumber.Parse(value) is { IsValid: false } bad)
            {
                Add(field, bad.FailedRule!, bad.Message!);
            }
        }

        var dates = new Dictionary<string, DateOnly>();
        foreach (var field in DateFields)
        {
            if (!data.TryGetValue(field, out var value))
            {
                continue;
            }

            if (!DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                Add(field, "date.format", "A date is written yyyy-MM-dd, e.g. 2026-11-26.");
            }
            else if (PersonDates.IsInFuture(date, today))
            {
                Add(field, PersonRules.DateNotInFuture, "The date is in the future.");
            }
            else
            {
                dates[field] = date;
            }
        }

        if (dates.TryGetValue("birthDate", out var birth))
        {
            foreach (var (field, date) in dates.Where(d => d.Key != "birthDate" && d.Value < birth))
            {
                Add(field, PersonRules.DateNotBeforeBirth, "The date is before the person's birth.");
            }
        }

        // The identity number carries the birth date and the sex: the form's fields must agree with it.
        var idField = type.Code == FormTypes.Correction.Code ? "newIdNumber" : "idNumber";
        if (data.TryGetValue(idField, out var id) && IdentityNumber.Parse(id) is { IsValid: true, Parts: { } parts })
        {
            // The same rule the desk page shows before submit (docs/desk.md, "Pickers and the identity number").
            var statedBirth = dates.TryGetValue("birthDate", out var stated) ? stated : (DateOnly?)null;
            foreach (var mismatch in IdentityNumberFacts.Mismatches(parts, statedBirth, data.GetValueOrDefault("sex")))
            {
                Add(mismatch.Field, mismatch.Rule, mismatch.Message);
            }
        }

        CheckCode(data, "sex", NationalCodes.Sex, PersonRules.SexCode, Add);
        CheckCode(data, "ethnicity", NationalCodes.Ethnicity, PersonRules.EthnicityCode, Add);
        CheckCode(data, "maritalStatus", NationalCodes.MaritalStatus, PersonRules.MaritalStatusCode, Add);
        CheckCode(data, "education", NationalCodes.Education, PersonRules.EducationCode, Add);
        CheckCode(data, "relationshipToHead", NationalCodes.FamilyRelationship, PersonRules.RelationshipCode, Add);

        if (data.TryGetValue("name", out var name) && !PersonFormats.IsName(name))
        {
            Add("name", PersonRules.NameFormat, "A name is 1–50 letters (Chinese or other scripts, with · for minority and foreign names).");
        }

        if (data.TryGetValue("phone", out var phone) && !PersonFormats.IsPhone(phone))
        {
            Add("phone", PersonRules.PhoneFormat, "A phone number is a mainland mobile number (11 digits starting 13–19) or a landline such as 0510-12345678.");
        }

        foreach (var field in new[] { "residenceRegionCode", "registeredRegionCode" })
        {
            if (data.TryGetValue(field, out var code) && !(regions.TryGet(code, out var region) && region.Level == RegionLevel.Community))
            {
                // A migrant's registered region is their home county, which is anywhere in China.
                if (!(field == "registeredRegionCode" && type == FormTypes.MigrantArrival && PersonFormats.IsCountyCode(code)))
                {
                    Add(field, PersonRules.RegionExists, "The region code is not a community or village of the city (12 digits).");
                }
            }
        }

        if (data.TryGetValue("originRegionCode", out var origin) && !PersonFormats.IsCountyCode(origin))
        {
            Add("originRegionCode", PersonRules.CountyCode, "The origin must be a six-digit county code (GB/T 2260) with a valid province prefix.");
        }

        if (data.TryGetValue("reason", out var reason) && type == FormTypes.MigrantArrival && !MigrantReasons.IsKnown(reason))
        {
            Add("reason", PersonRules.MigrantReason, MigrantReasons.MustBeOneOf);
        }

        if (data.TryGetValue("expectedStayMonths", out var stay) && !(int.TryParse(stay, CultureInfo.InvariantCulture, out var months) && months is >= 1 and <= 600))
        {
            Add("expectedStayMonths", PersonRules.ExpectedStay, "The expected stay is a whole number of months from 1 to 600.");
        }

        if (data.TryGetValue("moveRegistration", out var moveRegistration) && moveRegistration is not ("true" or "false"))
        {
            Add("moveRegistration", "boolean.format", "moveRegistration is true or false.");
        }

        if (data.TryGetValue("destination", out var destination) && string.IsNullOrWhiteSpace(destination))
        {
            Add("destination", PersonRules.Required, "Say where the person went.");
        }

        if (type == FormTypes.Birth && !data.ContainsKey("motherIdNumber") && !data.ContainsKey("noMotherReason"))
        {
            Add("motherIdNumber", "birth.mother-or-reason", "A birth needs the mother's identity number, or the reason why there is none (noMotherReason).");
        }

        if (type == FormTypes.Correction && !type.Optional.Any(data.ContainsKey))
        {
            Add("data", "correction.nothing-to-correct", "Give at least one corrected field.");
        }

        foreach (var (field, value) in data.Where(d => d.Value.Length > 200))
        {
            Add(field, PersonRules.TextLength, "At most 200 characters.");
        }

        return violations;
    }

    public DateOnly Today() => ChinaTime.Today(clock);

    private static void CheckCode(IReadOnlyDictionary<string, string> data, string field, CodeList codes, string rule, Action<string, string, string> add)
    {
        if (data.TryGetValue(field, out var code) && !codes.Contains(code))
        {
            add(field, rule, $"'{code}' is not a code of {codes.Standard}.");
        }
    }
}
