using PopInfo.Domain.Identity;

namespace PopInfo.IntegrationTests.Collection;

/// <summary>Form bodies for the desk's tests.</summary>
internal static class DeskForms
{
    private static int births;

    /// <summary>A birth to a mother in the register; the child has a fresh identity number born today or recently.</summary>
    public static object Birth(string motherIdNumber, bool submit = true, string? idNumber = null)
    {
        var n = Interlocked.Increment(ref births);
        var birth = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8)).AddDays(-1 - (n / 400));
        var child = idNumber ?? IdentityNumber.Create("320205", birth, (n % 400 * 2) + 1);
        return new
        {
            formType = "birth",
            submit,
            data = new Dictionary<string, object>
            {
                ["idNumber"] = child,
                ["name"] = "李小明",
                ["sex"] = "1",
                ["birthDate"] = birth.ToString("yyyy-MM-dd"),
                ["ethnicity"] = "01",
                ["motherIdNumber"] = motherIdNumber,
            },
        };
    }
}
