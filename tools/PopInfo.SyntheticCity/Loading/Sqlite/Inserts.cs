using Microsoft.Data.Sqlite;

namespace PopInfo.SyntheticCity.Loading.Sqlite;

/// <summary>One prepared INSERT into persons, reused for every row: only the parameter values change.</summary>
internal sealed class PersonInsert : IDisposable
{
    private readonly SqliteCommand _command;
    private readonly SqliteParameter[] _p;

    public PersonInsert(SqliteConnection connection, SqliteTransaction transaction)
    {
        _command = connection.CreateCommand();
        _command.Transaction = transaction;
        _command.CommandText = """
            INSERT INTO persons (id, id_number, version, name, sex, birth_date, residence_type, status, residence_region_code,
                                 registered_region_code, household_id, change_type, record, occurred_at, recorded_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
            """;
        _p = new SqliteParameter[15];
        for (var i = 0; i < _p.Length; i++)
        {
            _p[i] = _command.Parameters.Add(new SqliteParameter("$" + (i + 1), null));
        }

        _command.Prepare();
    }

    public void Execute(in CurrentRow row, string json)
    {
        var p = row.Record;
        _p[0].Value = p.PersonId;
        _p[1].Value = p.IdNumber;
        _p[2].Value = row.Version;
        _p[3].Value = p.Name;
        _p[4].Value = p.Sex;
        _p[5].Value = p.BirthDate;
        _p[6].Value = p.ResidenceType;
        _p[7].Value = p.Status;
        _p[8].Value = (object?)p.ResidenceRegionCode ?? DBNull.Value;
        _p[9].Value = (object?)p.RegisteredRegionCode ?? DBNull.Value;
        _p[10].Value = p.HouseholdId is { } household ? household : DBNull.Value;
        _p[11].Value = row.ChangeType;
        _p[12].Value = json;
        _p[13].Value = row.OccurredAt;
        _p[14].Value = row.RecordedAt;
        _command.ExecuteNonQuery();
    }

    public void Dispose() => _command.Dispose();
}

/// <summary>One prepared INSERT into person_history.</summary>
internal sealed class HistoryInsert : IDisposable
{
    private readonly SqliteCommand _command;
    private readonly SqliteParameter[] _p;

    public HistoryInsert(SqliteConnection connection, SqliteTransaction transaction)
    {
        _command = connection.CreateCommand();
        _command.Transaction = transaction;
        _command.CommandText = """
            INSERT INTO person_history (person_id, version, change_type, record, occurred_at, recorded_at, superseded_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7)
            """;
        _p = new SqliteParameter[7];
        for (var i = 0; i < _p.Length; i++)
        {
            _p[i] = _command.Parameters.Add(new SqliteParameter("$" + (i + 1), null));
        }

        _command.Prepare();
    }

    public void Execute(in HistoryRow row, string json)
    {
        _p[0].Value = row.PersonId;
        _p[1].Value = row.Version;
        _p[2].Value = row.ChangeType;
        _p[3].Value = json;
        _p[4].Value = row.OccurredAt;
        _p[5].Value = row.RecordedAt;
        _p[6].Value = row.SupersededAt;
        _command.ExecuteNonQuery();
    }

    public void Dispose() => _command.Dispose();
}

/// <summary>One prepared INSERT into households.</summary>
internal sealed class HouseholdInsert : IDisposable
{
    private readonly SqliteCommand _command;
    private readonly SqliteParameter[] _p;

    public HouseholdInsert(SqliteConnection connection, SqliteTransaction transaction)
    {
        _command = connection.CreateCommand();
        _command.Transaction = transaction;
        _command.CommandText = "INSERT INTO households (id, number, address, region_code, created_at) VALUES ($1, $2, $3, $4, $5)";
        _p = new SqliteParameter[5];
        for (var i = 0; i < _p.Length; i++)
        {
            _p[i] = _command.Parameters.Add(new SqliteParameter("$" + (i + 1), null));
        }

        _command.Prepare();
    }

    public void Execute(Guid id, string number, string address, string regionCode, DateTimeOffset createdAt)
    {
        _p[0].Value = id;
        _p[1].Value = number;
        _p[2].Value = address;
        _p[3].Value = regionCode;
        _p[4].Value = createdAt;
        _command.ExecuteNonQuery();
    }

    public void Dispose() => _command.Dispose();
}
