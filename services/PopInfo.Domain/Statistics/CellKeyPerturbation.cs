namespace PopInfo.Domain.Statistics;

/// <summary>
/// The cell-key method of statistical disclosure control (as in the table builders of the Australian Bureau of
/// Statistics and the ONS): every record carries a secret, uniformly random record key; a cell's key is the sum of
/// its contributors' record keys modulo 2³²; the published value is the true count plus a noise read from a fixed
/// table at (count, cell key). The same contributors always give the same key, so the same cell is published with
/// the same value in every table and on every repetition (asking again reveals nothing), and any two cells that
/// differ in even one contributor get independent noise. docs/analytics.md states what it guarantees and what not.
/// </summary>
/// <remarks>
/// The perturbation table, for threshold T and largest noise D:
/// <list type="bullet">
/// <item>0 stays 0 (a cell without contributors has no key);</item>
/// <item>1 … T−1 (small cells) become 0 with probability 1 − n/T and T with probability n/T: unbiased, and no small value is ever published;</item>
/// <item>n ≥ T gets a noise e in −m … +m, m = min(D, n − T), with weights ∝ exp(−e²/2σ²): unbiased, symmetric, and never below T.</item>
/// </list>
/// </remarks>
public sealed class CellKeyPerturbation
{
    /// <summary>The default threshold: counts below it are small cells.</summary>
    public const int DefaultThreshold = 5;

    /// <summary>The default largest noise.</summary>
    public const int DefaultMaxNoise = 4;

    /// <summary>The default spread of the noise's weights (its variance is about 3.4 for large counts).</summary>
    public const double DefaultSigma = 2.0;

    private readonly double[][] cumulative; // by count 0 … T + D (larger counts use the last row): cumulative probabilities
    private readonly int[][] values;        // the noise each column adds

    public CellKeyPerturbation(int threshold = DefaultThreshold, int maxNoise = DefaultMaxNoise, double sigma = DefaultSigma)
    {
        if (threshold < 1 || maxNoise < 0 || sigma <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(threshold), "threshold ≥ 1, maxNoise ≥ 0, sigma > 0.");
        }

        Threshold = threshold;
        MaxNoise = maxNoise;
        Sigma = sigma;
        var rows = threshold + maxNoise + 1;
        cumulative = new double[rows][];
        values = new int[rows][];
        for (var n = 0; n < rows; n++)
        {
            (values[n], var weights) = Distribution(n);
            var total = weights.Sum();
            var sum = 0.0;
            cumulative[n] = [.. weights.Select(w => sum += w / total)];
            cumulative[n][^1] = 1.0;
        }
    }

    public int Threshold { get; }

    public int MaxNoise { get; }

    public double Sigma { get; }

    /// <summary>The published value of a cell with <paramref name="count"/> contributors whose record keys sum to <paramref name="cellKey"/> (mod 2³²).</summary>
    public long Publish(long count, uint cellKey)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var row = (int)Math.Min(count, cumulative.Length - 1);
        var u = cellKey / 4294967296.0;
        var cdf = cumulative[row];
        var column = 0;
        while (column < cdf.Length - 1 && u >= cdf[column])
        {
            column++;
        }

        return count + values[row][column];
    }

    /// <summary>The possible noises for a true count and their probabilities (for documentation and tests).</summary>
    public IReadOnlyList<(int Noise, double Probability)> NoiseOf(long count)
    {
        var row = (int)Math.Min(count, cumulative.Length - 1);
        return [.. values[row].Select((v, i) => (v, cumulative[row][i] - (i == 0 ? 0 : cumulative[row][i - 1])))];
    }

    /// <summary>The variance of the noise added to large counts.</summary>
    public double LargeCountVariance => NoiseOf(Threshold + MaxNoise).Sum(p => p.Probability * p.Noise * p.Noise);

    private (int[] Noise, double[] Weights) Distribution(int n)
    {
        if (n == 0)
        {
            return ([0], [1.0]);
        }

        if (n < Threshold)
        {
            return ([-n, Threshold - n], [1.0 - (double)n / Threshold, (double)n / Threshold]);
        }

        var m = Math.Min(MaxNoise, n - Threshold);
        var noise = Enumerable.Range(-m, 2 * m + 1).ToArray();
        return (noise, [.. noise.Select(e => Math.Exp(-e * e / (2 * Sigma * Sigma)))]);
    }
}
