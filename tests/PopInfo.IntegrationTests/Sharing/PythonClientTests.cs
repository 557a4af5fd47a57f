using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using PopInfo.ServiceDefaults.Security;
using PopInfo.Testing;
using static PopInfo.IntegrationTests.Sharing.SharingTestKit;

namespace PopInfo.IntegrationTests.Sharing;

/// <summary>
/// The department's sample client (clients/python/popinfo_sharing.py, Debian's python3 and python3-requests) against the
/// sharing service on a real socket: verify, look up, batch verify, its usage, and a refusal as the problem it prints.
/// </summary>
public sealed class PythonClientTests(SharingFixture fixture) : IClassFixture<SharingFixture>
{
    [Fact]
    public async Task The_python_client_verifies_looks_up_batch_verifies_and_reads_its_usage()
    {
        var person = await fixture.RegisterAsync(fixture.Communities[0]);
        fixture.StartSharing(kestrelPort: FreePort());
        await fixture.CaughtUpAsync();
        await fixture.GrantAsync("pyclient", Grant(["verify", "lookup", "batch-verify"], new { idNumber = "masked", name = "masked", birthDate = "plain" }, dailyQuota: 50));
        var address = fixture.Sharing!.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var token = TestIssuer.Shared.Token([PlatformScopes.SharingRead], PlatformScopes.DepartmentClientId("pyclient"));
        var last = await fixture.RegistryLastAsync();
        string[] common = ["--base", address, "--token", token, "--end-user", "clerk.wang"];
        string[] purpose = ["--purpose", Purpose, "--case-reference", "PY-1"];

        var (exit, verified) = await RunAsync([.. common, "verify", .. purpose, "--id-number", person.IdNumber, "--name", "王芳", "--birth-date", person.BirthDate]);
        Assert.Equal(0, exit);
        Assert.True(JsonNode.DeepEquals(new JsonObject { ["outcome"] = "match", ["asOfSequence"] = last }, verified), verified.ToJsonString());

        var (lookupExit, found) = await RunAsync([.. common, "lookup", .. purpose, "--id-number", person.IdNumber]);
        Assert.Equal(0, lookupExit);
        var expectedPerson = new JsonObject { ["birthDate"] = person.BirthDate, ["idNumber"] = MaskedNumber(person.IdNumber), ["name"] = "王*" };
        Assert.True(JsonNode.DeepEquals(new JsonObject { ["people"] = new JsonArray(expectedPerson), ["matches"] = 1, ["asOfSequence"] = last }, found), found.ToJsonString());

        var lines = string.Join('\n',
            new JsonObject { ["idNumber"] = person.IdNumber, ["name"] = "王芳" }.ToJsonString(),
            new JsonObject { ["idNumber"] = person.IdNumber, ["name"] = "王芬" }.ToJsonString(),
            new JsonObject { ["idNumber"] = "320205", ["name"] = "王芳" }.ToJsonString()) + "\n";
        var (batchExit, batch) = await RunAsync([.. common, "batch-verify", .. purpose], lines);
        Assert.Equal(0, batchExit);
        var results = batch["results"]!.AsArray();
        Assert.Equal(["match", "no-match", null], results.Select(r => (string?)r!["outcome"]));
        Assert.Equal(["question.id-number"], results[2]!["problems"]!.AsArray().Select(p => (string?)p!["rule"]));
        Assert.Equal(last, (long)batch["asOfSequence"]!);

        // A refusal: the problem and its status printed, exit 2, nothing counted.
        var (refusedExit, refused) = await RunAsync([.. common, "verify", "--purpose", "tax-administration", "--case-reference", "PY-2", "--id-number", person.IdNumber, "--name", "王芳"]);
        Assert.Equal(2, refusedExit);
        Assert.Equal((403, "grant.purpose"), ((int)refused["status"]!, (string?)refused["problem"]!["rule"]));

        var (usageExit, usage) = await RunAsync([.. common, "usage"]);
        Assert.Equal(0, usageExit);
        Assert.Equal(("dept-pyclient", 5L, 50, 45L), ((string?)usage["clientId"], (long)usage["used"]!, (int)usage["dailyQuota"]!, (long)usage["remaining"]!));

        // What the client sent reached the audit: its end user and case reference, one row per item.
        var rows = await AuditRowsAsync(fixture, "pyclient");
        Assert.Equal(5, rows.Count);
        Assert.All(rows, r => Assert.Equal("clerk.wang", r.EndUser));
        Assert.Equal(["verify", "lookup", "batch-verify", "batch-verify", "batch-verify"], rows.Select(r => r.Operation));
    }

    private static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    // Runs the client; its exit code and the JSON it printed.
    private static async Task<(int ExitCode, JsonObject Output)> RunAsync(string[] arguments, string? input = null)
    {
        var script = Path.Combine(RepositoryRoot.Path, "clients", "python", "popinfo_sharing.py");
        using var python = Process.Start(new ProcessStartInfo("/usr/bin/python3", [script, .. arguments])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = new System.Text.UTF8Encoding(false),
            StandardOutputEncoding = System.Text.Encoding.UTF8,
            Environment = { ["PYTHONIOENCODING"] = "utf-8" },
        })!;
        if (input is not null)
        {
            await python.StandardInput.WriteAsync(input);
        }

        python.StandardInput.Close();
        var output = python.StandardOutput.ReadToEndAsync();
        var errors = python.StandardError.ReadToEndAsync();
        await python.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        var text = await output;
        return JsonNode.Parse(text) is JsonObject json
            ? (python.ExitCode, json)
            : throw new InvalidOperationException($"exit {python.ExitCode}, printed '{text}': {await errors}");
    }
}
