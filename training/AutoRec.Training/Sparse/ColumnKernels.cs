using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using AutoRec.Contracts;

namespace AutoRec.Training.Sparse;

/// <summary>
/// The sampled products of one column with the batch rows that have an entry in it, for a weight row w (a
/// decoder row, or the first layer's row of an input column) and the rows' activations or gradients. The weight
/// row is held in registers 128 floats at a time while it meets every row, and a gradient row being summed stays
/// in registers likewise: half the loads and stores of one entry at a time. Rows are padded (width a multiple of
/// 16); the 512-bit kernels take 128-float chunks and finish with single vectors, other widths use <see cref="Simd"/>.
/// </summary>
internal static unsafe class ColumnKernels
{
    private const int Chunk = 128;

    /// <summary>dots[e] = w · rows[index[e]] for the <paramref name="count"/> entries.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Dots(float* w, float* rows, int width, int* index, int count, float* dots)
    {
        if (Simd.Width != SimdWidth.V512)
        {
            for (int e = 0; e < count; e++)
            {
                dots[e] = Simd.Dot(w, rows + ((long)index[e] * width), width);
            }

            return;
        }

        new Span<float>(dots, count).Clear();
        int s = 0;
        for (; s + Chunk <= width; s += Chunk)
        {
            float* ws = w + s;
            Vector512<float> w0 = Vector512.Load(ws), w1 = Vector512.Load(ws + 16), w2 = Vector512.Load(ws + 32), w3 = Vector512.Load(ws + 48);
            Vector512<float> w4 = Vector512.Load(ws + 64), w5 = Vector512.Load(ws + 80), w6 = Vector512.Load(ws + 96), w7 = Vector512.Load(ws + 112);
            for (int e = 0; e < count; e++)
            {
                float* h = rows + ((long)index[e] * width) + s;
                Vector512<float> a = w0 * Vector512.Load(h);
                Vector512<float> b = w1 * Vector512.Load(h + 16);
                a = Vector512.FusedMultiplyAdd(w2, Vector512.Load(h + 32), a);
                b = Vector512.FusedMultiplyAdd(w3, Vector512.Load(h + 48), b);
                a = Vector512.FusedMultiplyAdd(w4, Vector512.Load(h + 64), a);
                b = Vector512.FusedMultiplyAdd(w5, Vector512.Load(h + 80), b);
                a = Vector512.FusedMultiplyAdd(w6, Vector512.Load(h + 96), a);
                b = Vector512.FusedMultiplyAdd(w7, Vector512.Load(h + 112), b);
                dots[e] += Vector512.Sum(a + b);
            }
        }

        if (s < width)
        {
            for (int e = 0; e < count; e++)
            {
                dots[e] += Simd.Dot512(w + s, rows + ((long)index[e] * width) + s, width - s);
            }
        }
    }

    /// <summary>The output layer's two updates: dw += Σ d[e] rows[index[e]], and gradients[index[e]] += d[e] w.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Update(float* w, float* dw, float* rows, float* gradients, int width, int* index, float* d, int count)
    {
        if (Simd.Width != SimdWidth.V512)
        {
            for (int e = 0; e < count; e++)
            {
                long at = (long)index[e] * width;
                Simd.AxpyPair(d[e], rows + at, dw, w, gradients + at, width);
            }

            return;
        }

        int s = 0;
        for (; s + Chunk <= width; s += Chunk)
        {
            float* ws = w + s;
            float* dws = dw + s;
            Vector512<float> w0 = Vector512.Load(ws), w1 = Vector512.Load(ws + 16), w2 = Vector512.Load(ws + 32), w3 = Vector512.Load(ws + 48);
            Vector512<float> w4 = Vector512.Load(ws + 64), w5 = Vector512.Load(ws + 80), w6 = Vector512.Load(ws + 96), w7 = Vector512.Load(ws + 112);
            Vector512<float> a0 = Vector512.Load(dws), a1 = Vector512.Load(dws + 16), a2 = Vector512.Load(dws + 32), a3 = Vector512.Load(dws + 48);
            Vector512<float> a4 = Vector512.Load(dws + 64), a5 = Vector512.Load(dws + 80), a6 = Vector512.Load(dws + 96), a7 = Vector512.Load(dws + 112);
            for (int e = 0; e < count; e++)
            {
                long at = ((long)index[e] * width) + s;
                float* h = rows + at;
                float* g = gradients + at;
                var v = Vector512.Create(d[e]);
                a0 = Vector512.FusedMultiplyAdd(v, Vector512.Load(h), a0);
                a1 = Vector512.FusedMultiplyAdd(v, Vector512.Load(h + 16), a1);
                a2 = Vector512.FusedMultiplyAdd(v, Vector512.Load(h + 32), a2);
                a3 = Vector512.FusedMultiplyAdd(v, Vector512.Load(h + 48), a3);
                a4 = Vector512.FusedMultiplyAdd(v, Vector512.Load(h + 64), a4);
                a5 = Vector512.FusedMultiplyAdd(v, Vector512.Load(h + 80), a5);
                a6 = Vector512.FusedMultiplyAdd(v, Vector512.Load(h + 96), a6);
                a7 = Vector512.FusedMultiplyAdd(v, Vector512.Load(h + 112), a7);
                Vector512.FusedMultiplyAdd(v, w0, Vector512.Load(g)).Store(g);
                Vector512.FusedMultiplyAdd(v, w1, Vector512.Load(g + 16)).Store(g + 16);
                Vector512.FusedMultiplyAdd(v, w2, Vector512.Load(g + 32)).Store(g + 32);
                Vector512.FusedMultiplyAdd(v, w3, Vector512.Load(g + 48)).Store(g + 48);
                Vector512.FusedMultiplyAdd(v, w4, Vector512.Load(g + 64)).Store(g + 64);
                Vector512.FusedMultiplyAdd(v, w5, Vector512.Load(g + 80)).Store(g + 80);
                Vector512.FusedMultiplyAdd(v, w6, Vector512.Load(g + 96)).Store(g + 96);
                Vector512.FusedMultiplyAdd(v, w7, Vector512.Load(g + 112)).Store(g + 112);
            }

            a0.Store(dws);
            a1.Store(dws + 16);
            a2.Store(dws + 32);
            a3.Store(dws + 48);
            a4.Store(dws + 64);
            a5.Store(dws + 80);
            a6.Store(dws + 96);
            a7.Store(dws + 112);
        }

        if (s < width)
        {
            for (int e = 0; e < count; e++)
            {
                long at = ((long)index[e] * width) + s;
                Simd.AxpyPair512(d[e], rows + at, dw + s, w + s, gradients + at, width - s);
            }
        }
    }

    /// <summary>rows[index[e]] += x[e] w for every entry (the first layer's forward, by column); entries with x = 0 are skipped.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Scatter(float* w, float* rows, int width, int* index, float* x, int count)
    {
        if (Simd.Width != SimdWidth.V512)
        {
            for (int e = 0; e < count; e++)
            {
                if (x[e] != 0)
                {
                    Simd.Axpy(x[e], w, rows + ((long)index[e] * width), width);
                }
            }

            return;
        }

        int s = 0;
        for (; s + Chunk <= width; s += Chunk)
        {
            float* ws = w + s;
            Vector512<float> w0 = Vector512.Load(ws), w1 = Vector512.Load(ws + 16), w2 = Vector512.Load(ws + 32), w3 = Vector512.Load(ws + 48);
            Vector512<float> w4 = Vector512.Load(ws + 64), w5 = Vector512.Load(ws + 80), w6 = Vector512.Load(ws + 96), w7 = Vector512.Load(ws + 112);
            for (int e = 0; e < count; e++)
            {
                if (x[e] == 0)
                {
                    continue;
                }

                float* z = rows + ((long)index[e] * width) + s;
                var v = Vector512.Create(x[e]);
                Vector512.FusedMultiplyAdd(v, w0, Vector512.Load(z)).Store(z);
                Vector512.FusedMultiplyAdd(v, w1, Vector512.Load(z + 16)).Store(z + 16);
                Vector512.FusedMultiplyAdd(v, w2, Vector512.Load(z + 32)).Store(z + 32);
                Vector512.FusedMultiplyAdd(v, w3, Vector512.Load(z + 48)).Store(z + 48);
                Vector512.FusedMultiplyAdd(v, w4, Vector512.Load(z + 64)).Store(z + 64);
                Vector512.FusedMultiplyAdd(v, w5, Vector512.Load(z + 80)).Store(z + 80);
                Vector512.FusedMultiplyAdd(v, w6, Vector512.Load(z + 96)).Store(z + 96);
                Vector512.FusedMultiplyAdd(v, w7, Vector512.Load(z + 112)).Store(z + 112);
            }
        }

        if (s < width)
        {
            for (int e = 0; e < count; e++)
            {
                if (x[e] != 0)
                {
                    Simd.Axpy512(x[e], w + s, rows + ((long)index[e] * width) + s, width - s);
                }
            }
        }
    }

    /// <summary>dw += Σ x[e] rows[index[e]] (the first layer's weight gradient, by column); entries with x = 0 are skipped.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Gather(float* dw, float* rows, int width, int* index, float* x, int count)
    {
        if (Simd.Width != SimdWidth.V512)
        {
            for (int e = 0; e < count; e++)
            {
                if (x[e] != 0)
                {
                    Simd.Axpy(x[e], rows + ((long)index[e] * width), dw, width);
                }
            }

            return;
        }

        int s = 0;
        for (; s + Chunk <= width; s += Chunk)
        {
            float* dws = dw + s;
            Vector512<float> a0 = Vector512.Load(dws), a1 = Vector512.Load(dws + 16), a2 = Vector512.Load(dws + 32), a3 = Vector512.Load(dws + 48);
            Vector512<float> a4 = Vector512.Load(dws + 64), a5 = Vector512.Load(dws + 80), a6 = Vector512.Load(dws + 96), a7 = Vector512.Load(dws + 112);
            for (int e = 0; e < count; e++)
            {
                if (x[e] == 0)
                {
                    continue;
                }

                float* g = rows + ((long)index[e] * width) + s;
                var v = Vector512.Create(x[e]);
                a0 = Vector512.FusedMultiplyAdd(v, Vector512.Load(g), a0);
                a1 = Vector512.FusedMultiplyAdd(v, Vector512.Load(g + 16), a1);
                a2 = Vector512.FusedMultiplyAdd(v, Vector512.Load(g + 32), a2);
                a3 = Vector512.FusedMultiplyAdd(v, Vector512.Load(g + 48), a3);
                a4 = Vector512.FusedMultiplyAdd(v, Vector512.Load(g + 64), a4);
                a5 = Vector512.FusedMultiplyAdd(v, Vector512.Load(g + 80), a5);
                a6 = Vector512.FusedMultiplyAdd(v, Vector512.Load(g + 96), a6);
                a7 = Vector512.FusedMultiplyAdd(v, Vector512.Load(g + 112), a7);
            }

            a0.Store(dws);
            a1.Store(dws + 16);
            a2.Store(dws + 32);
            a3.Store(dws + 48);
            a4.Store(dws + 64);
            a5.Store(dws + 80);
            a6.Store(dws + 96);
            a7.Store(dws + 112);
        }

        if (s < width)
        {
            for (int e = 0; e < count; e++)
            {
                if (x[e] != 0)
                {
                    Simd.Axpy512(x[e], rows + ((long)index[e] * width) + s, dw + s, width - s);
                }
            }
        }
    }
}
