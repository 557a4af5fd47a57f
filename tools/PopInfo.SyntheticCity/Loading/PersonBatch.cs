using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using PopInfo.Contracts;
using PopInfo.Contracts.Registry;
using PopInfo.SyntheticCity.Generation;

namespace PopInfo.SyntheticCity.Loading;

/// <summary>
/// A few thousand generated people with their records already serialised as UTF-8 JSON (the register's
/// conventions, <see cref="Json.Options"/>), and the households they belong to. The JSON goes into one
/// reused buffer: serialising to UTF-8 costs about a third of serialising to a .NET string here, and no
/// per-record array is allocated. Batches are pooled; each consumer releases its hold when done.
/// </summary>
[SuppressMessage("Design", "CA1001", Justification = "A Utf8JsonWriter over an ArrayBufferWriter holds no unmanaged resource: Dispose would only flush, which Add already does.")]
internal sealed class PersonBatch
{
    private readonly ArrayBufferWriter<byte> _json = new(4 * 1024 * 1024);
    private readonly List<int> _ends = [];
    private readonly Utf8JsonWriter _writer;
    private int _holders;

    public PersonBatch()
    {
        _writer = new Utf8JsonWriter(_json, new JsonWriterOptions { Encoder = Json.Options.Encoder, SkipValidation = true });
    }

    public List<GeneratedHousehold> Households { get; } = [];

    public List<PersonRecord> People { get; } = [];

    public int Count => People.Count;

    /// <summary>The record of person <paramref name="index"/> as UTF-8 JSON.</summary>
    public ReadOnlyMemory<byte> JsonOf(int index)
    {
        var start = index == 0 ? 0 : _ends[index - 1];
        return _json.WrittenMemory[start.._ends[index]];
    }

    public void Add(GeneratedHousehold household)
    {
        Households.Add(household);
        foreach (var person in household.Members)
        {
            JsonSerializer.Serialize(_writer, person, Json.Options);
            _writer.Flush();
            _writer.Reset();
            _ends.Add(_json.WrittenCount);
            People.Add(person);
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
        _ends.Clear();
        _json.ResetWrittenCount();
        _writer.Reset(_json);
    }
}
