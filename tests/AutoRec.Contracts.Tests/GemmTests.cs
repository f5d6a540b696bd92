namespace AutoRec.Contracts.Tests;

/// <summary>The dense kernel against a plain reference loop, at every vector width.</summary>
public sealed unsafe class GemmTests
{
    public static TheoryData<int> Widths() => [(int)SimdWidth.Scalar, (int)SimdWidth.V256, (int)SimdWidth.V512];

    [Theory]
    [MemberData(nameof(Widths))]
    public void ComputesATimesBAndATransposedTimesBAtEveryWidth(int vectorWidth)
    {
        var width = (SimdWidth)vectorWidth;
        const int m = 7, k = 13, n = 80; // a 4-row block plus 3 rows; 64 + 16 columns
        var random = new Random(2);
        float[] a = Draw(random, m * k), b = Draw(random, k * n), c = Draw(random, m * n);
        float[] transposed = new float[k * m];
        for (int i = 0; i < m; i++)
        {
            for (int p = 0; p < k; p++)
            {
                transposed[(p * m) + i] = a[(i * k) + p];
            }
        }

        foreach (bool accumulate in new[] { false, true })
        {
            float[] direct = [.. c], fromTransposed = [.. c];
            fixed (float* pa = a, pt = transposed, pb = b, pc = direct, pd = fromTransposed)
            {
                // Rows in two calls, as partitions split them.
                Gemm.Multiply(width, 0, 5, n, k, pa, k, 1, pb, n, pc, n, accumulate);
                Gemm.Multiply(width, 5, m, n, k, pa, k, 1, pb, n, pc, n, accumulate);
                Gemm.Multiply(width, 0, m, n, k, pt, 1, m, pb, n, pd, n, accumulate);
            }

            for (int i = 0; i < m; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    double expected = (accumulate ? c[(i * n) + j] : 0) + Enumerable.Range(0, k).Sum(p => (double)a[(i * k) + p] * b[(p * n) + j]);
                    Assert.Equal(expected, direct[(i * n) + j], 1e-4);
                    Assert.Equal(expected, fromTransposed[(i * n) + j], 1e-4);
                }
            }
        }
    }

    private static float[] Draw(Random random, int n) => [.. Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() - 0.5))];
}
