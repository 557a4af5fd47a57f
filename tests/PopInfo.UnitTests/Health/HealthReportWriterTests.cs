using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using PopInfo.ServiceDefaults;

namespace PopInfo.UnitTests.Health;

public sealed class HealthReportWriterTests
{
    [Fact]
    public async Task The_readiness_answer_names_checks_and_statuses_but_carries_no_exception_or_description_text()
    {
        const string secret = "Host=10.1.2.3;Username=popinfo_owner;Password=hunter2";
        var report = new HealthReport(
            new Dictionary<string, HealthReportEntry>
            {
                ["database"] = new(HealthStatus.Unhealthy, $"registry database does not answer: {secret}", TimeSpan.FromMilliseconds(12),
                    new InvalidOperationException($"Failed to connect: {secret}"), null),
                ["bus"] = new(HealthStatus.Healthy, "bus answers at amqp://popinfo:popinfo@10.1.2.3:5672/", TimeSpan.FromMilliseconds(3), null, null),
            },
            TimeSpan.FromMilliseconds(15));
        var context = new DefaultHttpContext();
        context.Response.Body = new MemoryStream();

        await HealthReportWriter.WriteAsync(context, report);

        context.Response.Body.Position = 0;
        var text = await new StreamReader(context.Response.Body).ReadToEndAsync();
        Assert.DoesNotContain("10.1.2.3", text, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", text, StringComparison.Ordinal);
        Assert.DoesNotContain("answer", text, StringComparison.Ordinal);
        var body = JsonNode.Parse(text)!.AsObject();
        Assert.Equal("Unhealthy", (string)body["status"]!);
        var checks = body["checks"]!.AsArray().Select(c => c!.AsObject()).ToList();
        Assert.Equal(["database", "bus"], checks.Select(c => (string)c["name"]!));
        Assert.Equal(["Unhealthy", "Healthy"], checks.Select(c => (string)c["status"]!));
        Assert.All(checks, c => Assert.Equal(["name", "status", "durationMs"], c.Select(p => p.Key)));
    }
}
