using PopInfo.Domain.Identity;

namespace PopInfo.Testing;

/// <summary>Valid, distinct people for tests: no two calls in a process give the same identity number.</summary>
public static class People
{
    private static int counter;

    public const string Community = "320205001001";
    public const string OtherCommunity = "320211001001";

    /// <summary>
    /// The n-th person of this process: a birth date of its own for every 400 people and a sequence number
    /// of its own within that date, so identity numbers never repeat (the address code is fixed).
    /// </summary>
    public static (string IdNumber, DateOnly BirthDate, string Sex) Next(string sex = "2", int minimumAge = 20)
    {
        var n = Interlocked.Increment(ref counter);
        var birth = new DateOnly(2006 - minimumAge, 1, 1).AddDays(-(n / 400));
        var sequence = (n % 400 * 2) + (sex == "1" ? 1 : 2);
        return (IdentityNumber.Create("320205", birth, sequence), birth, sex);
    }

    /// <summary>The JSON body of a valid "register person" command for a registered resident.</summary>
    public static Dictionary<string, object?> Resident(string sex = "2") => ResidentOf(Community, sex);

    /// <summary>As <see cref="Resident"/>, living and registered in the given community.</summary>
    public static Dictionary<string, object?> ResidentOf(string community, string? sex = null)
    {
        var (id, birth, s) = Next(sex ?? "2");
        return RegisterBody(Guid.NewGuid(), id, birth, s, community);
    }

    /// <summary>The JSON body of a "register person" command: a registered resident living where registered, in <paramref name="community"/>.</summary>
    public static Dictionary<string, object?> RegisterBody(Guid commandId, string idNumber, DateOnly birth, string sex, string community) => new()
    {
        ["commandId"] = commandId,
        ["idNumber"] = idNumber,
        ["name"] = sex == "1" ? "张伟" : "王芳",
        ["sex"] = sex,
        ["birthDate"] = birth.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        ["ethnicity"] = "01",
        ["maritalStatus"] = "20",
        ["phone"] = "13912345678",
        ["residenceType"] = "registered",
        ["registeredAddress"] = "东亭街道春华路1号",
        ["registeredRegionCode"] = community,
        ["residenceAddress"] = "东亭街道春华路1号",
        ["residenceRegionCode"] = community,
    };
}
