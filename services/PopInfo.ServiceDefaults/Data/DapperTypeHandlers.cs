using System.Data;
using System.Globalization;
using Dapper;

namespace PopInfo.ServiceDefaults.Data;

/// <summary>
/// Lets the same Dapper code read both products: SQLite returns Guids and times as TEXT (or a Guid
/// as a BLOB, if written so), PostgreSQL returns uuid and timestamptz natively. Values are written
/// unchanged, but for times, which go in as UTC.
/// </summary>
public static class DapperTypeHandlers
{
    private static int registered;

    public static void Register()
    {
        if (Interlocked.Exchange(ref registered, 1) == 1)
        {
            return;
        }

        SqlMapper.AddTypeHandler(new GuidHandler());
        SqlMapper.AddTypeHandler(new DateTimeOffsetHandler());
    }

    /// <summary>A Guid as either product returns it.</summary>
    public static Guid ToGuid(object value) => value switch
    {
        Guid g => g,
        byte[] b => new Guid(b),
        string s => Guid.Parse(s),
        _ => throw new DataException($"Cannot read a Guid from {value.GetType().Name}."),
    };

    /// <summary>A time as either product returns it.</summary>
    public static DateTimeOffset ToDateTimeOffset(object value) => value switch
    {
        DateTimeOffset d => d,
        DateTime d => new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc)),
        string s => DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
        _ => throw new DataException($"Cannot read a DateTimeOffset from {value.GetType().Name}."),
    };

    private sealed class GuidHandler : SqlMapper.TypeHandler<Guid>
    {
        public override void SetValue(IDbDataParameter parameter, Guid value) => parameter.Value = value;

        public override Guid Parse(object value) => ToGuid(value);
    }

    private sealed class DateTimeOffsetHandler : SqlMapper.TypeHandler<DateTimeOffset>
    {
        // Npgsql writes timestamptz only from UTC values.
        public override void SetValue(IDbDataParameter parameter, DateTimeOffset value) => parameter.Value = value.ToUniversalTime();

        public override DateTimeOffset Parse(object value) => ToDateTimeOffset(value);
    }
}
