using PopInfo.ServiceDefaults.Outcomes;

namespace PopInfo.Sharing.Grants;

/// <summary>
/// Which version of a grant a change is meant for: <c>If-Match</c> (a version, or <c>*</c> for "whichever exists";
/// <see cref="Unreadable"/> when the header names no version of ours), or <c>expectedVersion</c> in the body or query.
/// </summary>
public sealed record GrantVersionCheck(int? IfMatch, bool IfMatchAny, bool Unreadable, int? ExpectedVersion)
{
    public static readonly GrantVersionCheck None = new(null, false, false, null);

    public bool Given => IfMatch is not null || IfMatchAny || Unreadable || ExpectedVersion is not null;

    /// <summary>Reads an <c>If-Match</c> header of ETags <c>"{version}"</c> (weak ones too, they name the same version).</summary>
    public static GrantVersionCheck From(string? ifMatch, int? expectedVersion)
    {
        if (string.IsNullOrWhiteSpace(ifMatch))
        {
            return new(null, false, false, expectedVersion);
        }

        var tag = ifMatch.Trim();
        if (tag == "*")
        {
            return new(null, true, false, expectedVersion);
        }

        if (tag.StartsWith("W/", StringComparison.Ordinal))
        {
            tag = tag[2..];
        }

        return tag.Length > 2 && tag[0] == '"' && tag[^1] == '"' && int.TryParse(tag[1..^1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var version)
            ? new(version, false, false, expectedVersion)
            : new(null, false, true, expectedVersion);
    }

    /// <summary>The ETag of a version.</summary>
    public static string ETag(int version) => $"\"{version.ToString(System.Globalization.CultureInfo.InvariantCulture)}\"";

    /// <summary>Whether a change meant for this check may go ahead on <paramref name="current"/> (null: no grant yet); why not, if not.</summary>
    public (RefusalKind Failure, string Detail)? Refusal(GrantView? current, bool versionRequired)
    {
        if (Unreadable)
        {
            return (RefusalKind.PreconditionFailed, "If-Match names no version of this grant: send the ETag you read (\"<version>\").");
        }

        if ((IfMatch is not null || IfMatchAny) && current is null)
        {
            return (RefusalKind.PreconditionFailed, "If-Match was sent but there is no such grant.");
        }

        if (IfMatch is { } version && current is not null && version != current.Version)
        {
            return (RefusalKind.PreconditionFailed, $"If-Match names version {version} but the grant is at version {current.Version}. Read it again and resend.");
        }

        if (ExpectedVersion is { } expected && expected != (current?.Version ?? 0))
        {
            return (RefusalKind.VersionConflict, current is null
                ? $"expectedVersion was {expected} but there is no such grant."
                : $"expectedVersion was {expected} but the grant is at version {current.Version}. Read it again and resend.");
        }

        if (current is not null && versionRequired && !Given)
        {
            return (RefusalKind.PreconditionRequired, $"The grant exists (version {current.Version}): send If-Match with its ETag, or expectedVersion.");
        }

        return null;
    }
}
