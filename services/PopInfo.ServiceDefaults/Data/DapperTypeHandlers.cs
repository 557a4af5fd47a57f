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
        SqlMapper.AddTypeHandler(new DateOnlyHandler());
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

    /// <summary>A date as either product returns it (SQLite: 'yyyy-MM-dd' text; PostgreSQL's date as DateTime or DateOnly).</summary>
    public static DateOnly ToDateOnly(object value) => value switch
    {
        DateOnly d => d,
        DateTime d => DateOnly.FromDateTime(d),
        string s => DateOnly.Parse(s, CultureInfo.InvariantCulture),
        _ => throw new DataException($"Cannot read a DateOnly from {value.GetType().Name}."),
    };

    private sealed class DateOnlyHandler : SqlMapper.TypeHandler<DateOnly>
    {
        public override void SetValue(IDbDataParameter parameter, DateOnly value) => parameter.Value = value;

        public override DateOnly Parse(object value) => ToDateOnly(value);
    }

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
