using System.Numerics;
using System.Runtime.InteropServices;

namespace AutoRec.Training.Sparse;

/// <summary>
/// One kernelNet layer's effective weight W ⊙ K in the sparse kernels' stored layout (rows of <see cref="Stride"/>
/// floats, see <see cref="SparseAutoencoder"/>), where K[r, c] = max(0, 1 − |a_r − b_c|²) for a row vector a_r and a
/// column vector b_c of <see cref="Dimensions"/> values each (the layer's input and output kernel vectors, which is
/// which depending on the layer's layout), and the chain rule back from dL/d(W ⊙ K) to W, a and b. K of the last
/// <see cref="Apply"/> is kept for <see cref="Backward"/>. Rows are cut into ranges that the cores share; each range
/// sums its column-vector gradients apart and the ranges are added in a fixed order, so results do not depend on the
/// timing. Padding columns (past <see cref="Columns"/>) get K = 0 and gradients 0.
/// </summary>
internal sealed class KernelLayer
{
    private readonly float[] _kernel;
    private readonly float[] _columnVectors;
    private readonly float[][] _columnGradients;
    private readonly int _partitions;
    private readonly double[] _kernelSquares;

    /// <summary>A layer of <paramref name="rows"/> × <paramref name="columns"/> weights stored in rows of <paramref name="stride"/> floats.</summary>
    public KernelLayer(int rows, int columns, int stride, int dimensions, int partitions)
    {
        if (stride < columns || stride % Vector<float>.Count != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(stride), stride, $"a stride of at least {columns} floats, a multiple of {Vector<float>.Count}");
        }

        Rows = rows;
        Columns = columns;
        Stride = stride;
        Dimensions = dimensions;
        _partitions = Math.Max(1, Math.Min(partitions, rows));
        _kernel = new float[(long)rows * stride];
        _columnVectors = new float[dimensions * stride];
        _columnGradients = [.. Enumerable.Range(0, _partitions).Select(_ => new float[dimensions * stride])];
        _kernelSquares = new double[_partitions];
    }

    /// <summary>Rows of the stored weight.</summary>
    public int Rows { get; }

    /// <summary>Real columns of a row.</summary>
    public int Columns { get; }

    /// <summary>Floats per stored row.</summary>
    public int Stride { get; }

    /// <summary>Values per kernel vector.</summary>
    public int Dimensions { get; }

    /// <summary>The number of floats the row vectors take: <see cref="Rows"/> × <see cref="Dimensions"/>, row-major.</summary>
    public int RowVectorLength => Rows * Dimensions;

    /// <summary>The number of floats the column vectors take: <see cref="Columns"/> × <see cref="Dimensions"/>, row-major.</summary>
    public int ColumnVectorLength => Columns * Dimensions;

    /// <summary>
    /// effective = weight ⊙ K(rowVectors, columnVectors), K kept; returns Σ K² over the real entries (the kernel penalty's sum).
    /// </summary>
    public double Apply(ReadOnlyMemory<float> weight, ReadOnlyMemory<float> rowVectors, ReadOnlySpan<float> columnVectors, Memory<float> effective)
    {
        // Column vectors by dimension (structure of arrays), so a row meets a whole vector of columns per load.
        Array.Clear(_columnVectors);
        for (int c = 0; c < Columns; c++)
        {
            for (int t = 0; t < Dimensions; t++)
            {
                _columnVectors[(t * Stride) + c] = columnVectors[(c * Dimensions) + t];
            }
        }

        Run(p =>
        {
            double squares = 0;
            (int first, int last) = RangeOf(p);
            Span<float> a = stackalloc float[Dimensions];
            for (int r = first; r < last; r++)
            {
                rowVectors.Span.Slice(r * Dimensions, Dimensions).CopyTo(a);
                Span<float> k = _kernel.AsSpan(r * Stride, Stride);
                ReadOnlySpan<float> w = weight.Span.Slice(r * Stride, Stride);
                Span<float> e = effective.Span.Slice(r * Stride, Stride);
                squares += KernelRow(a, k, w, e);
            }

            _kernelSquares[p] = squares;
        });

        double total = 0;
        foreach (double s in _kernelSquares)
        {
            total += s;
        }

        return total;
    }

    /// <summary>
    /// From dL/d(effective weight) (<paramref name="effectiveGradient"/>, the data loss's), writes dL/dW with the
    /// penalty weightL2 · ΣW² and dL/d(row and column vectors) with the penalty kernelL2 · ΣK², at the point of the
    /// last <see cref="Apply"/> (whose weight and vectors are passed again).
    /// </summary>
    public void Backward(
        ReadOnlyMemory<float> effectiveGradient, ReadOnlyMemory<float> weight, float weightL2, float kernelL2, ReadOnlyMemory<float> rowVectors,
        Memory<float> weightGradient, Memory<float> rowGradient, Span<float> columnGradient)
    {
        Run(p =>
        {
            float[] columnPartial = _columnGradients[p];
            Array.Clear(columnPartial);
            (int first, int last) = RangeOf(p);
            Span<float> a = stackalloc float[Dimensions];
            Span<float> da = stackalloc float[Dimensions];
            for (int r = first; r < last; r++)
            {
                rowVectors.Span.Slice(r * Dimensions, Dimensions).CopyTo(a);
                BackwardRow(
                    a, _kernel.AsSpan(r * Stride, Stride), weight.Span.Slice(r * Stride, Stride),
                    effectiveGradient.Span.Slice(r * Stride, Stride), 2 * weightL2, 2 * kernelL2,
                    weightGradient.Span.Slice(r * Stride, Stride), da, columnPartial);
                da.CopyTo(rowGradient.Span.Slice(r * Dimensions, Dimensions));
            }
        });

        for (int c = 0; c < Columns; c++)
        {
            for (int t = 0; t < Dimensions; t++)
            {
                float sum = 0;
                for (int p = 0; p < _partitions; p++)
                {
                    sum += _columnGradients[p][(t * Stride) + c];
                }

                columnGradient[(c * Dimensions) + t] = sum;
            }
        }
    }

    /// <summary>One row of K and of the effective weight; returns the row's Σ K².</summary>
    private double KernelRow(ReadOnlySpan<float> a, Span<float> kernel, ReadOnlySpan<float> weight, Span<float> effective)
    {
        int width = Vector<float>.Count;
        Span<Vector<float>> k = MemoryMarshal.Cast<float, Vector<float>>(kernel);
        ReadOnlySpan<Vector<float>> w = MemoryMarshal.Cast<float, Vector<float>>(weight);
        Span<Vector<float>> e = MemoryMarshal.Cast<float, Vector<float>>(effective);
        ReadOnlySpan<Vector<float>> b = MemoryMarshal.Cast<float, Vector<float>>(_columnVectors.AsSpan());
        int vectors = Stride / width;
        var squares = Vector<float>.Zero;
        for (int v = 0; v < vectors; v++)
        {
            Vector<float> distance = Vector<float>.Zero;
            for (int t = 0; t < a.Length; t++)
            {
                Vector<float> difference = new Vector<float>(a[t]) - b[(t * vectors) + v];
                distance += difference * difference;
            }

            Vector<float> value = Vector.Max(Vector<float>.One - distance, Vector<float>.Zero);
            k[v] = value;
            e[v] = w[v] * value;
            squares += value * value;
        }

        // Padding columns: their b is 0, so K there is max(0, 1 − |a|²), not 0. Clear them and take them out of the sum.
        double total = Vector.Sum(squares);
        for (int c = Columns; c < Stride; c++)
        {
            total -= kernel[c] * kernel[c];
            kernel[c] = 0;
            effective[c] = 0;
        }

        return total;
    }

    /// <summary>One row's dL/dW, dL/da (into <paramref name="rowGradient"/>) and its share of dL/db (added to the partial).</summary>
    private void BackwardRow(
        ReadOnlySpan<float> a, ReadOnlySpan<float> kernel, ReadOnlySpan<float> weight, ReadOnlySpan<float> effectiveGradient,
        float weightDecay, float kernelDecay, Span<float> weightGradient, Span<float> rowGradient, float[] columnPartial)
    {
        int width = Vector<float>.Count;
        int vectors = Stride / width;
        ReadOnlySpan<Vector<float>> k = MemoryMarshal.Cast<float, Vector<float>>(kernel);
        ReadOnlySpan<Vector<float>> w = MemoryMarshal.Cast<float, Vector<float>>(weight);
        ReadOnlySpan<Vector<float>> g = MemoryMarshal.Cast<float, Vector<float>>(effectiveGradient);
        Span<Vector<float>> dw = MemoryMarshal.Cast<float, Vector<float>>(weightGradient);
        ReadOnlySpan<Vector<float>> b = MemoryMarshal.Cast<float, Vector<float>>(_columnVectors.AsSpan());
        Span<Vector<float>> db = MemoryMarshal.Cast<float, Vector<float>>(columnPartial.AsSpan());
        Span<Vector<float>> da = stackalloc Vector<float>[a.Length];
        da.Clear();
        var decayW = new Vector<float>(weightDecay);
        var decayK = new Vector<float>(kernelDecay);
        var two = new Vector<float>(2f);
        for (int v = 0; v < vectors; v++)
        {
            Vector<float> kv = k[v];
            Vector<float> wv = w[v];
            Vector<float> gv = g[v];
            dw[v] = (gv * kv) + (decayW * wv);

            // K = max(0, 1 − distance): dL/d(distance) = −dL/dK where K > 0 (relu's gradient at 0 is 0, as torch's).
            Vector<float> dK = (gv * wv) + (decayK * kv);
            Vector<float> dDistance = Vector.ConditionalSelect(Vector.GreaterThan(kv, Vector<float>.Zero), -dK, Vector<float>.Zero) * two;
            for (int t = 0; t < a.Length; t++)
            {
                Vector<float> step = dDistance * (new Vector<float>(a[t]) - b[(t * vectors) + v]);
                da[t] += step;
                db[(t * vectors) + v] -= step;
            }
        }

        for (int t = 0; t < a.Length; t++)
        {
            rowGradient[t] = Vector.Sum(da[t]);
        }

        // Padding columns: no weight, no gradient (dw is 0 there since g and w are; db's padding is never read).
        weightGradient[Columns..].Clear();
    }

    private (int First, int Last) RangeOf(int partition) =>
        (Rows * partition / _partitions, Rows * (partition + 1) / _partitions);

    private void Run(Action<int> body)
    {
        if (_partitions == 1)
        {
            body(0);
            return;
        }

        Parallel.For(0, _partitions, new ParallelOptions { MaxDegreeOfParallelism = _partitions }, body);
    }
}
