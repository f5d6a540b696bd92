using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AutoRec.Inference.Numerics;

/// <summary>
/// The few vector kernels the factor paths run (dot products, axpy, clipping), written with <see cref="Vector{T}"/>
/// (256-bit on AVX-512 machines: these kernels are bound by memory, and 512-bit versions made ML-1M's 20-rating
/// top-10 10-30% slower; the compute-bound products, <see cref="AutoRec.Contracts.Gemm"/> and the Cholesky factor, run
/// 512-bit) and compiled fully optimised on first call: a recommender is built once at start-up, when tiered compilation
/// runs new code unoptimised for a while. With TensorPrimitives' kernels instead, ML-1M's
/// <c>Recommender.Create</c> of an item-based model took 1.6-2.0 s cold and 0.3 s with tiered compilation off (busy machine);
/// with these, 0.17 s cold (Release, quiet machine).
/// </summary>
internal static class Simd
{
    /// <summary>Σ x_i y_i (the spans have the same length).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        int width = Vector<float>.Count;
        int i = 0;
        float sum = 0;
        if (x.Length >= 2 * width)
        {
            ReadOnlySpan<Vector<float>> xs = MemoryMarshal.Cast<float, Vector<float>>(x);
            ReadOnlySpan<Vector<float>> ys = MemoryMarshal.Cast<float, Vector<float>>(y[..x.Length]);
            Vector<float> first = Vector<float>.Zero;
            Vector<float> second = Vector<float>.Zero;
            int v = 0;
            for (; v + 1 < xs.Length; v += 2)
            {
                first = Vector.FusedMultiplyAdd(xs[v], ys[v], first);
                second = Vector.FusedMultiplyAdd(xs[v + 1], ys[v + 1], second);
            }

            if (v < xs.Length)
            {
                first = Vector.FusedMultiplyAdd(xs[v], ys[v], first);
                v++;
            }

            sum = Vector.Sum(first + second);
            i = v * width;
        }

        for (; i < x.Length; i++)
        {
            sum += x[i] * y[i];
        }

        return sum;
    }

    /// <summary>The four dot products of <paramref name="x"/> with the rows <paramref name="y0"/>..<paramref name="y3"/> (all the same length), each vector of x loaded once.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (float, float, float, float) Dot4(ReadOnlySpan<float> x, ReadOnlySpan<float> y0, ReadOnlySpan<float> y1, ReadOnlySpan<float> y2, ReadOnlySpan<float> y3)
    {
        int width = Vector<float>.Count;
        int vectors = x.Length / width;
        ReadOnlySpan<Vector<float>> xs = MemoryMarshal.Cast<float, Vector<float>>(x);
        ReadOnlySpan<Vector<float>> v0 = MemoryMarshal.Cast<float, Vector<float>>(y0[..x.Length]);
        ReadOnlySpan<Vector<float>> v1 = MemoryMarshal.Cast<float, Vector<float>>(y1[..x.Length]);
        ReadOnlySpan<Vector<float>> v2 = MemoryMarshal.Cast<float, Vector<float>>(y2[..x.Length]);
        ReadOnlySpan<Vector<float>> v3 = MemoryMarshal.Cast<float, Vector<float>>(y3[..x.Length]);
        Vector<float> s0 = Vector<float>.Zero;
        Vector<float> s1 = Vector<float>.Zero;
        Vector<float> s2 = Vector<float>.Zero;
        Vector<float> s3 = Vector<float>.Zero;
        for (int v = 0; v < vectors; v++)
        {
            Vector<float> xv = xs[v];
            s0 = Vector.FusedMultiplyAdd(xv, v0[v], s0);
            s1 = Vector.FusedMultiplyAdd(xv, v1[v], s1);
            s2 = Vector.FusedMultiplyAdd(xv, v2[v], s2);
            s3 = Vector.FusedMultiplyAdd(xv, v3[v], s3);
        }

        float d0 = Vector.Sum(s0);
        float d1 = Vector.Sum(s1);
        float d2 = Vector.Sum(s2);
        float d3 = Vector.Sum(s3);
        for (int i = vectors * width; i < x.Length; i++)
        {
            d0 += x[i] * y0[i];
            d1 += x[i] * y1[i];
            d2 += x[i] * y2[i];
            d3 += x[i] * y3[i];
        }

        return (d0, d1, d2, d3);
    }

    /// <summary>y += a·x (the spans have the same length).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MultiplyAdd(ReadOnlySpan<float> x, float a, Span<float> y)
    {
        int i = 0;
        if (x.Length >= Vector<float>.Count)
        {
            ReadOnlySpan<Vector<float>> xs = MemoryMarshal.Cast<float, Vector<float>>(x);
            Span<Vector<float>> ys = MemoryMarshal.Cast<float, Vector<float>>(y[..x.Length]);
            var scale = new Vector<float>(a);
            for (int v = 0; v < xs.Length; v++)
            {
                ys[v] = Vector.FusedMultiplyAdd(xs[v], scale, ys[v]);
            }

            i = xs.Length * Vector<float>.Count;
        }

        for (; i < x.Length; i++)
        {
            y[i] += a * x[i];
        }
    }

    /// <summary>y += a0·x0 + a1·x1 + a2·x2 + a3·x3 for the four consecutive rows x0..x3 of <paramref name="rows"/> (each <paramref name="width"/> = y's length), y loaded and stored once.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MultiplyAdd4(ReadOnlySpan<float> rows, int width, float a0, float a1, float a2, float a3, Span<float> y)
    {
        ReadOnlySpan<float> x0 = rows[..width], x1 = rows.Slice(width, width), x2 = rows.Slice(2 * width, width), x3 = rows.Slice(3 * width, width);
        y = y[..width];
        int i = 0;
        if (width >= Vector<float>.Count)
        {
            ReadOnlySpan<Vector<float>> v0 = MemoryMarshal.Cast<float, Vector<float>>(x0);
            ReadOnlySpan<Vector<float>> v1 = MemoryMarshal.Cast<float, Vector<float>>(x1);
            ReadOnlySpan<Vector<float>> v2 = MemoryMarshal.Cast<float, Vector<float>>(x2);
            ReadOnlySpan<Vector<float>> v3 = MemoryMarshal.Cast<float, Vector<float>>(x3);
            Span<Vector<float>> ys = MemoryMarshal.Cast<float, Vector<float>>(y);
            Vector<float> s0 = new(a0), s1 = new(a1), s2 = new(a2), s3 = new(a3);
            for (int v = 0; v < ys.Length; v++)
            {
                Vector<float> sum = Vector.FusedMultiplyAdd(v0[v], s0, ys[v]);
                sum = Vector.FusedMultiplyAdd(v1[v], s1, sum);
                sum = Vector.FusedMultiplyAdd(v2[v], s2, sum);
                ys[v] = Vector.FusedMultiplyAdd(v3[v], s3, sum);
            }

            i = ys.Length * Vector<float>.Count;
        }

        for (; i < width; i++)
        {
            y[i] += (a0 * x0[i]) + (a1 * x1[i]) + (a2 * x2[i]) + (a3 * x3[i]);
        }
    }

    /// <summary>x *= a.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Scale(Span<float> x, float a)
    {
        Span<Vector<float>> xs = MemoryMarshal.Cast<float, Vector<float>>(x);
        var scale = new Vector<float>(a);
        for (int v = 0; v < xs.Length; v++)
        {
            xs[v] *= scale;
        }

        for (int i = xs.Length * Vector<float>.Count; i < x.Length; i++)
        {
            x[i] *= a;
        }
    }

    /// <summary>y += a·x in double precision (the spans have the same length).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MultiplyAdd(ReadOnlySpan<double> x, double a, Span<double> y)
    {
        int i = 0;
        if (x.Length >= Vector<double>.Count)
        {
            ReadOnlySpan<Vector<double>> xs = MemoryMarshal.Cast<double, Vector<double>>(x);
            Span<Vector<double>> ys = MemoryMarshal.Cast<double, Vector<double>>(y[..x.Length]);
            var scale = new Vector<double>(a);
            for (int v = 0; v < xs.Length; v++)
            {
                ys[v] = Vector.FusedMultiplyAdd(xs[v], scale, ys[v]);
            }

            i = xs.Length * Vector<double>.Count;
        }

        for (; i < x.Length; i++)
        {
            y[i] += a * x[i];
        }
    }

    /// <summary><paramref name="scores"/>[j] = rows[j] · <paramref name="vector"/> + <paramref name="bias"/> for the row-major rows of <paramref name="matrix"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MatrixVector(ReadOnlySpan<float> matrix, ReadOnlySpan<float> vector, float bias, Span<float> scores)
    {
        // Four rows at a time: each vector of the input is loaded once for four products, where row-by-row dot
        // products load it once per row (the loads, not the multiply-adds, bound a compact model's scoring).
        int width = vector.Length;
        int j = 0;
        for (; j + 3 < scores.Length; j += 4)
        {
            (float d0, float d1, float d2, float d3) = Dot4(
                vector, matrix.Slice(j * width, width), matrix.Slice((j + 1) * width, width), matrix.Slice((j + 2) * width, width), matrix.Slice((j + 3) * width, width));
            scores[j] = d0 + bias;
            scores[j + 1] = d1 + bias;
            scores[j + 2] = d2 + bias;
            scores[j + 3] = d3 + bias;
        }

        for (; j < scores.Length; j++)
        {
            scores[j] = Dot(matrix.Slice(j * width, width), vector) + bias;
        }
    }

    /// <summary>Clamps every value into [<paramref name="min"/>, <paramref name="max"/>], as the graph's Clip does.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Clamp(Span<float> values, float min, float max)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = Math.Clamp(values[i], min, max);
        }
    }
}
