using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using AutoRec.Contracts;

namespace AutoRec.Training.Sparse;

/// <summary>
/// Vector kernels on padded rows: every length is a multiple of <see cref="FloatBuffer.Line"/> (16 floats), so
/// there are no tails. 512-bit where the hardware runs it, else 256-bit, else scalar; each width has its own
/// method so that tests can check all of them on any machine.
/// </summary>
internal static unsafe class Simd
{
    /// <summary>The width <see cref="Dot"/>, <see cref="Axpy"/> and <see cref="AxpyPair"/> use.</summary>
    public static SimdWidth Width => Gemm.Width;

    /// <summary>a · b over <paramref name="n"/> floats.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Dot(float* a, float* b, int n) => Width switch
    {
        SimdWidth.V512 => Dot512(a, b, n),
        SimdWidth.V256 => Dot256(a, b, n),
        _ => DotScalar(a, b, n),
    };

    /// <summary>y += alpha x over <paramref name="n"/> floats.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Axpy(float alpha, float* x, float* y, int n)
    {
        switch (Width)
        {
            case SimdWidth.V512:
                Axpy512(alpha, x, y, n);
                break;
            case SimdWidth.V256:
                Axpy256(alpha, x, y, n);
                break;
            default:
                AxpyScalar(alpha, x, y, n);
                break;
        }
    }

    /// <summary>The two updates of one observed output: y1 += alpha x1 and y2 += alpha x2, in one pass.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AxpyPair(float alpha, float* x1, float* y1, float* x2, float* y2, int n)
    {
        switch (Width)
        {
            case SimdWidth.V512:
                AxpyPair512(alpha, x1, y1, x2, y2, n);
                break;
            case SimdWidth.V256:
                AxpyPair256(alpha, x1, y1, x2, y2, n);
                break;
            default:
                AxpyScalar(alpha, x1, y1, n);
                AxpyScalar(alpha, x2, y2, n);
                break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float Dot512(float* a, float* b, int n)
    {
        // Four accumulators hide the FMA latency.
        Vector512<float> s0 = Vector512<float>.Zero, s1 = s0, s2 = s0, s3 = s0;
        int i = 0;
        for (; i + 64 <= n; i += 64)
        {
            s0 = Vector512.FusedMultiplyAdd(Vector512.Load(a + i), Vector512.Load(b + i), s0);
            s1 = Vector512.FusedMultiplyAdd(Vector512.Load(a + i + 16), Vector512.Load(b + i + 16), s1);
            s2 = Vector512.FusedMultiplyAdd(Vector512.Load(a + i + 32), Vector512.Load(b + i + 32), s2);
            s3 = Vector512.FusedMultiplyAdd(Vector512.Load(a + i + 48), Vector512.Load(b + i + 48), s3);
        }

        for (; i < n; i += 16)
        {
            s0 = Vector512.FusedMultiplyAdd(Vector512.Load(a + i), Vector512.Load(b + i), s0);
        }

        return Vector512.Sum((s0 + s1) + (s2 + s3));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float Dot256(float* a, float* b, int n)
    {
        Vector256<float> s0 = Vector256<float>.Zero, s1 = s0, s2 = s0, s3 = s0;
        int i = 0;
        for (; i + 32 <= n; i += 32)
        {
            s0 = Vector256.FusedMultiplyAdd(Vector256.Load(a + i), Vector256.Load(b + i), s0);
            s1 = Vector256.FusedMultiplyAdd(Vector256.Load(a + i + 8), Vector256.Load(b + i + 8), s1);
            s2 = Vector256.FusedMultiplyAdd(Vector256.Load(a + i + 16), Vector256.Load(b + i + 16), s2);
            s3 = Vector256.FusedMultiplyAdd(Vector256.Load(a + i + 24), Vector256.Load(b + i + 24), s3);
        }

        for (; i < n; i += 8)
        {
            s0 = Vector256.FusedMultiplyAdd(Vector256.Load(a + i), Vector256.Load(b + i), s0);
        }

        return Vector256.Sum((s0 + s1) + (s2 + s3));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float DotScalar(float* a, float* b, int n)
    {
        float sum = 0;
        for (int i = 0; i < n; i++)
        {
            sum = MathF.FusedMultiplyAdd(a[i], b[i], sum);
        }

        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Axpy512(float alpha, float* x, float* y, int n)
    {
        var a = Vector512.Create(alpha);
        int i = 0;
        for (; i + 32 <= n; i += 32)
        {
            Vector512.FusedMultiplyAdd(a, Vector512.Load(x + i), Vector512.Load(y + i)).Store(y + i);
            Vector512.FusedMultiplyAdd(a, Vector512.Load(x + i + 16), Vector512.Load(y + i + 16)).Store(y + i + 16);
        }

        for (; i < n; i += 16)
        {
            Vector512.FusedMultiplyAdd(a, Vector512.Load(x + i), Vector512.Load(y + i)).Store(y + i);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Axpy256(float alpha, float* x, float* y, int n)
    {
        var a = Vector256.Create(alpha);
        for (int i = 0; i < n; i += 8)
        {
            Vector256.FusedMultiplyAdd(a, Vector256.Load(x + i), Vector256.Load(y + i)).Store(y + i);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AxpyScalar(float alpha, float* x, float* y, int n)
    {
        for (int i = 0; i < n; i++)
        {
            y[i] = MathF.FusedMultiplyAdd(alpha, x[i], y[i]);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AxpyPair512(float alpha, float* x1, float* y1, float* x2, float* y2, int n)
    {
        var a = Vector512.Create(alpha);
        for (int i = 0; i < n; i += 16)
        {
            Vector512.FusedMultiplyAdd(a, Vector512.Load(x1 + i), Vector512.Load(y1 + i)).Store(y1 + i);
            Vector512.FusedMultiplyAdd(a, Vector512.Load(x2 + i), Vector512.Load(y2 + i)).Store(y2 + i);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AxpyPair256(float alpha, float* x1, float* y1, float* x2, float* y2, int n)
    {
        var a = Vector256.Create(alpha);
        for (int i = 0; i < n; i += 8)
        {
            Vector256.FusedMultiplyAdd(a, Vector256.Load(x1 + i), Vector256.Load(y1 + i)).Store(y1 + i);
            Vector256.FusedMultiplyAdd(a, Vector256.Load(x2 + i), Vector256.Load(y2 + i)).Store(y2 + i);
        }
    }

    /// <summary>y += x over <paramref name="n"/> floats (n a multiple of 16).</summary>
    public static void Add(float* x, float* y, int n) => Axpy(1f, x, y, n);
}
