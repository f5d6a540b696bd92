using System.Numerics;
using System.Runtime.CompilerServices;

namespace AutoRec.Contracts;

/// <summary>
/// The one solver of small symmetric positive definite systems: least squares' normal equations (blend weights,
/// matrix factorisation's ridge regressions, a new user's fold-in). Double precision, in place in the caller's
/// (often pooled) buffer: A = L·Lᵀ by Cholesky in A's lower triangle, then two triangular solves.
/// </summary>
public static class SymmetricSolver
{
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
        for (int j = 0; j < n; j++)
        {
            Span<double> rowJ = system.Slice(j * n, n);
            double diagonal = rowJ[j] - Dot(rowJ, rowJ, j);
            if (!(diagonal > 0))
            {
                return false;
            }

            double pivot = Math.Sqrt(diagonal);
            rowJ[j] = pivot;
            int i = j + 1;
            for (; i + 3 < n; i += 4)
            {
                // Four rows against row j at once: row j's values are loaded once for the four (the factor is bound
                // by those loads: 5.5M multiply-adds for a 321 x 321 fold-in took as long as building the matrix).
                (double d0, double d1, double d2, double d3) = Dot4(
                    rowJ[..j], system.Slice(i * n, j), system.Slice((i + 1) * n, j), system.Slice((i + 2) * n, j), system.Slice((i + 3) * n, j));
                system[(i * n) + j] = (system[(i * n) + j] - d0) / pivot;
                system[((i + 1) * n) + j] = (system[((i + 1) * n) + j] - d1) / pivot;
                system[((i + 2) * n) + j] = (system[((i + 2) * n) + j] - d2) / pivot;
                system[((i + 3) * n) + j] = (system[((i + 3) * n) + j] - d3) / pivot;
            }

            for (; i < n; i++)
            {
                Span<double> rowI = system.Slice(i * n, n);
                rowI[j] = (rowI[j] - Dot(rowI, rowJ, j)) / pivot;
            }
        }

        return true;
    }

    /// <summary>Solves L·Lᵀ x = b in place (<paramref name="x"/> holds b on entry) with the factor from <see cref="TryFactor"/>.</summary>
    public static void SolveFactored(ReadOnlySpan<double> factor, int n, Span<double> x)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(factor.Length, n * n, nameof(factor));
        ArgumentOutOfRangeException.ThrowIfLessThan(x.Length, n, nameof(x));
        for (int i = 0; i < n; i++)
        {
            double sum = x[i];
            for (int k = 0; k < i; k++)
            {
                sum -= factor[(i * n) + k] * x[k];
            }

            x[i] = sum / factor[(i * n) + i];
        }

        for (int i = n - 1; i >= 0; i--)
        {
            double sum = x[i];
            for (int k = i + 1; k < n; k++)
            {
                sum -= factor[(k * n) + i] * x[k];
            }

            x[i] = sum / factor[(i * n) + i];
        }
    }

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
        if (Vector.IsHardwareAccelerated && length >= 4 * Vector<double>.Count)
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
