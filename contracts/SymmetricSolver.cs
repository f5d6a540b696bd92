namespace AutoRec.Contracts;

/// <summary>The small dense solves of least squares (ridge regressions of matrix factorisation, blend weights).</summary>
public static class SymmetricSolver
{
    /// <summary>
    /// Solves gram · x = right for a symmetric positive definite <paramref name="gram"/> (n × n, row-major, only its
    /// lower triangle read): Cholesky in place in that triangle, then two triangular solves; x replaces
    /// <paramref name="right"/>.
    /// </summary>
    public static void Solve(double[] gram, double[] right, int n)
    {
        for (int j = 0; j < n; j++)
        {
            double diagonal = gram[(j * n) + j];
            for (int p = 0; p < j; p++)
            {
                diagonal -= gram[(j * n) + p] * gram[(j * n) + p];
            }

            diagonal = Math.Sqrt(diagonal);
            gram[(j * n) + j] = diagonal;
            for (int i = j + 1; i < n; i++)
            {
                double sum = gram[(i * n) + j];
                for (int p = 0; p < j; p++)
                {
                    sum -= gram[(i * n) + p] * gram[(j * n) + p];
                }

                gram[(i * n) + j] = sum / diagonal;
            }
        }

        for (int i = 0; i < n; i++)
        {
            double sum = right[i];
            for (int p = 0; p < i; p++)
            {
                sum -= gram[(i * n) + p] * right[p];
            }

            right[i] = sum / gram[(i * n) + i];
        }

        for (int i = n - 1; i >= 0; i--)
        {
            double sum = right[i];
            for (int p = i + 1; p < n; p++)
            {
                sum -= gram[(p * n) + i] * right[p];
            }

            right[i] = sum / gram[(i * n) + i];
        }
    }
}
