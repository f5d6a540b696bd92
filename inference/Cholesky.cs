namespace AutoRec.Inference;

/// <summary>
/// Solves small symmetric positive definite systems (a fold-in's n x n or (hidden + 1)² normal equations) in double
/// precision, in place in the caller's (pooled) buffer: A = L·Lᵀ, then two triangular solves.
/// </summary>
internal static class Cholesky
{
    /// <summary>Overwrites the lower triangle of the row-major n x n <paramref name="a"/> with L; false when A is not positive definite.</summary>
    public static bool Factor(Span<double> a, int n)
    {
        for (int j = 0; j < n; j++)
        {
            Span<double> rowJ = a.Slice(j * n, n);
            double diagonal = rowJ[j] - Dot(rowJ, rowJ, j);
            if (!(diagonal > 0))
            {
                return false;
            }

            double pivot = Math.Sqrt(diagonal);
            rowJ[j] = pivot;
            for (int i = j + 1; i < n; i++)
            {
                Span<double> rowI = a.Slice(i * n, n);
                rowI[j] = (rowI[j] - Dot(rowI, rowJ, j)) / pivot;
            }
        }

        return true;
    }

    /// <summary>Solves L·Lᵀ x = b in place (<paramref name="x"/> holds b on entry) with the factor from <see cref="Factor"/>.</summary>
    public static void Solve(ReadOnlySpan<double> l, int n, Span<double> x)
    {
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<double> row = l.Slice(i * n, n);
            double sum = x[i];
            for (int k = 0; k < i; k++)
            {
                sum -= row[k] * x[k];
            }

            x[i] = sum / row[i];
        }

        for (int i = n - 1; i >= 0; i--)
        {
            double sum = x[i];
            for (int k = i + 1; k < n; k++)
            {
                sum -= l[(k * n) + i] * x[k];
            }

            x[i] = sum / l[(i * n) + i];
        }
    }

    private static double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y, int length) => Simd.Dot(x[..length], y[..length]);
}
