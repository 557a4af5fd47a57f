using System.Diagnostics;

namespace PopInfo.Testing;

/// <summary>The local RabbitMQ started by test.sh, driven with rabbitmqctl (the end-to-end tests stop and start it).</summary>
public static class LocalBroker
{
    /// <summary>Runs <c>rabbitmqctl -q command</c>; throws with rabbitmqctl's error when it fails.</summary>
    public static Task RabbitMqCtlAsync(string command) => RunAsync(["-q", command]);

    /// <summary>Runs <c>rabbitmqctl -q -n node command</c> against one node of the test cluster (<see cref="TestCluster"/>).</summary>
    public static Task RabbitMqCtlAsync(string node, string command) => RunAsync(["-q", "-n", node, command]);

    private static async Task RunAsync(string[] arguments)
    {
        var command = string.Join(' ', arguments);
        using var process = Process.Start(new ProcessStartInfo("rabbitmqctl", arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"rabbitmqctl {command} failed: {await process.StandardError.ReadToEndAsync()}");
        }
    }
}
