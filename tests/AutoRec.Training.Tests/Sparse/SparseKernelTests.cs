using AutoRec.Training.Data;
using AutoRec.Training.Sparse;

namespace AutoRec.Training.Tests;

/// <summary>The sparse path's building blocks against plain reference loops, at every vector width.</summary>
public sealed unsafe class SparseKernelTests
{
    [Fact]
    public void Dot_and_axpy_match_plain_loops_at_every_width()
    {
        const int n = 272; // 4 × 64 + 16: every loop of every width, and its remainder
        var random = new Random(1);
        float[] a = Draw(random, n), b = Draw(random, n);
        double expected = a.Zip(b, (x, y) => (double)x * y).Sum();
        fixed (float* pa = a, pb = b)
        {
            Assert.Equal(expected, Simd.DotScalar(pa, pb, n), 1e-4);
            Assert.Equal(expected, Simd.Dot256(pa, pb, n), 1e-4);
            Assert.Equal(expected, Simd.Dot512(pa, pb, n), 1e-4);
        }

        foreach (int width in new[] { 0, 256, 512 })
        {
            float[] y1 = [.. b], y2 = [.. a];
            fixed (float* pa = a, pb = b, p1 = y1, p2 = y2)
            {
                switch (width)
                {
                    case 0:
                        Simd.AxpyScalar(0.5f, pa, p1, n);
                        Simd.AxpyScalar(0.5f, pb, p2, n);
                        break;
                    case 256:
                        Simd.AxpyPair256(0.5f, pa, p1, pb, p2, n);
                        break;
                    default:
                        Simd.AxpyPair512(0.5f, pa, p1, pb, p2, n);
                        break;
                }
            }

            for (int i = 0; i < n; i++)
            {
                Assert.Equal(b[i] + (0.5f * a[i]), y1[i], 1e-5);
                Assert.Equal(a[i] + (0.5f * b[i]), y2[i], 1e-5);
            }
        }
    }

    [Fact]
    public void Column_kernels_match_one_entry_at_a_time()
    {
        const int width = 272; // two 128-float chunks and a 16-float remainder
        const int rows = 9;
        var random = new Random(3);
        float[] w = Draw(random, width), h = Draw(random, rows * width), g = Draw(random, rows * width), dw = Draw(random, width);
        int[] index = [4, 0, 7, 2, 8];
        float[] d = [0.5f, -1.25f, 0f, 2f, 0.75f];
        var dots = new float[index.Length];
        float[] newDw = [.. dw], newG = [.. g], scattered = [.. h], gathered = [.. dw];
        fixed (float* pw = w, ph = h, pdw = newDw, pg = newG, ps = scattered, pgat = gathered, pd = d, pdots = dots)
        fixed (int* pi = index)
        {
            ColumnKernels.Dots(pw, ph, width, pi, index.Length, pdots);
            ColumnKernels.Update(pw, pdw, ph, pg, width, pi, pd, index.Length);
            ColumnKernels.Scatter(pw, ps, width, pi, pd, index.Length);
            ColumnKernels.Gather(pgat, ph, width, pi, pd, index.Length);
        }

        for (int e = 0; e < index.Length; e++)
        {
            Assert.Equal(Enumerable.Range(0, width).Sum(j => (double)w[j] * h[(index[e] * width) + j]), dots[e], 1e-4);
        }

        for (int j = 0; j < width; j++)
        {
            double expectedDw = dw[j] + Enumerable.Range(0, index.Length).Sum(e => (double)d[e] * h[(index[e] * width) + j]);
            Assert.Equal(expectedDw, newDw[j], 1e-4);
            Assert.Equal(expectedDw, gathered[j], 1e-4);
            for (int r = 0; r < rows; r++)
            {
                int e = Array.IndexOf(index, r);
                double step = e < 0 ? 0 : d[e] * (double)w[j];
                Assert.Equal(g[(r * width) + j] + step, newG[(r * width) + j], 1e-4);
                Assert.Equal(h[(r * width) + j] + step, scattered[(r * width) + j], 1e-4);
            }
        }
    }

    [Fact]
    public void Activation_derivatives_are_the_slopes_of_the_activations()
    {
        float[] z = [.. Enumerable.Range(0, 37).Select(i => -3f + (i * 0.17f))]; // 16 + 16 + 5: vector and scalar parts
        foreach (Activation activation in Activations.All)
        {
            var h = new float[z.Length];
            float[] dh = [.. z.Select((_, i) => 1f + (i * 0.01f))];
            var dz = new float[z.Length];
            fixed (float* pz = z, ph = h, pdh = dh, pdz = dz)
            {
                ActivationKernels.Forward(activation, pz, ph, z.Length);
                ActivationKernels.Backward(activation, pz, ph, pdh, pdz, z.Length);
            }

            for (int i = 0; i < z.Length; i++)
            {
                Assert.Equal(ActivationKernels.Forward(activation, z[i]), h[i], 1e-5);
                double step = 1e-3;
                double slope = (ActivationKernels.Forward(activation, (float)(z[i] + step)) - ActivationKernels.Forward(activation, (float)(z[i] - step))) / (2 * step);
                Assert.True(Math.Abs((dh[i] * slope) - dz[i]) < 2e-2, $"{activation} at {z[i]}: {dz[i]} vs {dh[i] * slope}");
            }
        }
    }

    [Fact]
    public void Rating_rows_are_sorted_by_row_then_column_and_keep_the_last_of_a_repeated_cell()
    {
        HeldOutRating[] ratings =
        [
            new(2, 5, 3, 1), new(0, 4, 1, 2), new(2, 1, 4, 3), new(0, 0, 5, 4), new(2, 5, 2, 5),
        ];
        RatingRows rows = RatingRows.From(ratings, 3, 6, deduplicate: true);
        Assert.True(rows.HadDuplicates);
        Assert.Equal([0, 2, 2, 4], rows.Offsets);
        Assert.Equal([0, 4, 1, 5], rows.Columns);
        Assert.Equal([5f, 1f, 4f, 2f], rows.Values);
        Assert.Equal([3, 1, 2, 4], rows.Slots);

        RatingRows all = RatingRows.From(ratings, 3, 6, deduplicate: false);
        Assert.Equal(5, all.Count);
        Assert.Equal([0, 4, 1, 5, 5], all.Columns);

        var dense = new float[3 * 6];
        rows.CopyDense(0, 3, dense);
        Assert.Equal(5f, dense[0]);
        Assert.Equal(2f, dense[(2 * 6) + 5]);
        Assert.Equal(ratings.Length - 1, dense.Count(v => v != 0));
    }

    [Fact]
    public void Sparse_rows_hold_exactly_the_dense_matrix()
    {
        TrainingData data = SyntheticRatings.Data(ModelKind.ItemBased);
        Assert.False(data.HasDenseMatrix);
        Assert.Equal(data.Train, data.DenseRows(0, data.RowCount));
        Assert.True(data.HasDenseMatrix);
        Assert.Equal(data.Train.AsSpan(3 * data.ColumnCount, 2 * data.ColumnCount).ToArray(), data.DenseRows(3, 2));
    }

    [Fact]
    public void Counter_draws_depend_only_on_key_and_index()
    {
        ulong key = CounterRandom.Key(42, 3, 1);
        Assert.Equal(CounterRandom.Uniform(key, 12345), CounterRandom.Uniform(CounterRandom.Key(42, 3, 1), 12345));
        Assert.NotEqual(CounterRandom.Uniform(key, 12345), CounterRandom.Uniform(CounterRandom.Key(42, 4, 1), 12345));
        float[] draws = [.. Enumerable.Range(0, 10_000).Select(i => CounterRandom.Uniform(key, i))];
        Assert.All(draws, u => Assert.InRange(u, 0f, 0.99999994f));
        Assert.InRange(draws.Average(), 0.48, 0.52);
        Assert.InRange(draws.Count(u => u < 0.2f), 1_850, 2_150);
    }

    private static float[] Draw(Random random, int n) => [.. Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() - 0.5))];
}
