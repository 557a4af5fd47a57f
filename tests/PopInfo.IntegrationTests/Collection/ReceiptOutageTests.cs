using System.Text.Json.Nodes;
using PopInfo.Testing;

namespace PopInfo.IntegrationTests.Collection;

/// <summary>
/// A receipt while the registry is away: one whose form names the person (a birth) prints from the desk's own data; one that
/// names the person as the register does (a death) is a 503 saying when to try again, audited, and prints once it is back.
/// </summary>
public sealed class ReceiptOutageTests(DeskFixture fixture) : IClassFixture<DeskFixture>
{
    [Fact]
    public async Task A_receipt_that_needs_the_register_while_it_is_away_says_when_to_try_again()
    {
        var (_, motherIdNumber, _) = await fixture.RegisterResidentAsync();
        var (_, deceasedIdNumber, _) = await fixture.RegisterResidentAsync(sex: "1");
        using var desk = await fixture.SignInAsync("collector-a");
        var birth = await AcceptedAsync(desk, DeskForms.Birth(motherIdNumber));
        var death = await AcceptedAsync(desk, new { formType = "death", submit = true, data = new { idNumber = deceasedIdNumber, deathDate = "2026-01-05" } });

        await fixture.StopRegistryAsync();
        try
        {
            using (var printed = await desk.GetAsync($"/desk/print/receipts/{birth}"))
            {
                Assert.Equal(200, (int)printed.StatusCode);
            }

            using var refused = await desk.GetAsync($"/desk/print/receipts/{death}");
            Assert.Equal(503, (int)refused.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(10), refused.Headers.RetryAfter?.Delta);
            var problem = JsonNode.Parse(await refused.Content.ReadAsStringAsync())!;
            Assert.Equal("registry.available", (string)problem["rule"]!);
            Assert.Equal(1, await fixture.ScalarAsync(
                $"SELECT COUNT(*) FROM collection.audit_log WHERE action = 'form.receipt' AND target = '{death}' AND outcome = 'unavailable'"));
        }
        finally
        {
            fixture.StartRegistry();
        }

        // Back: the receipt prints (the desk's client may hold its circuit open a few seconds first).
        var deadline = DateTime.UtcNow.AddSeconds(30);
        int status;
        string html;
        do
        {
            using var again = await desk.GetAsync($"/desk/print/receipts/{death}");
            (status, html) = ((int)again.StatusCode, await again.Content.ReadAsStringAsync());
            if (status != 200)
            {
                await Task.Delay(250);
            }
        }
        while (status != 200 && DateTime.UtcNow < deadline);

        Assert.Equal(200, status);
        Assert.Contains("张伟", html, StringComparison.Ordinal);
        Assert.DoesNotContain(deceasedIdNumber, html, StringComparison.Ordinal);
    }

    private static async Task<Guid> AcceptedAsync(HttpClient desk, object form)
    {
        var (status, created) = await desk.PostAsync("/api/v1/forms", form);
        Assert.True(status == 201, created.ToJsonString());
        var id = Guid.Parse((string)created["id"]!);
        Assert.Equal("accepted", (string)(await DeskFixture.WaitForAnswerAsync(desk, id))["state"]!);
        return id;
    }
}
