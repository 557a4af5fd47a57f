namespace PopInfo.ServiceDefaults.Security;

/// <summary>
/// The OAuth scopes of the platform, one per kind of access, and the claims PopInfo reads from a token.
/// A token's audience (<c>aud</c>) names the services it is for: <c>popinfo-{service}</c>.
/// </summary>
public static class PlatformScopes
{
    /// <summary>Read persons, households and the change feed of the register (platform services only).</summary>
    public const string RegistryRead = "registry.read";

    /// <summary>Send change commands to the register (platform services only).</summary>
    public const string RegistryWrite = "registry.write";

    /// <summary>
    /// Read who read one person in the register (its read audit) and that person's change-log sequences, for the person's
    /// access report: auditors, and the sharing service's client on an auditor's behalf. Opens no person's data.
    /// </summary>
    public const string RegistryAudit = "registry.audit";

    /// <summary>
    /// Read the register's data-quality counts per region (docs/data-quality.md): the monitoring service's client and
    /// operators. Counts only, no person.
    /// </summary>
    public const string RegistryQuality = "registry.quality";

    /// <summary>
    /// Read the persons a data-quality rule flags in one community: people of role collector (their community) or
    /// supervisor (their street's communities) only; the registry checks the role and region of the token.
    /// </summary>
    public const string RegistryQualityIssues = "registry.quality.issues";

    /// <summary>
    /// Read a service's operational status — positions, backlogs, lags, counts; never a person — for the monitoring
    /// service's client only (docs/monitoring.md). One per service, so each opens only that service's status endpoints.
    /// </summary>
    public const string RegistryMonitor = "registry.monitor";

    /// <summary>
    /// The exchange's operational status and facts for monitoring: every department's delivery figures (counts and lags),
    /// and per department and day the records supplied and deliveries acknowledged (counts only).
    /// </summary>
    public const string ExchangeMonitor = "exchange.monitor";

    /// <summary>The sharing service's operational status for monitoring: its read model's watermark and lag.</summary>
    public const string SharingMonitor = "sharing.monitor";

    /// <summary>The analytics service's operational status for monitoring: its projection's watermark and lag.</summary>
    public const string AnalyticsMonitor = "analytics.monitor";

    /// <summary>
    /// Read the desk's daily-clearing facts per community and day (counts only, no person): the monitoring service's
    /// client only, for timeliness and assessment (docs/monitoring.md).
    /// </summary>
    public const string CollectionMonitor = "collection.monitor";

    /// <summary>Manage people's accounts and clients at the identity provider (administrators).</summary>
    public const string IdentityAdmin = "identity.admin";

    /// <summary>
    /// Move the desk's existing accounts into the provider, password hashes kept (the collection service's client
    /// only, while the move lasts: <c>PopInfo:Identity:AccountImport</c> turns it off).
    /// </summary>
    public const string IdentityImport = "identity.import";

    /// <summary>Administer the exchange: departments, subscriptions, dead letters, held records (administrators).</summary>
    public const string ExchangeAdmin = "exchange.admin";

    /// <summary>Read which departments have a change (the desk's question to the exchange).</summary>
    public const string ExchangeStatus = "exchange.status";

    /// <summary>
    /// Read which departments received one person's changes (queue, webhook, feed), for the person's access report:
    /// auditors, and the sharing service's client on an auditor's behalf. Opens no event's content.
    /// </summary>
    public const string ExchangeAudit = "exchange.audit";

    /// <summary>A department at the exchange: its feed, its pushes, its own delivery status (department clients <c>dept-{code}</c>).</summary>
    public const string ExchangeDepartment = "exchange.department";

    /// <summary>Build and download aggregate population tables, indicators and series (planners).</summary>
    public const string AnalyticsRead = "analytics.read";

    /// <summary>Rebuild and reconcile the analytics projection (administrators).</summary>
    public const string AnalyticsAdmin = "analytics.admin";

    /// <summary>
    /// A department at the sharing service: verify and look up people within its grant, read its own grant and quota use
    /// (department clients <c>dept-{code}</c>; the grant is kept per client id).
    /// </summary>
    public const string SharingRead = "sharing.read";

    /// <summary>Administer the sharing service's grants and read their change trail (administrators).</summary>
    public const string SharingAdmin = "sharing.admin";

    /// <summary>Make a person's access report at the sharing service, on the person's request (auditors).</summary>
    public const string SharingAudit = "sharing.audit";

    /// <summary>
    /// Search a service's audit trail (every person, actor and action within a bounded time range) and verify its audit
    /// chains, on an auditor's behalf (docs/monitoring.md, "Audit search"): the monitoring service's client only, one scope
    /// per service. Opens ids, times, actors, actions and purposes, never a person's fields.
    /// </summary>
    public const string RegistryAuditSearch = "registry.audit-search";

    /// <inheritdoc cref="RegistryAuditSearch"/>
    public const string CollectionAuditSearch = "collection.audit-search";

    /// <inheritdoc cref="RegistryAuditSearch"/>
    public const string ExchangeAuditSearch = "exchange.audit-search";

    /// <inheritdoc cref="RegistryAuditSearch"/>
    public const string SharingAuditSearch = "sharing.audit-search";

    /// <summary>A department's client id: <c>dept-{code}</c>, the same department at every service.</summary>
    public static string DepartmentClientId(string code) => "dept-" + code;

    /// <summary>The department code of a department's client id, or null for any other client.</summary>
    public static string? DepartmentCodeOf(string? clientId) =>
        clientId is { Length: > 5 } && clientId.StartsWith("dept-", StringComparison.Ordinal) ? clientId[5..] : null;

    /// <summary>Every scope the platform's services know, with the service whose audience it opens.</summary>
    public static IReadOnlyDictionary<string, string> AudienceOf { get; } = new Dictionary<string, string>
    {
        [RegistryRead] = Audience("registry"),
        [RegistryWrite] = Audience("registry"),
        [RegistryAudit] = Audience("registry"),
        [RegistryQuality] = Audience("registry"),
        [RegistryQualityIssues] = Audience("registry"),
        [RegistryMonitor] = Audience("registry"),
        [ExchangeMonitor] = Audience("exchange"),
        [SharingMonitor] = Audience("sharing"),
        [AnalyticsMonitor] = Audience("analytics"),
        [CollectionMonitor] = Audience("collection"),
        [IdentityAdmin] = Audience("identity"),
        [IdentityImport] = Audience("identity"),
        [ExchangeAdmin] = Audience("exchange"),
        [ExchangeStatus] = Audience("exchange"),
        [ExchangeDepartment] = Audience("exchange"),
        [ExchangeAudit] = Audience("exchange"),
        [AnalyticsRead] = Audience("analytics"),
        [AnalyticsAdmin] = Audience("analytics"),
        [SharingRead] = Audience("sharing"),
        [SharingAdmin] = Audience("sharing"),
        [SharingAudit] = Audience("sharing"),
        [RegistryAuditSearch] = Audience("registry"),
        [CollectionAuditSearch] = Audience("collection"),
        [ExchangeAuditSearch] = Audience("exchange"),
        [SharingAuditSearch] = Audience("sharing"),
    };

    /// <summary>The audience value of a service's tokens.</summary>
    public static string Audience(string serviceName) => "popinfo-" + serviceName;
}

/// <summary>The claims a PopInfo token carries (RFC 9068 names where there is one).</summary>
public static class PlatformClaims
{
    public const string Subject = "sub";
    public const string ClientId = "client_id";

    /// <summary>Space-separated scopes (RFC 8693 §4.2); <c>scp</c> is read too (Entra ID).</summary>
    public const string Scope = "scope";

    public const string ScopeAlternative = "scp";

    /// <summary>A person's role: admin, collector, supervisor, planner, operator, auditor.</summary>
    public const string Role = "role";

    /// <summary>A person's region scope: a community code (collectors), a street code (supervisors).</summary>
    public const string Region = "region";

    public const string Name = "name";
}
