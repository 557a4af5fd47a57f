using System.Diagnostics;
using System.Text.Json.Nodes;
using PopInfo.Testing;

namespace PopInfo.IntegrationTests.Exchange;

/// <summary>The documented sample consumer (docs/samples/exchange_consumer.py, Debian's python3-pika) reads a department's queue with its own credentials.</summary>
public sealed class PythonConsumerTests(ExchangeFixture fixture) : IClassFixture<ExchangeFixture>
{
    [Fact]
    public async Task A_python_consumer_reads_and_verifies_its_departments_events()
    {
        var community = ExchangeFixture.FreshCommunity();
        var bureau = await fixture.CreateDepartmentAsync("statsbureau");
        await fixture.SubscribeAsync(bureau.Code, ["registered", "corrected"], [community], ["sex", "birthDate", "occupation"]);
        var first = await fixture.RegisterResidentAsync(community);
        await fixture.CorrectOccupationAsync(first.PersonId, "工程师");
        var second = await fixture.RegisterResidentAsync(community);
        var output = Path.Combine(Path.GetTempPath(), $"popinfo-python-{Guid.NewGuid():N}.json");
        try
        {
            // The script checks the CloudEvents envelope, the sequence, and that no field beyond the list appears (exit 3 if one does).
            var (exitCode, errors) = await RunAsync(
                "--url", fixture.DepartmentBrokerUri(bureau).ToString(), "--department", bureau.Code,
                "--max", "3", "--timeout", "30", "--expect-fields", "sex,birthDate,occupation", "--json-out", output);

            Assert.True(exitCode == 0, $"exit {exitCode}: {errors}");
            var events = JsonNode.Parse(await File.ReadAllTextAsync(output))!.AsArray();
            Assert.Equal([first.PersonId.ToString(), first.PersonId.ToString(), second.PersonId.ToString()], events.Select(e => (string)e!["subject"]!));
            Assert.Equal(["cn.popinfo.person.registered.v1", "cn.popinfo.person.corrected.v1", "cn.popinfo.person.registered.v1"], events.Select(e => (string)e!["type"]!));
            Assert.DoesNotContain(first.IdNumber, errors, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(output);
        }

        // A stricter list than the subscription's: the consumer notices the extra field and says so (exit 3).
        var another = await fixture.RegisterResidentAsync(community);
        Assert.NotEqual(Guid.Empty, another.PersonId);
        var (strictExit, _) = await RunAsync("--url", fixture.DepartmentBrokerUri(bureau).ToString(), "--department", bureau.Code,
            "--max", "1", "--timeout", "30", "--expect-fields", "sex");
        Assert.Equal(3, strictExit);
    }

    private static async Task<(int ExitCode, string Errors)> RunAsync(params string[] arguments)
    {
        var script = Path.Combine(RepositoryRoot.Path, "docs", "samples", "exchange_consumer.py");
        using var python = Process.Start(new ProcessStartInfo("/usr/bin/python3", [script, .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = python.StandardOutput.ReadToEndAsync();
        var errors = python.StandardError.ReadToEndAsync();
        await python.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(90));
        await output;
        return (python.ExitCode, await errors);
    }
}
