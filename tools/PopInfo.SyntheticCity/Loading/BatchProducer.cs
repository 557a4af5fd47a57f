using System.Threading.Channels;
using PopInfo.SyntheticCity.Generation;

namespace PopInfo.SyntheticCity.Loading;

/// <summary>
/// Runs the generator on a thread of its own and hands full batches to the consumers (the COPY
/// writers) through bounded channels, so generating the next batch overlaps writing the last one.
/// Batches come back through a pool once every consumer has released them, so memory stays flat
/// whatever the size of the city.
/// </summary>
internal sealed class BatchProducer
{
    public const int DefaultBatchSize = 4096;

    // Enough batches in flight to keep every consumer busy while the generator fills the next one.
    private const int BatchesInFlight = 8;

    private readonly Channel<PersonBatch> _pool = Channel.CreateUnbounded<PersonBatch>();
    private readonly int _batchSize;
    private int _created;

    public BatchProducer(int batchSize = DefaultBatchSize)
    {
        _batchSize = batchSize;
    }

    /// <summary>
    /// Generates the whole city with its history into <paramref name="outputs"/>: every batch goes to every
    /// output channel (e.g. persons, history and households writers), then each channel is completed. Blocks the thread.
    /// </summary>
    public void Run(CityHistory city, IReadOnlyList<ChannelWriter<PersonBatch>> outputs, CancellationToken ct)
    {
        try
        {
            var batch = Rent(ct);
            foreach (var unit in city.Units())
            {
                batch.Add(unit);
                if (batch.Living >= _batchSize)
                {
                    Publish(batch, outputs, ct);
                    batch = Rent(ct);
                }
            }

            if (batch.Count > 0)
            {
                Publish(batch, outputs, ct);
            }

            foreach (var output in outputs)
            {
                output.TryComplete();
            }
        }
        catch (Exception ex)
        {
            foreach (var output in outputs)
            {
                output.TryComplete(ex);
            }

            throw;
        }
    }

    /// <summary>Consumers call this when done with a batch; the last one returns it to the pool.</summary>
    public void Return(PersonBatch batch)
    {
        if (batch.Release())
        {
            batch.Clear();
            _pool.Writer.TryWrite(batch);
        }
    }

    /// <summary>Creates the output channels, bounded so generation never runs far ahead of the database.</summary>
    public static Channel<PersonBatch> CreateChannel() =>
        Channel.CreateBounded<PersonBatch>(new BoundedChannelOptions(BatchesInFlight) { SingleWriter = true });

    private static void Publish(PersonBatch batch, IReadOnlyList<ChannelWriter<PersonBatch>> outputs, CancellationToken ct)
    {
        batch.Hold(outputs.Count);
        foreach (var output in outputs)
        {
            while (!output.TryWrite(batch))
            {
                if (!output.WaitToWriteAsync(ct).AsTask().GetAwaiter().GetResult())
                {
                    throw new InvalidOperationException("A consumer stopped before the city was complete.");
                }
            }
        }
    }

    private PersonBatch Rent(CancellationToken ct)
    {
        if (_pool.Reader.TryRead(out var batch))
        {
            return batch;
        }

        // Allow a few more batches than channel slots before waiting for one to come back.
        if (_created < (BatchesInFlight * 2) + 4)
        {
            _created++;
            return new PersonBatch();
        }

        return _pool.Reader.ReadAsync(ct).AsTask().GetAwaiter().GetResult();
    }
}
