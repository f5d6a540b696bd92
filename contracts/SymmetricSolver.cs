using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace AutoRec.Contracts;

/// <summary>
/// The one solver of small symmetric positive definite systems: least squares' normal equations (blend weights,
/// matrix factorisation's ridge regressions, a new user's fold-in). Double precision, in place in the caller's
/// (often pooled) buffer: A = L·Lᵀ by Cholesky in A's lower triangle, then two triangular solves.
/// </summary>
public static class SymmetricSolver
{
    // The factor's columns per panel (see TryFactor).
    private const int Panel = 4;

    /// <summary>
    /// Solves A · x = <paramref name="right"/> for a symmetric positive definite A (<paramref name="system"/>: n × n,
    /// row-major, only its lower triangle read, which L replaces); x replaces <paramref name="right"/>.
    /// </summary>
    /// <exception cref="ArgumentException">A is not positive definite (or holds a non-finite value).</exception>
    public static void Solve(Span<double> system, Span<double> right, int n)
    {
        if (!TryFactor(system, n))
        {
            throw new ArgumentException("the system is not positive definite (or not finite)", nameof(system));
        }

        SolveFactored(system, n, right);
    }

    /// <summary>
    /// Overwrites the lower triangle of the row-major n × n <paramref name="system"/> with L (A = L·Lᵀ); false, with
    /// the triangle half overwritten, when A is not positive definite. Factor once to solve for several right-hand
    /// sides with <see cref="SolveFactored"/>.
    /// </summary>
    public static bool TryFactor(Span<double> system, int n)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(system.Length, n * n, nameof(system));

        // Left-looking by panels of four columns: first every entry of the panel loses the finished columns' part
        // (k < j0) as dot products four rows by four pivot rows at a time, each loaded vector feeding four multiply-adds
        // (column by column, each vector of the pivot row fed only four rows: the factor of a 321 x 321 fold-in system
        // was bound by those loads); then the panel finishes column by column over its own few columns.
        Span<double> dots = stackalloc double[Panel * Panel];
        for (int j0 = 0; j0 < n; j0 += Panel)
        {
            int width = Math.Min(Panel, n - j0);
            if (j0 > 0)
            {
                SubtractFinished(system, n, j0, width, dots);
            }

            for (int j = j0; j < j0 + width; j++)
            {
                Span<double> rowJ = system.Slice(j * n, n);
                double diagonal = rowJ[j];
                for (int k = j0; k < j; k++)
                {
                    diagonal -= rowJ[k] * rowJ[k];
                }

                if (!(diagonal > 0))
                {
                    return false;
                }

                double pivot = Math.Sqrt(diagonal);
                rowJ[j] = pivot;
                for (int i = j + 1; i < n; i++)
                {
                    Span<double> rowI = system.Slice(i * n, n);
                    double sum = rowI[j];
                    for (int k = j0; k < j; k++)
                    {
                        sum -= rowI[k] * rowJ[k];
                    }

                    rowI[j] = sum / pivot;
                }
            }
        }

        return true;
    }

    /// <summary>A[i, j] −= L[i, :j0] · L[j, :j0] for the panel's columns j0 ≤ j &lt; j0 + width and every row i ≥ j.</summary>
    private static void SubtractFinished(Span<double> system, int n, int j0, int width, Span<double> dots)
    {
        int i = j0;
        if (width == Panel && Vector512.IsHardwareAccelerated)
        {
            for (; i + Panel <= n; i += Panel)
            {
                Dots4x4(system, n, i, j0, dots);
                for (int a = 0; a < Panel; a++)
                {
                    for (int b = 0; b < Panel && j0 + b <= i + a; b++)
                    {
                        system[((i + a) * n) + j0 + b] -= dots[(a * Panel) + b];
                    }
                }
            }
        }

        for (; i < n; i++)
        {
            ReadOnlySpan<double> rowI = system.Slice(i * n, j0);
            if (width == Panel)
            {
                (double d0, double d1, double d2, double d3) = Dot4(
                    rowI, system.Slice(j0 * n, j0), system.Slice((j0 + 1) * n, j0), system.Slice((j0 + 2) * n, j0), system.Slice((j0 + 3) * n, j0));
                Span<double> target = system.Slice((i * n) + j0, Panel);
                target[0] -= d0;
                target[1] -= i >= j0 + 1 ? d1 : 0;
                target[2] -= i >= j0 + 2 ? d2 : 0;
                target[3] -= i >= j0 + 3 ? d3 : 0;
            }
            else
            {
                for (int j = j0; j < j0 + width && j <= i; j++)
                {
                    system[(i * n) + j] -= Dot(rowI, system.Slice(j * n, j0), j0);
                }
            }
        }
    }

    /// <summary>dots[a · 4 + b] = L[i + a, :j0] · L[j0 + b, :j0] for a, b &lt; 4: sixteen sums, eight loads per sixteen multiply-adds.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Dots4x4(Span<double> system, int n, int i, int j0, Span<double> dots)
    {
        ref double origin = ref MemoryMarshal.GetReference(system);
        nuint r0 = (nuint)(i * n), r1 = r0 + (nuint)n, r2 = r1 + (nuint)n, r3 = r2 + (nuint)n;
        nuint p0 = (nuint)(j0 * n), p1 = p0 + (nuint)n, p2 = p1 + (nuint)n, p3 = p2 + (nuint)n;
        Vector512<double> s00 = default, s01 = default, s02 = default, s03 = default;
        Vector512<double> s10 = default, s11 = default, s12 = default, s13 = default;
        Vector512<double> s20 = default, s21 = default, s22 = default, s23 = default;
        Vector512<double> s30 = default, s31 = default, s32 = default, s33 = default;
        int k = 0;
        for (; k + Vector512<double>.Count <= j0; k += Vector512<double>.Count)
        {
            nuint o = (nuint)k;
            Vector512<double> q0 = Vector512.LoadUnsafe(ref origin, p0 + o);
            Vector512<double> q1 = Vector512.LoadUnsafe(ref origin, p1 + o);
            Vector512<double> q2 = Vector512.LoadUnsafe(ref origin, p2 + o);
            Vector512<double> q3 = Vector512.LoadUnsafe(ref origin, p3 + o);
            Vector512<double> x = Vector512.LoadUnsafe(ref origin, r0 + o);
            s00 = Vector512.FusedMultiplyAdd(x, q0, s00);
            s01 = Vector512.FusedMultiplyAdd(x, q1, s01);
            s02 = Vector512.FusedMultiplyAdd(x, q2, s02);
            s03 = Vector512.FusedMultiplyAdd(x, q3, s03);
            x = Vector512.LoadUnsafe(ref origin, r1 + o);
            s10 = Vector512.FusedMultiplyAdd(x, q0, s10);
            s11 = Vector512.FusedMultiplyAdd(x, q1, s11);
            s12 = Vector512.FusedMultiplyAdd(x, q2, s12);
            s13 = Vector512.FusedMultiplyAdd(x, q3, s13);
            x = Vector512.LoadUnsafe(ref origin, r2 + o);
            s20 = Vector512.FusedMultiplyAdd(x, q0, s20);
            s21 = Vector512.FusedMultiplyAdd(x, q1, s21);
            s22 = Vector512.FusedMultiplyAdd(x, q2, s22);
            s23 = Vector512.FusedMultiplyAdd(x, q3, s23);
            x = Vector512.LoadUnsafe(ref origin, r3 + o);
            s30 = Vector512.FusedMultiplyAdd(x, q0, s30);
            s31 = Vector512.FusedMultiplyAdd(x, q1, s31);
            s32 = Vector512.FusedMultiplyAdd(x, q2, s32);
            s33 = Vector512.FusedMultiplyAdd(x, q3, s33);
        }

        dots[0] = Vector512.Sum(s00);
        dots[1] = Vector512.Sum(s01);
        dots[2] = Vector512.Sum(s02);
        dots[3] = Vector512.Sum(s03);
        dots[4] = Vector512.Sum(s10);
        dots[5] = Vector512.Sum(s11);
        dots[6] = Vector512.Sum(s12);
        dots[7] = Vector512.Sum(s13);
        dots[8] = Vector512.Sum(s20);
        dots[9] = Vector512.Sum(s21);
        dots[10] = Vector512.Sum(s22);
        dots[11] = Vector512.Sum(s23);
        dots[12] = Vector512.Sum(s30);
        dots[13] = Vector512.Sum(s31);
        dots[14] = Vector512.Sum(s32);
        dots[15] = Vector512.Sum(s33);
        for (; k < j0; k++)
        {
            for (int a = 0; a < Panel; a++)
            {
                double x = system[((i + a) * n) + k];
                for (int b = 0; b < Panel; b++)
                {
                    dots[(a * Panel) + b] += x * system[((j0 + b) * n) + k];
                }
            }
        }
    }

    /// <summary>Solves L·Lᵀ x = b in place (<paramref name="x"/> holds b on entry) with the factor from <see cref="TryFactor"/>.</summary>
    public static void SolveFactored(ReadOnlySpan<double> factor, int n, Span<double> x)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(factor.Length, n * n, nameof(factor));
        ArgumentOutOfRangeException.ThrowIfLessThan(x.Length, n, nameof(x));

        // L y = b row by row (each a dot product with L's row), then Lᵀ x = y from the last unknown back, each solved
        // unknown subtracted at once from those above it along L's row (contiguous, where Lᵀ's rows are L's columns).
        for (int i = 0; i < n; i++)
        {
            x[i] = (x[i] - Dot(factor.Slice(i * n, i), x, i)) / factor[(i * n) + i];
        }

        for (int i = n - 1; i >= 0; i--)
        {
            x[i] /= factor[(i * n) + i];
            MultiplySubtract(factor.Slice(i * n, i), x[i], x[..i]);
        }
    }

    /// <summary>y −= a·x (the spans have the same length).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MultiplySubtract(ReadOnlySpan<double> x, double a, Span<double> y)
    {
        int k = 0;
        if (Vector.IsHardwareAccelerated)
        {
            int width = Vector<double>.Count;
            var scale = new Vector<double>(a);
            for (; k <= x.Length - width; k += width)
            {
                (new Vector<double>(y.Slice(k, width)) - (scale * new Vector<double>(x.Slice(k, width)))).CopyTo(y.Slice(k, width));
            }
        }

        for (; k < x.Length; k++)
        {
            y[k] -= a * x[k];
        }
    }

    // One row against a panel's four pivot rows: the rows the 4 x 4 kernel leaves (fewer than four at the bottom),
    // and every row where 512-bit vectors are not accelerated.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (double, double, double, double) Dot4(ReadOnlySpan<double> x, ReadOnlySpan<double> y0, ReadOnlySpan<double> y1, ReadOnlySpan<double> y2, ReadOnlySpan<double> y3)
    {
        int length = x.Length;
        int width = Vector<double>.Count;
        int k = 0;
        var s0 = Vector<double>.Zero;
        var s1 = Vector<double>.Zero;
        var s2 = Vector<double>.Zero;
        var s3 = Vector<double>.Zero;
        if (Vector.IsHardwareAccelerated)
        {
            for (; k <= length - width; k += width)
            {
                var xv = new Vector<double>(x.Slice(k, width));
                s0 += xv * new Vector<double>(y0.Slice(k, width));
                s1 += xv * new Vector<double>(y1.Slice(k, width));
                s2 += xv * new Vector<double>(y2.Slice(k, width));
                s3 += xv * new Vector<double>(y3.Slice(k, width));
            }
        }

        double d0 = Vector.Sum(s0);
        double d1 = Vector.Sum(s1);
        double d2 = Vector.Sum(s2);
        double d3 = Vector.Sum(s3);
        for (; k < length; k++)
        {
            d0 += x[k] * y0[k];
            d1 += x[k] * y1[k];
            d2 += x[k] * y2[k];
            d3 += x[k] * y3[k];
        }

        return (d0, d1, d2, d3);
    }

    // Fully optimised from the first call: a fold-in factors a system of up to (hidden + 1)² at start-up, when tiered
    // compilation would run this loop unoptimised.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y, int length)
    {
        // Four independent vector sums: a single running sum waits on each multiply-add before the next (the
        // factor of a 321 x 321 system took 7 ms that way).
        int k = 0;
        double sum = 0;
        if (Vector512.IsHardwareAccelerated && length >= 4 * Vector512<double>.Count)
        {
            ref double xr = ref MemoryMarshal.GetReference(x[..length]);
            ref double yr = ref MemoryMarshal.GetReference(y[..length]);
            int width = Vector512<double>.Count;
            Vector512<double> s0 = Vector512<double>.Zero, s1 = Vector512<double>.Zero, s2 = Vector512<double>.Zero, s3 = Vector512<double>.Zero;
            for (; k <= length - (4 * width); k += 4 * width)
            {
                s0 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref xr, (nuint)k), Vector512.LoadUnsafe(ref yr, (nuint)k), s0);
                s1 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref xr, (nuint)(k + width)), Vector512.LoadUnsafe(ref yr, (nuint)(k + width)), s1);
                s2 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref xr, (nuint)(k + (2 * width))), Vector512.LoadUnsafe(ref yr, (nuint)(k + (2 * width))), s2);
                s3 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref xr, (nuint)(k + (3 * width))), Vector512.LoadUnsafe(ref yr, (nuint)(k + (3 * width))), s3);
            }

            sum = Vector512.Sum((s0 + s1) + (s2 + s3));
        }
        else if (Vector.IsHardwareAccelerated && length >= 4 * Vector<double>.Count)
        {
            var s0 = Vector<double>.Zero;
            var s1 = Vector<double>.Zero;
            var s2 = Vector<double>.Zero;
            var s3 = Vector<double>.Zero;
            int width = Vector<double>.Count;
            for (; k <= length - (4 * width); k += 4 * width)
            {
                s0 += new Vector<double>(x.Slice(k, width)) * new Vector<double>(y.Slice(k, width));
                s1 += new Vector<double>(x.Slice(k + width, width)) * new Vector<double>(y.Slice(k + width, width));
                s2 += new Vector<double>(x.Slice(k + (2 * width), width)) * new Vector<double>(y.Slice(k + (2 * width), width));
                s3 += new Vector<double>(x.Slice(k + (3 * width), width)) * new Vector<double>(y.Slice(k + (3 * width), width));
            }

            sum = Vector.Sum((s0 + s1) + (s2 + s3));
        }

        for (; k < length; k++)
        {
            sum += x[k] * y[k];
        }

        return sum;
    }
}
