using PopInfo.Domain.Identity;

namespace PopInfo.BrowserTests;

/// <summary>
/// Identity numbers for the children the browser tests register: distinct within the test run (a shared counter over
/// the sequence numbers, from a random start so that runs differ), where drawing each at random let two tests in one
/// host pick the same number and the second be refused as a duplicate.
/// </summary>
internal static class ChildNumbers
{
    private static int next = Random.Shared.Next(0, 499);

    /// <summary>A new number in <paramref name="community"/>'s district for a child born on <paramref name="birth"/> (even sequence: a girl).</summary>
    public static string Next(string community, DateOnly birth, bool girl)
    {
        var n = Interlocked.Increment(ref next) % 499;
        return IdentityNumber.Create(community[..6], birth, (n * 2) + (girl ? 2 : 1));
    }
}
