using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PopInfo.Domain.Codes;
using PopInfo.Domain.Identity;
using PopInfo.Domain.Records;
using PopInfo.Domain.Regions;
using PopInfo.Domain.Statistics;
using PopInfo.Domain.Validation;
using PopInfo.ServiceDefaults.Outcomes;
using PopInfo.ServiceDefaults.Problems;

namespace PopInfo.Exchange.Inbound;

/// <summary>What the record rules made of one record: the record, or the refusal of it (nothing stored).</summary>
public sealed record ReadOutcome(string? RecordId, string? Kind, InboundRecord? Record, Refusal? Refusal);

/// <summary>
/// The rules a pushed record is checked against before the register is consulted: the department's right
/// to push its kind, the fields each kind takes and needs, their formats and code lists (the registry's
/// rules and rule names), and how a person without an identity number must be described. Every broken rule
/// is reported with its full field path (<c>records[3].person.idNumber</c>). The registry checks again
/// when it applies the command.
/// </summary>
public sealed partial class InboundRecordReader(RegionCatalogue regions, TimeProvider clock)
{
    public const int MaxRecordIdLength = 100;
    public const int MaxTextLength = 200;

    /// <summary>Reserved: <c>GET /api/v1/inbound/reviews</c> is the review list.</summary>
    public const string ReservedRecordId = "reviews";

    public const string KindNotAllowedRule = "inbound.kind-not-allowed";

    private static readonly string[] EventDates = ["deathDate", "moveDate", "arrivalDate", "departureDate"];

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._:-]*$")]
    private static partial Regex RecordIdPattern();

    /// <param name="element">The record as sent.</param>
    /// <param name="path">Where it stood: <c>records[3]</c>, or empty for a message that is one record.</param>
    /// <param name="allowedKinds">The department's inbound rights.</param>
    public ReadOutcome Read(JsonElement element, string path, IReadOnlyCollection<string> allowedKinds)
    {
        try
        {
            return ReadRecord(element, path, allowedKinds);
        }
        catch (InvalidOperationException ex) when (TextViolations.IsLoneSurrogateEscape(ex))
        {
            // A property name escapes a lone surrogate (values are caught one by one): the JSON reader cannot
            // even hand it over as a string, so the record is refused as a whole.
            return new(null, null, null, Refusal.Invalid([TextViolations.LoneSurrogateEscape(path.Length == 0 ? "record" : path)]));
        }
    }

    private ReadOutcome ReadRecord(JsonElement element, string path, IReadOnlyCollection<string> allowedKinds)
    {
        var violations = new List<RuleViolation>();
        string P(string field) => path.Length == 0 ? field : $"{path}.{field}";
        void Add(string field, string rule, string message) => violations.Add(new RuleViolation(P(field), rule, message));

        if (element.ValueKind != JsonValueKind.Object)
        {
            return new(null, null, null, Refusal.Invalid(path.Length == 0 ? "body" : path, "json.format", "A record is a JSON object."));
        }

        var recordId = ReadRecordId(element, Add);
        var kindCode = ReadText(element, "kind", "kind", Add);
        var kind = InboundKindCatalogue.Find(kindCode);
        if (kindCode is null)
        {
            // A poisoned kind is reported as such, not as missing as well.
            if (!violations.Exists(v => v.Field == P("kind")))
            {
                Add("kind", PersonRules.Required, "kind is required.");
            }
        }
        else if (kind is null)
        {
            Add("kind", "inbound.kind", $"kind is one of: {string.Join(", ", InboundKindCatalogue.All.Select(k => k.Code))}.");
        }
        else if (!allowedKinds.Contains(kind.Code))
        {
            // A department learns nothing about the fields of a kind it may not push.
            return new(recordId, kindCode, null, KindNotAllowed(P("kind"), kind.Code));
        }

        if (kind is null)
        {
            return new(recordId, kindCode, null, Refusal.Invalid(violations));
        }

        var person = new JsonObject();
        var fields = new JsonObject();
        foreach (var property in element.EnumerateObject())
        {
            if (FreeText.FirstOffence(property.Name) is { } offence)
            {
                // Named by its record, never repeated: the answer would carry the poison.
                violations.Add(new RuleViolation(path.Length == 0 ? "record" : path, offence.Rule, $"A property name: {offence.Message}"));
                continue;
            }

            switch (property.Name)
            {
                case "recordId" or "kind":
                    break;
                case "person":
                    ReadPerson(property.Value, kind, person, Add);
                    break;
                case "changes" when kind.Takes("changes"):
                    ReadChanges(property.Value, fields, Add);
                    break;
                case var name when kind.Takes(name):
                    ReadField(property.Value, name, name, fields, Add);
                    break;
                default:
                    Add(property.Name, "field.allowed", $"A {kind.Code} record does not take '{property.Name}'.");
                    break;
            }
        }

        if (!element.TryGetProperty("person", out var personElement) || personElement.ValueKind == JsonValueKind.Null)
        {
            Add("person", PersonRules.Required, $"A {kind.Code} record needs person: {(kind.NewPerson ? "the details of the person entering the register" : "idNumber, or name, sex, birthDate and regionCode")}.");
        }
        else if (personElement.ValueKind == JsonValueKind.Object)
        {
            // A value refused for what it holds (a poisoned name) is not reported as missing as well.
            bool Missing(string f) => person[f] is null && !violations.Exists(v => v.Field == P($"person.{f}"));
            foreach (var field in kind.PersonRequired.Where(Missing))
            {
                Add($"person.{field}", PersonRules.Required, $"A {kind.Code} record needs person.{field}.");
            }

            if (!kind.NewPerson && person["idNumber"] is null)
            {
                foreach (var field in InboundKind.MatchFields.Where(Missing))
                {
                    Add($"person.{field}", PersonRules.Required, "Without person.idNumber, the person is named by name, sex, birthDate and regionCode together.");
                }
            }
        }

        foreach (var field in kind.Required.Where(f => fields[f] is null && !violations.Any(v => v.Field == P(f))))
        {
            Add(field, PersonRules.Required, $"A {kind.Code} record needs {field}.");
        }

        CheckFormats(kind, person, fields, Add);
        if (violations.Count > 0)
        {
            return new(recordId, kind.Code, null, Refusal.Invalid(violations));
        }

        return new(recordId, kind.Code, new InboundRecord { RecordId = recordId!, Kind = kind, Person = person, Fields = fields, Path = path }, null);
    }

    /// <summary>
    /// One record refused as forbidden (403): the department has no right to push its kind. Named by its field like a
    /// broken rule, in a validation's shape (<see cref="Refusal.ShapedAsValidation"/>), with the field and rule as well.
    /// </summary>
    public static Refusal KindNotAllowed(string field, string kind) =>
        Refusal.Invalid(field, KindNotAllowedRule, $"Your department may not push '{kind}' records; the administrator grants inbound kinds.") with
        {
            Kind = RefusalKind.Forbidden,
            Title = "Your department may not push this kind of record.",
            ShapedAsValidation = true,
            Field = field,
            Rule = KindNotAllowedRule,
        };

    public DateOnly Today() => ChinaTime.Today(clock);

    private static string? ReadRecordId(JsonElement element, Action<string, string, string> add)
    {
        var recordId = ReadText(element, "recordId", "recordId", add);
        if (recordId is null)
        {
            // Missing, null or blank; a value of another type or a poisoned one is reported as such.
            if (!element.TryGetProperty("recordId", out var given) || given.ValueKind is JsonValueKind.Null
                || (given.ValueKind is JsonValueKind.String && string.IsNullOrWhiteSpace(given.GetRawText().Trim('"'))))
            {
                add("recordId", PersonRules.Required, "recordId is required: your own reference of the record.");
            }

            return null;
        }

        if (recordId.Length > MaxRecordIdLength || !RecordIdPattern().IsMatch(recordId) || recordId == ReservedRecordId)
        {
            add("recordId", "record-id.format",
                $"recordId is 1 to {MaxRecordIdLength} letters, digits, '.', '_', ':' or '-', starting with a letter or digit (and not '{ReservedRecordId}').");
            return null;
        }

        return recordId;
    }

    // A string value, trimmed; null when absent, null, blank or not a string (reported).
    private static string? ReadText(JsonElement parent, string name, string field, Action<string, string, string> add)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            add(field, "json.format", $"The value of '{field}' is not a string.");
            return null;
        }

        return StringOf(value, field, add) is { Length: > 0 } text ? text : null;
    }

    /// <summary>A string value, trimmed; null, with the violation, when it breaks the free-text rule (every field of a record is single-line).</summary>
    private static string? StringOf(JsonElement value, string field, Action<string, string, string> add)
    {
        string text;
        try
        {
            text = value.GetString()!.Trim();
        }
        catch (InvalidOperationException ex) when (TextViolations.IsLoneSurrogateEscape(ex))
        {
            var violation = TextViolations.LoneSurrogateEscape(field);
            add(field, violation.Rule, violation.Message);
            return null;
        }

        return IsText(text, field, add) ? text : null;
    }

    /// <summary>The free-text rule on a value (every field of a record is single-line): false, with the violation, when broken.</summary>
    private static bool IsText(string text, string field, Action<string, string, string> add)
    {
        if (FreeText.FirstOffence(text) is not { } offence)
        {
            return true;
        }

        add(field, offence.Rule, offence.Message);
        return false;
    }

    /// <summary>The free-text rule on a property name, reported on its object and never repeated: the answer would carry the poison.</summary>
    private static bool IsTextName(string name, string parent, Action<string, string, string> add)
    {
        if (FreeText.FirstOffence(name) is not { } offence)
        {
            return true;
        }

        add(parent, offence.Rule, $"A property name: {offence.Message}");
        return false;
    }

    private static void ReadPerson(JsonElement value, InboundKind kind, JsonObject person, Action<string, string, string> add)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            add("person", "json.format", "person is a JSON object.");
            return;
        }

        var takes = kind.PersonFields.ToHashSet(StringComparer.Ordinal);
        foreach (var property in value.EnumerateObject())
        {
            if (!IsTextName(property.Name, "person", add))
            {
                continue;
            }

            var field = $"person.{property.Name}";
            if (!takes.Contains(property.Name))
            {
                add(field, "field.allowed", kind.NewPerson
                    ? $"person of a {kind.Code} record does not take '{property.Name}'."
                    : $"person names someone in the register by {string.Join(", ", InboundKind.SubjectFields)}; it does not take '{property.Name}'.");
                continue;
            }

            if (ReadText(value, property.Name, field, add) is { } text)
            {
                person[property.Name] = text;
            }
        }
    }

    private static void ReadChanges(JsonElement value, JsonObject fields, Action<string, string, string> add)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            add("changes", "json.format", "changes is a JSON object of the corrected fields.");
            return;
        }

        var changes = new JsonObject();
        foreach (var property in value.EnumerateObject())
        {
            if (!IsTextName(property.Name, "changes", add))
            {
                continue;
            }

            var field = $"changes.{property.Name}";
            if (!CorrectableFields.Contains(property.Name))
            {
                add(field, "field.allowed", $"A correction changes only {string.Join(", ", CorrectableFields.All)}.");
                continue;
            }

            if (ReadText(value, property.Name, field, add) is { } text)
            {
                changes[property.Name] = text;
            }
        }

        if (changes.Count == 0)
        {
            add("changes", "correction.nothing-to-correct", "Give at least one corrected field in changes.");
        }

        // Present even when empty, so that "required" is not reported as well.
        fields["changes"] = changes;
    }

    private static void ReadField(JsonElement value, string name, string field, JsonObject fields, Action<string, string, string> add)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                return;
            case JsonValueKind.Number when name == "expectedStayMonths":
                if (value.TryGetInt32(out var months) && months is >= 1 and <= 600)
                {
                    fields[name] = months;
                }
                else
                {
                    add(field, PersonRules.ExpectedStay, "expectedStayMonths is a whole number of months from 1 to 600.");
                }

                return;
            case JsonValueKind.True or JsonValueKind.False when name == "moveRegistration":
                fields[name] = value.GetBoolean();
                return;
            case JsonValueKind.String when name is not ("expectedStayMonths" or "moveRegistration"):
                if (StringOf(value, field, add) is { Length: > 0 } text)
                {
                    fields[name] = text;
                }

                return;
            default:
                add(field, "json.format", $"The value of '{field}' is not {(name == "expectedStayMonths" ? "a whole number" : name == "moveRegistration" ? "true or false" : "a string")}.");
                return;
        }
    }

    private void CheckFormats(InboundKind kind, JsonObject person, JsonObject fields, Action<string, string, string> add)
    {
        var today = Today();
        var changes = fields["changes"] as JsonObject;

        // Identity numbers: valid, normalised (lower-case x becomes X).
        IdentityNumberParts? Id(JsonObject o, string name, string field)
        {
            if (InboundRecord.Text(o, name) is not { } value)
            {
                return null;
            }

            var parsed = IdentityNumber.Parse(value);
            if (!parsed.IsValid)
            {
                add(field, parsed.FailedRule, parsed.Message);
                return null;
            }

            o[name] = parsed.Normalized;
            if (parsed.Parts.BirthDate > today)
            {
                add(field, PersonRules.DateNotInFuture, "The birth date inside the identity number is in the future.");
            }

            return parsed.Parts;
        }

        var personId = Id(person, "idNumber", "person.idNumber");
        Id(fields, "motherIdNumber", "motherIdNumber");
        var changedId = changes is null ? null : Id(changes, "idNumber", "changes.idNumber");

        // Dates: yyyy-MM-dd, not in the future; births not before 1890; events not before the birth.
        DateOnly? Date(JsonObject o, string name, string field)
        {
            if (InboundRecord.Text(o, name) is not { } value)
            {
                return null;
            }

            if (!DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                add(field, "date.format", "A date is written yyyy-MM-dd, e.g. 2026-11-26.");
                return null;
            }

            if (PersonDates.IsInFuture(date, today))
            {
                add(field, PersonRules.DateNotInFuture, "The date is in the future.");
                return null;
            }

            if (name == "birthDate" && PersonDates.IsBeforeEarliestBirth(date))
            {
                add(field, PersonRules.BirthDateRange, $"A birth date is not before {PersonDates.EarliestBirth.Year}.");
                return null;
            }

            return date;
        }

        var birth = Date(person, "birthDate", "person.birthDate") ?? personId?.BirthDate;
        var changedBirth = changes is null ? null : Date(changes, "birthDate", "changes.birthDate");
        foreach (var name in EventDates)
        {
            if (Date(fields, name, name) is { } date && birth is { } born && date < born)
            {
                add(name, PersonRules.DateNotBeforeBirth, "The date is before the person's birth.");
            }
        }

        // The identity number carries the birth date and the sex: the record must agree with it.
        void AgreesWithId(IdentityNumberParts? parts, JsonObject o, DateOnly? stated, string prefix)
        {
            if (parts is null)
            {
                return;
            }

            if (stated is { } date && date != parts.BirthDate)
            {
                add($"{prefix}.birthDate", PersonRules.BirthDateMatchesIdNumber, "The birth date is not the one inside the identity number.");
            }

            if (InboundRecord.Text(o, "sex") is SexCodes.Male or SexCodes.Female && InboundRecord.Text(o, "sex") != parts.SexCode)
            {
                add($"{prefix}.sex", PersonRules.SexMatchesIdNumber, "The identity number's sequence digit says the other sex.");
            }
        }

        AgreesWithId(personId, person, InboundRecord.Date(person, "birthDate"), "person");
        if (changes is not null)
        {
            AgreesWithId(changedId, changes, changedBirth, "changes");
        }

        foreach (var (o, prefix) in new[] { (person, "person"), (changes, "changes") })
        {
            if (o is null)
            {
                continue;
            }

            if (InboundRecord.Text(o, "sex") is { } sex && sex is not (SexCodes.Male or SexCodes.Female))
            {
                add($"{prefix}.sex", PersonRules.SexCode, "sex is 1 (male) or 2 (female), GB/T 2261.1.");
            }

            Code(o, "ethnicity", NationalCodes.Ethnicity, PersonRules.EthnicityCode, prefix, add);
            Code(o, "maritalStatus", NationalCodes.MaritalStatus, PersonRules.MaritalStatusCode, prefix, add);
            Code(o, "education", NationalCodes.Education, PersonRules.EducationCode, prefix, add);
            Code(o, "relationshipToHead", NationalCodes.FamilyRelationship, PersonRules.RelationshipCode, prefix, add);
            if (InboundRecord.Text(o, "name") is { } name && !PersonFormats.IsName(name))
            {
                add($"{prefix}.name", PersonRules.NameFormat, "A name is 1–50 letters (Chinese or other scripts, with · for minority and foreign names).");
            }

            if (InboundRecord.Text(o, "phone") is { } phone && !PersonFormats.IsPhone(phone))
            {
                add($"{prefix}.phone", PersonRules.PhoneFormat, "A phone number is a mainland mobile number (11 digits starting 13–19) or a landline such as 0510-12345678.");
            }

            foreach (var (field, value) in o)
            {
                if (value is JsonValue v && v.TryGetValue<string>(out var text) && text.Length > MaxTextLength)
                {
                    add($"{prefix}.{field}", PersonRules.TextLength, $"At most {MaxTextLength} characters.");
                }
            }
        }

        // Regions: a subject's region at any level of the city; where someone lives, a community.
        if (InboundRecord.Text(person, "regionCode") is { } regionCode && !regions.Contains(regionCode))
        {
            add("person.regionCode", PersonRules.RegionExists, "regionCode is a region of the city at any level (district, street, community).");
        }

        if (InboundRecord.Text(person, "residenceRegionCode") is { } residence && !IsCommunity(residence))
        {
            add("person.residenceRegionCode", PersonRules.RegionExists, "The region code is not a community or village of the city (12 digits).");
        }

        if (InboundRecord.Text(fields, "residenceRegionCode") is { } newResidence && !IsCommunity(newResidence))
        {
            add("residenceRegionCode", PersonRules.RegionExists, "The region code is not a community or village of the city (12 digits).");
        }

        if (InboundRecord.Text(person, "registeredRegionCode") is { } registered && !IsCommunity(registered)
            && !(kind == InboundKindCatalogue.MigrantArrival && PersonFormats.IsCountyCode(registered)))
        {
            add("person.registeredRegionCode", PersonRules.RegionExists, "The region code is not a community or village of the city (12 digits).");
        }

        if (InboundRecord.Text(fields, "originRegionCode") is { } origin && !PersonFormats.IsCountyCode(origin))
        {
            add("originRegionCode", PersonRules.CountyCode, "The origin is a six-digit county code (GB/T 2260) with a valid province prefix.");
        }

        if (InboundRecord.Text(fields, "reason") is { } reason && kind == InboundKindCatalogue.MigrantArrival && !MigrantReasons.IsKnown(reason))
        {
            add("reason", PersonRules.MigrantReason, $"reason is one of: {string.Join(", ", MigrantReasons.All)}.");
        }

        foreach (var (name, value) in fields)
        {
            if (value is JsonValue v && v.TryGetValue<string>(out var text) && text.Length > MaxTextLength)
            {
                add(name, PersonRules.TextLength, $"At most {MaxTextLength} characters.");
            }
        }
    }

    private bool IsCommunity(string code) => regions.TryGet(code, out var region) && region.Level == RegionLevel.Community;

    private static void Code(JsonObject o, string name, CodeList codes, string rule, string prefix, Action<string, string, string> add)
    {
        if (InboundRecord.Text(o, name) is { } code && !codes.Contains(code))
        {
            add($"{prefix}.{name}", rule, $"'{code}' is not a code of {codes.Standard}.");
        }
    }
}
