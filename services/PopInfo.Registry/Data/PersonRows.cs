using System.Text.Json;
using PopInfo.Contracts;
using PopInfo.Contracts.Registry;

namespace PopInfo.Registry.Data;

// Row shapes as Dapper reads them. Settable properties (not positional records) because Dapper then
// converts column types: SQLite answers INTEGER as Int64 where PostgreSQL answers Int32.
internal sealed class PersonVersionRow
{
    /// <summary>The select list that fills this row, from persons or person_history.</summary>
    public const string Columns = "record AS Record, version AS Version, change_type AS Change_Type, occurred_at AS Occurred_At, recorded_at AS Recorded_At";

    public string Record { get; init; } = "";
    public int Version { get; init; }
    public string Change_Type { get; init; } = "";
    public DateTimeOffset Occurred_At { get; init; }
    public DateTimeOffset Recorded_At { get; init; }

    public PersonVersion ToVersion() =>
        new(JsonSerializer.Deserialize<PersonRecord>(Record, Json.Options)!, Version, Change_Type, Occurred_At, Recorded_At);
}

internal sealed class StoredCommand
{
    /// <summary>The row of one command id (parameter <c>@commandId</c>).</summary>
    public const string ByIdSql =
        "SELECT command_type AS Command_Type, request_hash AS Request_Hash, status_code AS Status_Code, response AS Response FROM commands WHERE command_id = @commandId";

    public string Command_Type { get; init; } = "";
    public string Request_Hash { get; init; } = "";
    public int Status_Code { get; init; }
    public string Response { get; init; } = "";
}

/// <summary>A change-log entry as the relay and the feed read it: the event and the trace context it was applied in.</summary>
internal sealed class ChangeLogRow
{
    public const string Columns = "event AS Event, traceparent AS TraceParent, tracestate AS TraceState";

    public string Event { get; init; } = "";
    public string? TraceParent { get; init; }
    public string? TraceState { get; init; }

    public PersonChanged ToChange() =>
        JsonSerializer.Deserialize<PersonChanged>(Event, Json.Options)! with { TraceParent = TraceParent, TraceState = TraceState };
}
