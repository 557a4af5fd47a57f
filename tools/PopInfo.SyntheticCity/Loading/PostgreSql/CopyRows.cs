using Npgsql;
using NpgsqlTypes;
using PopInfo.SyntheticCity.Generation;

namespace PopInfo.SyntheticCity.Loading.PostgreSql;

/// <summary>
/// The binary COPY of persons, person_history and households rows: the column lists and the writing of
/// one row. Person rows are what <c>PersonStore</c> keeps for a current version — its number, change type,
/// times, the searchable columns and the whole record as jsonb; history rows what it moves to
/// person_history when a version is superseded. The synchronous importer API is used because each writer
/// has a thread of its own; the async one costs a state machine per value.
/// </summary>
internal static class CopyRows
{
    public const string PersonColumns =
        "id, id_number, version, name, sex, birth_date, residence_type, status, residence_region_code, " +
        "registered_region_code, household_id, change_type, record, occurred_at, recorded_at";

    public const string HouseholdColumns = "id, number, address, region_code, created_at";

    public const string HistoryColumns = "person_id, version, change_type, record, occurred_at, recorded_at, superseded_at";

    public static string CopyPersons(string table) => $"COPY {table} ({PersonColumns}) FROM STDIN (FORMAT BINARY)";

    public static string CopyHouseholds(string table) => $"COPY {table} ({HouseholdColumns}) FROM STDIN (FORMAT BINARY)";

    public static string CopyHistory(string table) => $"COPY {table} ({HistoryColumns}) FROM STDIN (FORMAT BINARY)";

    public static void WritePerson(NpgsqlBinaryImporter writer, in CurrentRow row, ReadOnlyMemory<byte> json)
    {
        var p = row.Record;
        writer.StartRow();
        writer.Write(p.PersonId, NpgsqlDbType.Uuid);
        writer.Write(p.IdNumber, NpgsqlDbType.Text);
        writer.Write(row.Version, NpgsqlDbType.Integer);
        writer.Write(p.Name, NpgsqlDbType.Text);
        writer.Write(p.Sex, NpgsqlDbType.Text);
        writer.Write(p.BirthDate, NpgsqlDbType.Date);
        writer.Write(p.ResidenceType, NpgsqlDbType.Text);
        writer.Write(p.Status, NpgsqlDbType.Text);
        WriteText(writer, p.ResidenceRegionCode);
        WriteText(writer, p.RegisteredRegionCode);
        if (p.HouseholdId is { } household)
        {
            writer.Write(household, NpgsqlDbType.Uuid);
        }
        else
        {
            writer.WriteNull();
        }

        writer.Write(row.ChangeType, NpgsqlDbType.Text);
        writer.Write(json, NpgsqlDbType.Jsonb);
        writer.Write(row.OccurredAt.UtcDateTime, NpgsqlDbType.TimestampTz);
        writer.Write(row.RecordedAt.UtcDateTime, NpgsqlDbType.TimestampTz);
    }

    public static void WriteHistory(NpgsqlBinaryImporter writer, in HistoryRow row, ReadOnlyMemory<byte> json)
    {
        writer.StartRow();
        writer.Write(row.PersonId, NpgsqlDbType.Uuid);
        writer.Write(row.Version, NpgsqlDbType.Integer);
        writer.Write(row.ChangeType, NpgsqlDbType.Text);
        writer.Write(json, NpgsqlDbType.Jsonb);
        writer.Write(row.OccurredAt.UtcDateTime, NpgsqlDbType.TimestampTz);
        writer.Write(row.RecordedAt.UtcDateTime, NpgsqlDbType.TimestampTz);
        writer.Write(row.SupersededAt.UtcDateTime, NpgsqlDbType.TimestampTz);
    }

    public static void WriteHousehold(NpgsqlBinaryImporter writer, HouseholdRow row)
    {
        var h = row.Household;
        writer.StartRow();
        writer.Write(h.Id, NpgsqlDbType.Uuid);
        writer.Write(h.Number, NpgsqlDbType.Text);
        writer.Write(h.Address, NpgsqlDbType.Text);
        writer.Write(h.RegionCode, NpgsqlDbType.Text);
        writer.Write(row.CreatedAt.UtcDateTime, NpgsqlDbType.TimestampTz);
    }

    private static void WriteText(NpgsqlBinaryImporter writer, string? value)
    {
        if (value is null)
        {
            writer.WriteNull();
        }
        else
        {
            writer.Write(value, NpgsqlDbType.Text);
        }
    }
}
