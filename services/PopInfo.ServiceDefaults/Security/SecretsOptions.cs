namespace PopInfo.ServiceDefaults.Security;

/// <summary>
/// Settings of the stored secrets' protection, bound from <c>PopInfo:Secrets</c> (docs/security.md, "Secrets at rest").
/// </summary>
public sealed class SecretsOptions
{
    public const string Section = "PopInfo:Secrets";

    /// <summary>
    /// The master key file (base64 of 32 random bytes, readable only by the service's user) that protects the
    /// services' Data Protection key rings. Every instance of a service needs the same file. Without it, the
    /// embedded (SQLite) mode generates <c>&lt;DataDirectory&gt;/secrets-master.key</c> on its first start.
    /// </summary>
    public string? KeyFile { get; set; }

    /// <summary>
    /// Development only: on PostgreSQL, generate the master key into the data directory as the embedded mode does,
    /// instead of refusing to start without <see cref="KeyFile"/>. One machine's file cannot serve several machines.
    /// </summary>
    public bool AllowGeneratedKeyFile { get; set; }
}
