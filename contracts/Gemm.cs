using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace AutoRec.Contracts;

/// <summary>
/// C = A·B or C += A·B for small dense products: the sparse trainer's hidden layers (a batch's codes) and a new
/// user's fold-in normal equations (the rated movies' codes). A is read through strides, so one kernel serves A·B
/// (row-major A) and Aᵀ·B (A stored transposed). B and C are row-major with padded rows: N is a multiple of
/// <see cref="ColumnStep"/>. Register-blocked: 4 rows of C by 64 columns (512-bit) or 16 columns (256-bit) held in
/// registers across the whole K loop.
/// </summary>
public static unsafe class Gemm
{
    /// <summary>N (the columns of B and C) is a multiple of this.</summary>
    public const int ColumnStep = 16;

    /// <summary>The vector width this machine runs the kernels at: 512-bit where the hardware accelerates it.</summary>
    public static readonly SimdWidth Width =
        Vector512.IsHardwareAccelerated ? SimdWidth.V512 : Vector256.IsHardwareAccelerated ? SimdWidth.V256 : SimdWidth.Scalar;

    /// <summary>
    /// Rows [<paramref name="rowStart"/>, <paramref name="rowEnd"/>) of C[·, N] (+)= A[·, K] B[K, N], where A's element
    /// (m, k) is a[m * <paramref name="am"/> + k * <paramref name="ak"/>].
    /// </summary>
    public static void Multiply(
        int rowStart, int rowEnd, int n, int k, float* a, int am, int ak, float* b, int ldb, float* c, int ldc, bool accumulate) =>
        Multiply(Width, rowStart, rowEnd, n, k, a, am, ak, b, ldb, c, ldc, accumulate);

    /// <summary>
    /// As the pointer overload, over spans whose lengths are checked against the strides: for callers that keep to
    /// safe code (the inference library's fold-in).
    /// </summary>
    /// <exception cref="ArgumentException">A span is shorter than the rows, strides and sizes reach.</exception>
    public static void Multiply(
        int rowStart, int rowEnd, int n, int k, ReadOnlySpan<float> a, int am, int ak, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc, bool accumulate)
    {
        if (rowEnd <= rowStart || n == 0)
        {
            return;
        }

        long lastA = k == 0 ? 0 : ((long)(rowEnd - 1) * am) + ((long)(k - 1) * ak) + 1;
        long lastB = k == 0 ? 0 : ((long)(k - 1) * ldb) + n;
        long lastC = ((long)(rowEnd - 1) * ldc) + n;
        if (rowStart < 0 || k < 0 || am < 0 || ak < 0 || lastA > a.Length || lastB > b.Length || lastC > c.Length || ldb < n || ldc < n)
        {
            throw new ArgumentException($"the spans (A {a.Length}, B {b.Length}, C {c.Length}) are shorter than rows {rowStart}..{rowEnd}, N {n}, K {k} and the strides reach");
        }

        fixed (float* pa = a, pb = b, pc = c)
        {
            Multiply(Width, rowStart, rowEnd, n, k, pa, am, ak, pb, ldb, pc, ldc, accumulate);
        }
    }

    /// <summary>As the other overload, with the vector width given (tests run every width).</summary>
    public static void Multiply(
        SimdWidth width, int rowStart, int rowEnd, int n, int k, float* a, int am, int ak, float* b, int ldb, float* c, int ldc, bool accumulate)
    {
        if (n % ColumnStep != 0)
        {
            throw new ArgumentException($"N must be a multiple of {ColumnStep}", nameof(n));
        }

        if (!accumulate)
        {
            for (int m = rowStart; m < rowEnd; m++)
            {
                new Span<float>(c + ((long)m * ldc), n).Clear();
            }
        }

        if (k == 0)
        {
            return;
        }

        switch (width)
        {
            case SimdWidth.V512:
                Multiply512(rowStart, rowEnd, n, k, a, am, ak, b, ldb, c, ldc);
                break;
            case SimdWidth.V256:
                Multiply256(rowStart, rowEnd, n, k, a, am, ak, b, ldb, c, ldc);
                break;
            default:
                MultiplyScalar(rowStart, rowEnd, n, k, a, am, ak, b, ldb, c, ldc);
                break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Multiply512(int rowStart, int rowEnd, int n, int k, float* a, int am, int ak, float* b, int ldb, float* c, int ldc)
    {
        int j = 0;
        for (; j + 64 <= n; j += 64)
        {
            int m = rowStart;
            for (; m + 4 <= rowEnd; m += 4)
            {
                Block4x64(m, j, k, a, am, ak, b, ldb, c, ldc);
            }

            for (; m < rowEnd; m++)
            {
                for (int q = 0; q < 64; q += 16)
                {
                    Block1x16(m, j + q, k, a, am, ak, b, ldb, c, ldc);
                }
            }
        }

        for (; j < n; j += 16)
        {
            int m = rowStart;
            for (; m + 4 <= rowEnd; m += 4)
            {
                Block4x16(m, j, k, a, am, ak, b, ldb, c, ldc);
            }

            for (; m < rowEnd; m++)
            {
                Block1x16(m, j, k, a, am, ak, b, ldb, c, ldc);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Block4x64(int m, int j, int k, float* a, int am, int ak, float* b, int ldb, float* c, int ldc)
    {
        float* c0 = c + ((long)m * ldc) + j;
        float* c1 = c0 + ldc;
        float* c2 = c1 + ldc;
        float* c3 = c2 + ldc;
        Vector512<float> x00 = Vector512.Load(c0), x01 = Vector512.Load(c0 + 16), x02 = Vector512.Load(c0 + 32), x03 = Vector512.Load(c0 + 48);
        Vector512<float> x10 = Vector512.Load(c1), x11 = Vector512.Load(c1 + 16), x12 = Vector512.Load(c1 + 32), x13 = Vector512.Load(c1 + 48);
        Vector512<float> x20 = Vector512.Load(c2), x21 = Vector512.Load(c2 + 16), x22 = Vector512.Load(c2 + 32), x23 = Vector512.Load(c2 + 48);
        Vector512<float> x30 = Vector512.Load(c3), x31 = Vector512.Load(c3 + 16), x32 = Vector512.Load(c3 + 32), x33 = Vector512.Load(c3 + 48);
        float* a0 = a + ((long)m * am);
        float* bj = b + j;
        for (int p = 0; p < k; p++)
        {
            float* bp = bj + ((long)p * ldb);
            Vector512<float> b0 = Vector512.Load(bp), b1 = Vector512.Load(bp + 16), b2 = Vector512.Load(bp + 32), b3 = Vector512.Load(bp + 48);
            float* ap = a0 + ((long)p * ak);
            var v = Vector512.Create(ap[0]);
            x00 = Vector512.FusedMultiplyAdd(v, b0, x00);
            x01 = Vector512.FusedMultiplyAdd(v, b1, x01);
            x02 = Vector512.FusedMultiplyAdd(v, b2, x02);
            x03 = Vector512.FusedMultiplyAdd(v, b3, x03);
            v = Vector512.Create(ap[am]);
            x10 = Vector512.FusedMultiplyAdd(v, b0, x10);
            x11 = Vector512.FusedMultiplyAdd(v, b1, x11);
            x12 = Vector512.FusedMultiplyAdd(v, b2, x12);
            x13 = Vector512.FusedMultiplyAdd(v, b3, x13);
            v = Vector512.Create(ap[2 * am]);
            x20 = Vector512.FusedMultiplyAdd(v, b0, x20);
            x21 = Vector512.FusedMultiplyAdd(v, b1, x21);
            x22 = Vector512.FusedMultiplyAdd(v, b2, x22);
            x23 = Vector512.FusedMultiplyAdd(v, b3, x23);
            v = Vector512.Create(ap[3 * am]);
            x30 = Vector512.FusedMultiplyAdd(v, b0, x30);
            x31 = Vector512.FusedMultiplyAdd(v, b1, x31);
            x32 = Vector512.FusedMultiplyAdd(v, b2, x32);
            x33 = Vector512.FusedMultiplyAdd(v, b3, x33);
        }

        x00.Store(c0);
        x01.Store(c0 + 16);
        x02.Store(c0 + 32);
        x03.Store(c0 + 48);
        x10.Store(c1);
        x11.Store(c1 + 16);
        x12.Store(c1 + 32);
        x13.Store(c1 + 48);
        x20.Store(c2);
        x21.Store(c2 + 16);
        x22.Store(c2 + 32);
        x23.Store(c2 + 48);
        x30.Store(c3);
        x31.Store(c3 + 16);
        x32.Store(c3 + 32);
        x33.Store(c3 + 48);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Block4x16(int m, int j, int k, float* a, int am, int ak, float* b, int ldb, float* c, int ldc)
    {
        float* c0 = c + ((long)m * ldc) + j;
        Vector512<float> x0 = Vector512.Load(c0), x1 = Vector512.Load(c0 + ldc), x2 = Vector512.Load(c0 + (2 * ldc)), x3 = Vector512.Load(c0 + (3 * ldc));
        float* a0 = a + ((long)m * am);
        for (int p = 0; p < k; p++)
        {
            Vector512<float> bp = Vector512.Load(b + ((long)p * ldb) + j);
            float* ap = a0 + ((long)p * ak);
            x0 = Vector512.FusedMultiplyAdd(Vector512.Create(ap[0]), bp, x0);
            x1 = Vector512.FusedMultiplyAdd(Vector512.Create(ap[am]), bp, x1);
            x2 = Vector512.FusedMultiplyAdd(Vector512.Create(ap[2 * am]), bp, x2);
            x3 = Vector512.FusedMultiplyAdd(Vector512.Create(ap[3 * am]), bp, x3);
        }

        x0.Store(c0);
        x1.Store(c0 + ldc);
        x2.Store(c0 + (2 * ldc));
        x3.Store(c0 + (3 * ldc));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Block1x16(int m, int j, int k, float* a, int am, int ak, float* b, int ldb, float* c, int ldc)
    {
        float* c0 = c + ((long)m * ldc) + j;
        Vector512<float> x = Vector512.Load(c0);
        float* a0 = a + ((long)m * am);
        for (int p = 0; p < k; p++)
        {
            x = Vector512.FusedMultiplyAdd(Vector512.Create(a0[(long)p * ak]), Vector512.Load(b + ((long)p * ldb) + j), x);
        }

        x.Store(c0);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Multiply256(int rowStart, int rowEnd, int n, int k, float* a, int am, int ak, float* b, int ldb, float* c, int ldc)
    {
        for (int j = 0; j < n; j += 16)
        {
            int m = rowStart;
            for (; m + 4 <= rowEnd; m += 4)
            {
                float* c0 = c + ((long)m * ldc) + j;
                float* c1 = c0 + ldc;
                float* c2 = c1 + ldc;
                float* c3 = c2 + ldc;
                Vector256<float> x00 = Vector256.Load(c0), x01 = Vector256.Load(c0 + 8), x10 = Vector256.Load(c1), x11 = Vector256.Load(c1 + 8);
                Vector256<float> x20 = Vector256.Load(c2), x21 = Vector256.Load(c2 + 8), x30 = Vector256.Load(c3), x31 = Vector256.Load(c3 + 8);
                float* a0 = a + ((long)m * am);
                for (int p = 0; p < k; p++)
                {
                    float* bp = b + ((long)p * ldb) + j;
                    Vector256<float> b0 = Vector256.Load(bp), b1 = Vector256.Load(bp + 8);
                    float* ap = a0 + ((long)p * ak);
                    var v = Vector256.Create(ap[0]);
                    x00 = Vector256.FusedMultiplyAdd(v, b0, x00);
                    x01 = Vector256.FusedMultiplyAdd(v, b1, x01);
                    v = Vector256.Create(ap[am]);
                    x10 = Vector256.FusedMultiplyAdd(v, b0, x10);
                    x11 = Vector256.FusedMultiplyAdd(v, b1, x11);
                    v = Vector256.Create(ap[2 * am]);
                    x20 = Vector256.FusedMultiplyAdd(v, b0, x20);
                    x21 = Vector256.FusedMultiplyAdd(v, b1, x21);
                    v = Vector256.Create(ap[3 * am]);
                    x30 = Vector256.FusedMultiplyAdd(v, b0, x30);
                    x31 = Vector256.FusedMultiplyAdd(v, b1, x31);
                }

                x00.Store(c0);
                x01.Store(c0 + 8);
                x10.Store(c1);
                x11.Store(c1 + 8);
                x20.Store(c2);
                x21.Store(c2 + 8);
                x30.Store(c3);
                x31.Store(c3 + 8);
            }

            for (; m < rowEnd; m++)
            {
                float* c0 = c + ((long)m * ldc) + j;
                Vector256<float> x0 = Vector256.Load(c0), x1 = Vector256.Load(c0 + 8);
                float* a0 = a + ((long)m * am);
                for (int p = 0; p < k; p++)
                {
                    float* bp = b + ((long)p * ldb) + j;
                    var v = Vector256.Create(a0[(long)p * ak]);
                    x0 = Vector256.FusedMultiplyAdd(v, Vector256.Load(bp), x0);
                    x1 = Vector256.FusedMultiplyAdd(v, Vector256.Load(bp + 8), x1);
                }

                x0.Store(c0);
                x1.Store(c0 + 8);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MultiplyScalar(int rowStart, int rowEnd, int n, int k, float* a, int am, int ak, float* b, int ldb, float* c, int ldc)
    {
        for (int m = rowStart; m < rowEnd; m++)
        {
            float* cm = c + ((long)m * ldc);
            for (int p = 0; p < k; p++)
            {
                float v = a[((long)m * am) + ((long)p * ak)];
                float* bp = b + ((long)p * ldb);
                for (int j = 0; j < n; j++)
                {
                    cm[j] = MathF.FusedMultiplyAdd(v, bp[j], cm[j]);
                }
            }
        }
    }

    /// <summary>target[j, i] = source[i, j] for i &lt; rows, j &lt; columns, in tiles so that both sides stay in cache.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Transpose(float* source, int rows, int columns, int sourceStride, float* target, int targetStride)
    {
        const int Tile = 32;
        for (int i0 = 0; i0 < rows; i0 += Tile)
        {
            int i1 = Math.Min(i0 + Tile, rows);
            for (int j0 = 0; j0 < columns; j0 += Tile)
            {
                int j1 = Math.Min(j0 + Tile, columns);
                for (int i = i0; i < i1; i++)
                {
                    for (int j = j0; j < j1; j++)
                    {
                        target[((long)j * targetStride) + i] = source[((long)i * sourceStride) + j];
                    }
                }
            }
        }
    }
}
