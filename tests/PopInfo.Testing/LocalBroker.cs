using System.Diagnostics;

namespace PopInfo.Testing;

/// <summary>The local RabbitMQ started by test.sh, driven with rabbitmqctl (the end-to-end tests stop and start it).</summary>
public static class LocalBroker
{
    /// <summary>Runs <c>rabbitmqctl -q command</c>; throws with rabbitmqctl's error when it fails.</summary>
    public static async Task RabbitMqCtlAsync(string command)
    {
        using var process = Process.Start(new ProcessStartInfo("rabbitmqctl", ["-q", command])
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
