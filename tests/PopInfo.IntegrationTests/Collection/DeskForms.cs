using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using PopInfo.Domain.Identity;
using PopInfo.Testing;

namespace PopInfo.IntegrationTests.Collection;

/// <summary>Form bodies for the desk's tests, and a CSV upload.</summary>
internal static class DeskForms
{
    private static int births;

    /// <summary>A birth to a mother in the register; the child has a fresh identity number born today or recently.</summary>
    public static object Birth(string motherIdNumber, bool submit = true, string? idNumber = null)
    {
        var n = Interlocked.Increment(ref births);
        var birth = CityDate.Today.AddDays(-1 - (n / 400));
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

    /// <summary>Uploads a CSV file of forms as the desk page does (multipart field <c>file</c>); the status and the answer.</summary>
    public static Task<(int Status, JsonObject Body)> UploadCsvAsync(HttpClient desk, string csv, string query = "") =>
        UploadFileAsync(desk, Encoding.UTF8.GetBytes(csv), "forms.csv", "text/csv", query);

    /// <summary>Uploads a file of forms — CSV in any encoding, or a workbook — as the desk page does; the status and the answer.</summary>
    public static async Task<(int Status, JsonObject Body)> UploadFileAsync(HttpClient desk, byte[] bytes, string fileName, string mediaType, string query = "")
    {
        using var content = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        content.Add(file, "file", fileName);
        using var response = await desk.PostAsync($"/api/v1/forms/import{query}", content);
        return ((int)response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
    }
}
