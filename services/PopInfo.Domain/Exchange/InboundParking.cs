namespace PopInfo.Domain.Exchange;

/// <summary>
/// A department's AMQP push that cannot be processed is parked — moved, as it was sent, to its parking queue
/// (<see cref="DepartmentTopology.ParkingQueue"/>) with headers saying why — instead of being dropped. These are the
/// rules that park a message besides the push's own (<c>json.format</c>, <c>required</c>, <c>inbound.batch-size</c>,
/// <c>department.active</c>, and a record's rule when the record cannot even be stored as refused), and the headers.
/// </summary>
public static class InboundParking
{
    /// <summary>The largest message taken (16 MiB): a push of 1000 records of the longest kind, every text at its 200-character limit, fits.</summary>
    public const int MaxMessageBytes = 16 * 1024 * 1024;

    /// <summary>The message is larger than <see cref="MaxMessageBytes"/>; it is not read.</summary>
    public const string MessageSizeRule = "inbound.message-size";

    /// <summary>The message came through no department's inbound exchange, or one of a department that does not exist.</summary>
    public const string DepartmentUnknownRule = "inbound.department-unknown";

    /// <summary>Processing failed in a way that would fail again on every delivery (the error's type is in the reason).</summary>
    public const string UnprocessableRule = "inbound.unprocessable";

    /// <summary>The rule that parked it.</summary>
    public const string RuleHeader = "x-popinfo-parked-rule";

    /// <summary>The field the rule concerns (<c>records</c>, <c>records[3].recordId</c>), when it concerns one.</summary>
    public const string FieldHeader = "x-popinfo-parked-field";

    /// <summary>Why, in words: never the message's content.</summary>
    public const string ReasonHeader = "x-popinfo-parked-reason";

    /// <summary>When it was parked (RFC 3339, UTC).</summary>
    public const string ParkedAtHeader = "x-popinfo-parked-at";

    /// <summary>The exchange it was published to.</summary>
    public const string ExchangeHeader = "x-popinfo-parked-exchange";

    /// <summary>Whether a message of this many bytes is read at all.</summary>
    public static bool TooLarge(long bytes) => bytes > MaxMessageBytes;

    /// <summary>
    /// The queue a message is parked in: its department's own when the department exists, else the platform's (which
    /// only the administrator sees) — a code taken from an exchange name is not proof that the department exists.
    /// </summary>
    public static string QueueFor(string? departmentCode, bool departmentExists) =>
        departmentCode is not null && departmentExists ? DepartmentTopology.ParkingQueue(departmentCode) : DepartmentTopology.PlatformParkingQueue;
}
