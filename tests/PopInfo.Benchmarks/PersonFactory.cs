using System.Globalization;
using System.Text.Json;
using PopInfo.Domain.Identity;
using PopInfo.Domain.Statistics;

namespace PopInfo.Benchmarks;

/// <summary>
/// Bodies of valid registry commands. Identity numbers are distinct by construction — the n-th person has
/// birth date 1950-01-01 (or the given first birth date) + n / 1000 days and sequence code n % 1000 (odd: male) — so a run of any length
/// never collides with itself, over millions (the tests' People.Next goes back one day per 400 people from an age).
/// The command bodies are the tests' (<see cref="People.RegisterBody"/>).
/// </summary>
public sealed class PersonFactory(int firstIndex = 0, string addressCode = "320205", DateOnly? firstBirth = null)
{
    public const string Community = "320205001001";
    private readonly DateOnly first = firstBirth ?? new DateOnly(1950, 1, 1);
    private int next = firstIndex - 1;
    private int phones;

    /// <summary>The next distinct identity number, with the birth date and sex inside it.</summary>
    public (string IdNumber, DateOnly Birth, bool Male) NextIdentity()
    {
        var n = Interlocked.Increment(ref next);
        var sequence = n % 1000;
        var birth = first.AddDays(n / 1000);
        return (IdentityNumber.Create(addressCode, birth, sequence), birth, sequence % 2 == 1);
    }

    public (Guid CommandId, string IdNumber, byte[] Body) Register()
    {
        var (idNumber, birth, male) = NextIdentity();
        var commandId = Guid.NewGuid();
        // The tests' register body, with the two optional fields a desk usually fills too.
        var fields = People.RegisterBody(commandId, idNumber, birth, male ? "1" : "2", Community);
        fields["education"] = "60";
        fields["occupation"] = "软件工程师";
        var body = JsonSerializer.SerializeToUtf8Bytes(fields);
        return (commandId, idNumber, body);
    }

    /// <summary>
    /// The registry's own migrant arrival (<c>POST /api/v1/migrant-arrivals</c>) with the fields of
    /// <see cref="MigrantArrivalForm"/>: the command a desk's form becomes, sent straight to the registry.
    /// </summary>
    public (Guid CommandId, string IdNumber, byte[] Body) MigrantArrival(string residenceAddress = "东亭街道春华路1号", string community = Community)
    {
        var (idNumber, fields) = NewMigrant(residenceAddress, community);
        var commandId = Guid.NewGuid();
        var body = new Dictionary<string, object?>(fields.Select(f => KeyValuePair.Create(f.Key, (object?)f.Value))) { ["commandId"] = commandId };
        // The command's number is a JSON number; the form's fields are all text.
        body["expectedStayMonths"] = int.Parse(fields["expectedStayMonths"], CultureInfo.InvariantCulture);
        return (commandId, idNumber, JsonSerializer.SerializeToUtf8Bytes(body));
    }

    /// <summary>
    /// A desk's migrant-arrival form for a new valid person, submitted at once (<c>POST /api/v1/forms</c>): arrived
    /// yesterday (China time), living at <paramref name="residenceAddress"/> in <paramref name="community"/>. A living
    /// resident of the city needs a residence address (the registry's record rule): a form without one is refused.
    /// </summary>
    public byte[] MigrantArrivalForm(string residenceAddress, string community = Community) =>
        JsonSerializer.SerializeToUtf8Bytes(new { formType = "migrant-arrival", submit = true, data = NewMigrant(residenceAddress, community).Fields });

    /// <summary>A new person's migrant-arrival fields, as a form's data carries them (all text).</summary>
    private (string IdNumber, Dictionary<string, string> Fields) NewMigrant(string residenceAddress, string community)
    {
        var (idNumber, birth, male) = NextIdentity();
        return (idNumber, new Dictionary<string, string>
        {
            ["idNumber"] = idNumber,
            ["name"] = male ? "张伟" : "王芳",
            ["sex"] = male ? "1" : "2",
            ["birthDate"] = birth.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["ethnicity"] = "01",
            ["originRegionCode"] = "510105",
            ["arrivalDate"] = ChinaTime.Today(TimeProvider.System).AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["reason"] = "work",
            ["expectedStayMonths"] = "12",
            ["residenceAddress"] = residenceAddress,
            ["residenceRegionCode"] = community,
            ["registeredRegionCode"] = "510105",
        });
    }

    /// <summary>A correction of the phone number (always a new one, so the command changes the record).</summary>
    public (Guid CommandId, byte[] Body) Correction(int expectedVersion)
    {
        var commandId = Guid.NewGuid();
        var phone = "137" + (Interlocked.Increment(ref phones) % 100_000_000).ToString("D8");
        var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object?>
        {
            ["commandId"] = commandId,
            ["expectedVersion"] = expectedVersion,
            ["phone"] = phone,
            ["reason"] = "benchmark: phone number corrected",
        });
        return (commandId, body);
    }
}
