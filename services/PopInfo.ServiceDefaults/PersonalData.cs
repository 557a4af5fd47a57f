using System.Text.RegularExpressions;

namespace PopInfo.ServiceDefaults;

/// <summary>Keeps identity numbers out of what the platform records about its own calls (traces, logs).</summary>
public static partial class PersonalData
{
    /// <summary>The URI without its query and with every identity-number-shaped path segment replaced by <c>{idNumber}</c>.</summary>
    public static string? RedactUri(Uri? uri) =>
        uri is null ? null : IdNumberSegment().Replace(uri.GetLeftPart(UriPartial.Path), "/{idNumber}");

    // 18 characters (17 digits and a digit or X) or the old 15 digits, as a whole path segment.
    [GeneratedRegex(@"/(\d{17}[\dXx]|\d{15})(?=/|$)")]
    private static partial Regex IdNumberSegment();
}
