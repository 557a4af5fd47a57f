namespace PopInfo.Exchange.Departments;

/// <summary>A bureau connected to the exchange, as the administrator sees it (secrets are never shown again).</summary>
public sealed record Department(
    string Code, string Name, string Contact, string Status, IReadOnlyList<string> InboundKinds, string? WebhookUrl,
    string? AmqpUser, string? Queue, long LastSequence, int Version, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>What a department is entitled to receive, and why.</summary>
public sealed record Subscription(
    Guid Id, string DepartmentCode, IReadOnlyList<string> ChangeTypes, IReadOnlyList<string> Regions, IReadOnlyList<string> Fields,
    string Purpose, string Status, int Version, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public static class DepartmentStatus
{
    public const string Active = "active";
    public const string Suspended = "suspended";
}

public static class SubscriptionStatus
{
    public const string Active = "active";
    public const string Ended = "ended";
}

public sealed record CreateDepartmentRequest(string? Code, string? Name, string? Contact, string? WebhookUrl, IReadOnlyList<string>? InboundKinds);

/// <summary>A partial update: absent fields stay as they are; <c>webhookUrl: ""</c> removes the webhook.</summary>
public sealed record UpdateDepartmentRequest(
    int? ExpectedVersion, string? Name, string? Contact, string? WebhookUrl, IReadOnlyList<string>? InboundKinds, string? Status);

public sealed record SubscriptionRequest(
    IReadOnlyList<string>? ChangeTypes, IReadOnlyList<string>? Regions, IReadOnlyList<string>? Fields, string? Purpose, int? ExpectedVersion);

/// <summary>Handed out once: at creation, or when one kind is rotated (the others are then null).</summary>
public sealed record DepartmentCredentials(string? ApiKey, AmqpCredentials? Amqp, string? WebhookSecret);

public sealed record AmqpCredentials(string User, string Password, string Queue, string InboundExchange);

public sealed record CreatedDepartment(Department Department, DepartmentCredentials Credentials);
