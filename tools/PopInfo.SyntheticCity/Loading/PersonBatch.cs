using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using PopInfo.Contracts;
using PopInfo.Contracts.Registry;
using PopInfo.SyntheticCity.Generation;

namespace PopInfo.SyntheticCity.Loading;

/// <summary>A row of <c>persons</c>: a person's current version.</summary>
internal readonly record struct CurrentRow(PersonRecord Record, int Version, string ChangeType, DateTimeOffset OccurredAt, DateTimeOffset RecordedAt);

/// <summary>A row of <c>person_history</c>: a superseded version, superseded when the next one was recorded.</summary>
internal readonly record struct HistoryRow(Guid PersonId, int Version, string ChangeType, DateTimeOffset OccurredAt, DateTimeOffset RecordedAt, DateTimeOffset SupersededAt);

/// <summary>
/// A few thousand generated people — each person's current row and superseded versions — with every
/// record already serialised as UTF-8 JSON (the register's conventions, <see cref="Json.Options"/>), and
/// the households they belong to. The JSON goes into reused buffers: serialising to UTF-8 costs about a
/// third of serialising to a .NET string here, and no per-record array is allocated. Batches are pooled;
/// each consumer releases its hold when done.
/// </summary>
[SuppressMessage("Design", "CA1001", Justification = "A Utf8JsonWriter over an ArrayBufferWriter holds no unmanaged resource: Dispose would only flush, which Add already does.")]
internal sealed class PersonBatch
{
    private readonly JsonRows _current = new();
    private readonly JsonRows _history = new();
    private int _holders;

    public List<HouseholdRow> Households { get; } = [];

    /// <summary>The rows of <c>persons</c>: the living city's people, then those who are no longer there.</summary>
    public List<CurrentRow> People { get; } = [];

    /// <summary>The rows of <c>person_history</c>.</summary>
    public List<HistoryRow> History { get; } = [];

    /// <summary>How many of <see cref="People"/> are the living city's (the rest left or died before the reference date).</summary>
    public int Living { get; private set; }

    public int Count => People.Count;

    /// <summary>The record of person <paramref name="index"/> as UTF-8 JSON.</summary>
    public ReadOnlyMemory<byte> JsonOf(int index) => _current.Of(index);

    /// <summary>The record of history row <paramref name="index"/> as UTF-8 JSON.</summary>
    public ReadOnlyMemory<byte> HistoryJsonOf(int index) => _history.Of(index);

    public void Add(CityUnit unit)
    {
        Households.AddRange(unit.Households);
        Living += unit.Household.Members.Length;
        foreach (var person in unit.People)
        {
            var versions = person.Versions;
            for (var v = 0; v < versions.Count - 1; v++)
            {
                var version = versions[v];
                _history.Add(version.Record);
                History.Add(new HistoryRow(version.Record.PersonId, v + 1, version.ChangeType, version.OccurredAt, version.RecordedAt, versions[v + 1].RecordedAt));
            }

            var current = person.Current;
            _current.Add(current.Record);
            People.Add(new CurrentRow(current.Record, versions.Count, current.ChangeType, current.OccurredAt, current.RecordedAt));
        }
    }

    /// <summary>Readies the batch for <paramref name="holders"/> consumers.</summary>
    public void Hold(int holders) => _holders = holders;

    /// <summary>True when the last holder has released the batch, which may then be reused.</summary>
    public bool Release() => Interlocked.Decrement(ref _holders) == 0;

    public void Clear()
    {
        Households.Clear();
        People.Clear();
        History.Clear();
        Living = 0;
        _current.Clear();
        _history.Clear();
    }

    /// <summary>Records serialised one after another into one buffer, with where each ends.</summary>
    private sealed class JsonRows
    {
        private readonly ArrayBufferWriter<byte> _json = new(4 * 1024 * 1024);
        private readonly List<int> _ends = [];
        private readonly Utf8JsonWriter _writer;

        public JsonRows()
        {
            _writer = new Utf8JsonWriter(_json, new JsonWriterOptions { Encoder = Json.Options.Encoder, SkipValidation = true });
        }

        public ReadOnlyMemory<byte> Of(int index)
        {
            var start = index == 0 ? 0 : _ends[index - 1];
            return _json.WrittenMemory[start.._ends[index]];
        }

        public void Add(PersonRecord record)
        {
            JsonSerializer.Serialize(_writer, record, Json.Options);
            _writer.Flush();
            _writer.Reset();
            _ends.Add(_json.WrittenCount);
        }

        public void Clear()
        {
            _ends.Clear();
            _json.ResetWrittenCount();
            _writer.Reset(_json);
        }
    }
}
