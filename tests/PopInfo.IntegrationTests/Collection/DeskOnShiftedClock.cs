using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using PopInfo.Collection;
using PopInfo.Domain.Statistics;
using PopInfo.Testing;

namespace PopInfo.IntegrationTests.Collection;

/// <summary>
/// Days of the desk made through its API on a <see cref="ShiftedClock"/> (the board's and the assessment's tests): signing in,
/// a resident to correct, a correction.
/// </summary>
internal static class DeskOnShiftedClock
{
    private static readonly TimeSpan Cst = ChinaTime.Offset;

    /// <summary>Sets the clock to <paramref name="hour"/>:00 of <paramref name="day"/>, China time.</summary>
    public static void At(ShiftedClock clock, DateOnly day, int hour) =>
        clock.Offset = new DateTimeOffset(day.ToDateTime(new TimeOnly(hour, 0)), Cst) - DateTimeOffset.UtcNow;

    /// <summary>
    /// Signs in on the real clock, then puts the desk's clock back where it was: the browser-like client keeps cookies by the
    /// real time, and would drop those the desk stamped with an expiry days ago.
    /// </summary>
    public static async Task<HttpClient> SignInAsync(WebApplicationFactory<CollectionEntryPoint> desk, ShiftedClock clock, string hint)
    {
        var offset = clock.Offset;
        clock.Offset = TimeSpan.Zero;
        try
        {
            return await DeskSignIn.SignInAsync(desk.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true, AllowAutoRedirect = false }), hint);
        }
        finally
        {
            clock.Offset = offset;
        }
    }

    /// <summary>Registers a resident of <paramref name="community"/> at the registry: its id and version.</summary>
    public static async Task<(Guid Id, int Version)> RegisterAsync(HttpClient registry, string community)
    {
        var (status, created) = await registry.PostAsync("/api/v1/persons", People.ResidentOf(community));
        Assert.Equal(201, status);
        return (Guid.Parse((string)created["personId"]!), (int)created["version"]!);
    }

    /// <summary>A correction of the person's occupation, submitted or kept as a draft.</summary>
    public static async Task<JsonObject> CorrectionAsync(HttpClient desk, (Guid Id, int Version) person, bool submit)
    {
        var (status, form) = await desk.PostAsync("/api/v1/forms", new
        {
            formType = "correction", personId = person.Id, expectedVersion = person.Version, submit, data = new { occupation = "教师", reason = "职业变更" },
        });
        Assert.True(status == 201, form.ToJsonString());
        return form;
    }

    public static Guid Id(JsonObject form) => Guid.Parse((string)form["id"]!);
}
