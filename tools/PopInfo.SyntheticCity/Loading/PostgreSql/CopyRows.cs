using Npgsql;
using NpgsqlTypes;
using PopInfo.Contracts.Registry;
using PopInfo.SyntheticCity.Generation;

namespace PopInfo.SyntheticCity.Loading.PostgreSql;

/// <summary>
/// The binary COPY of persons and households rows: the column lists and the writing of one row. Person
/// rows are what <c>PersonStore.InsertPersonAsync</c> writes for a first version: version 1, change type
/// "registered", the searchable columns and the whole record as jsonb. The synchronous importer API is
/// used because each writer has a thread of its own; the async one costs a state machine per value.
/// </summary>
internal static class CopyRows
{
    public const string PersonColumns =
        "id, id_number, version, name, sex, birth_date, residence_type, status, residence_region_code, " +
        "registered_region_code, household_id, change_type, record, occurred_at, recorded_at";

    public const string HouseholdColumns = "id, number, address, region_code, created_at";

    public static string CopyPersons(string table) => $"COPY {table} ({PersonColumns}) FROM STDIN (FORMAT BINARY)";

    public static string CopyHouseholds(string table) => $"COPY {table} ({HouseholdColumns}) FROM STDIN (FORMAT BINARY)";

    public static void WritePerson(NpgsqlBinaryImporter writer, PersonRecord p, ReadOnlyMemory<byte> json, DateTime loadedAtUtc)
    {
        writer.StartRow();
        writer.Write(p.PersonId, NpgsqlDbType.Uuid);
        writer.Write(p.IdNumber, NpgsqlDbType.Text);
        writer.Write(1, NpgsqlDbType.Integer);
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

        writer.Write(ChangeTypes.Registered, NpgsqlDbType.Text);
        writer.Write(json, NpgsqlDbType.Jsonb);
        writer.Write(loadedAtUtc, NpgsqlDbType.TimestampTz);
        writer.Write(loadedAtUtc, NpgsqlDbType.TimestampTz);
    }

    public static void WriteHousehold(NpgsqlBinaryImporter writer, GeneratedHousehold h, DateTime loadedAtUtc)
    {
        writer.StartRow();
        writer.Write(h.Id, NpgsqlDbType.Uuid);
        writer.Write(h.Number, NpgsqlDbType.Text);
        writer.Write(h.Address, NpgsqlDbType.Text);
        writer.Write(h.RegionCode, NpgsqlDbType.Text);
        writer.Write(loadedAtUtc, NpgsqlDbType.TimestampTz);
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
