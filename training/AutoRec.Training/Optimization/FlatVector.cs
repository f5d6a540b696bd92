using System.Numerics.Tensors;

namespace AutoRec.Training.Optimization;

/// <summary>
/// The vector arithmetic of <see cref="Lbfgs"/> on flat float arrays (millions of parameters): TensorPrimitives
/// over chunks that the cores share, each chunk's sum widened to float64 before the chunks are added in a fixed
/// order, so a dot product over six million floats keeps its digits and gives the same bits whatever the timing.
/// </summary>
internal static class FlatVector
{
    // Small enough that a chunk of every operand stays in L2, large enough that the per-chunk overhead vanishes.
    private const int Chunk = 1 << 14;

    // Below this, one thread: starting a second costs more than it saves.
    private const int ParallelFrom = 1 << 18;

    /// <summary>a · b.</summary>
    public static double Dot(float[] a, float[] b)
    {
        CheckSameLength(a, b);
        return Sum(a.Length, (start, length) => TensorPrimitives.Dot(a.AsSpan(start, length), b.AsSpan(start, length)));
    }

    /// <summary>The largest |x_i|.</summary>
    public static double MaxMagnitude(float[] x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return x.Length == 0 ? 0 : Math.Abs(TensorPrimitives.MaxMagnitude(x));
    }

    /// <summary>Σ |x_i|.</summary>
    public static double SumOfMagnitudes(float[] x) =>
        Sum(x.Length, (start, length) => TensorPrimitives.SumOfMagnitudes(x.AsSpan(start, length)));

    /// <summary>y += alpha · x.</summary>
    public static void AddScaled(float[] y, double alpha, float[] x)
    {
        CheckSameLength(x, y);
        var a = (float)alpha;
        ForEachChunk(y.Length, (start, length) =>
            TensorPrimitives.MultiplyAdd(x.AsSpan(start, length), a, y.AsSpan(start, length), y.AsSpan(start, length)));
    }

    /// <summary>y += alpha · x, then returns y · z over the updated y, in one pass over memory.</summary>
    public static double AddScaledThenDot(float[] y, double alpha, float[] x, float[] z)
    {
        CheckSameLength(x, y);
        CheckSameLength(y, z);
        var a = (float)alpha;
        return Sum(y.Length, (start, length) =>
        {
            Span<float> target = y.AsSpan(start, length);
            TensorPrimitives.MultiplyAdd(x.AsSpan(start, length), a, target, target);
            return TensorPrimitives.Dot(target, z.AsSpan(start, length));
        });
    }

    /// <summary>destination = factor · x, then returns destination · z, in one pass over memory.</summary>
    public static double ScaleThenDot(float[] destination, double factor, float[] x, float[] z)
    {
        CheckSameLength(destination, x);
        CheckSameLength(x, z);
        var f = (float)factor;
        return Sum(x.Length, (start, length) =>
        {
            Span<float> target = destination.AsSpan(start, length);
            TensorPrimitives.Multiply(x.AsSpan(start, length), f, target);
            return TensorPrimitives.Dot(target, z.AsSpan(start, length));
        });
    }

    /// <summary>
    /// The curvature pair of one L-BFGS step in one pass: y = g − gPrevious and s = step · d, returning y · s and y · y.
    /// </summary>
    public static (double YS, double YY) CurvaturePair(float[] y, float[] s, float[] g, float[] gPrevious, double step, float[] d)
    {
        CheckSameLength(y, s);
        CheckSameLength(g, gPrevious);
        CheckSameLength(y, g);
        CheckSameLength(s, d);
        var t = (float)step;
        int chunks = (y.Length + Chunk - 1) / Chunk;
        var ys = new double[chunks];
        var yy = new double[chunks];
        ForEachChunk(y.Length, (start, length) =>
        {
            Span<float> ySpan = y.AsSpan(start, length);
            Span<float> sSpan = s.AsSpan(start, length);
            TensorPrimitives.Subtract(g.AsSpan(start, length), gPrevious.AsSpan(start, length), ySpan);
            TensorPrimitives.Multiply(d.AsSpan(start, length), t, sSpan);
            ys[start / Chunk] = TensorPrimitives.Dot(ySpan, sSpan);
            yy[start / Chunk] = TensorPrimitives.Dot(ySpan, ySpan);
        });
        return (ys.Sum(), yy.Sum());
    }

    /// <summary>destination = start + t · direction.</summary>
    public static void Along(float[] destination, float[] start, double t, float[] direction)
    {
        CheckSameLength(destination, start);
        CheckSameLength(start, direction);
        var step = (float)t;
        ForEachChunk(destination.Length, (s, length) =>
            TensorPrimitives.MultiplyAdd(direction.AsSpan(s, length), step, start.AsSpan(s, length), destination.AsSpan(s, length)));
    }

    /// <summary>destination = factor · x.</summary>
    public static void Scale(float[] destination, double factor, float[] x)
    {
        CheckSameLength(destination, x);
        var f = (float)factor;
        ForEachChunk(x.Length, (start, length) => TensorPrimitives.Multiply(x.AsSpan(start, length), f, destination.AsSpan(start, length)));
    }

    /// <summary>destination = a − b.</summary>
    public static void Difference(float[] destination, float[] a, float[] b)
    {
        CheckSameLength(destination, a);
        CheckSameLength(a, b);
        ForEachChunk(a.Length, (start, length) =>
            TensorPrimitives.Subtract(a.AsSpan(start, length), b.AsSpan(start, length), destination.AsSpan(start, length)));
    }

    private static double Sum(int length, Func<int, int, float> chunkSum)
    {
        int chunks = (length + Chunk - 1) / Chunk;
        var sums = new double[chunks];
        ForEachChunk(length, (start, count) => sums[start / Chunk] = chunkSum(start, count));
        double total = 0;
        foreach (double s in sums)
        {
            total += s;
        }

        return total;
    }

    private static void ForEachChunk(int length, Action<int, int> body)
    {
        int chunks = (length + Chunk - 1) / Chunk;
        if (length < ParallelFrom)
        {
            for (int c = 0; c < chunks; c++)
            {
                int start = c * Chunk;
                body(start, Math.Min(Chunk, length - start));
            }

            return;
        }

        // Contiguous runs of chunks, one per core: each streams its own part of memory.
        int workers = Math.Min(Environment.ProcessorCount, chunks);
        Parallel.For(0, workers, w =>
        {
            int first = chunks * w / workers;
            int last = chunks * (w + 1) / workers;
            for (int c = first; c < last; c++)
            {
                int start = c * Chunk;
                body(start, Math.Min(Chunk, length - start));
            }
        });
    }

    private static void CheckSameLength(float[] a, float[] b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Length != b.Length)
        {
            throw new ArgumentException($"vectors of {a.Length} and {b.Length} floats");
        }
    }
}
