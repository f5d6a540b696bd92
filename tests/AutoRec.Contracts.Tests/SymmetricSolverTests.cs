namespace AutoRec.Contracts.Tests;

public sealed class SymmetricSolverTests
{
    [Fact]
    public void SolvesAPositiveDefiniteSystemReadingOnlyTheLowerTriangle()
    {
        // The lower triangle of [[4,2,1],[2,5,3],[1,3,6]]; the upper one holds noise the solver must not read.
        double[] system = [4, 99, 99, 2, 5, 99, 1, 3, 6];
        double[] right = [7, 10, 10]; // = A · [1, 1, 1]
        SymmetricSolver.Solve(system, right, 3);
        Assert.All(right, x => Assert.Equal(1.0, x, 12));
    }

    [Fact]
    public void OneFactorSolvesSeveralRightHandSides()
    {
        double[] system = [4, 0, 2, 3];          // [[4,2],[2,3]]
        Assert.True(SymmetricSolver.TryFactor(system, 2));
        double[] first = [6, 5];                 // = A · [1, 1]
        double[] second = [8, 7];                // = A · [1.25, 1.5]
        SymmetricSolver.SolveFactored(system, 2, first);
        SymmetricSolver.SolveFactored(system, 2, second);
        Assert.Equal([1.0, 1.0], first.Select(x => Math.Round(x, 12)));
        Assert.Equal([1.25, 1.5], second.Select(x => Math.Round(x, 12)));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(9)] // two panels and a one-column one: every remainder
    [InlineData(38)] // dot products of 36 values: vectors of 8 and a tail of 4
    [InlineData(321)] // a primal fold-in's size
    public void SolvesRandomSystemsOfEverySize(int n)
    {
        // A = M Mᵀ + I, its upper triangle noise; x = A⁻¹ b checked by multiplying back.
        var random = new Random(n);
        double[] m = [.. Enumerable.Range(0, n * n).Select(_ => random.NextDouble() - 0.5)];
        var a = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                double sum = i == j ? 1 : 0;
                for (int k = 0; k < n; k++)
                {
                    sum += m[(i * n) + k] * m[(j * n) + k];
                }

                a[(i * n) + j] = a[(j * n) + i] = sum;
            }
        }

        double[] system = [.. a];
        for (int i = 0; i < n; i++)
        {
            for (int j = i + 1; j < n; j++)
            {
                system[(i * n) + j] = 1e6;
            }
        }

        double[] b = [.. Enumerable.Range(0, n).Select(_ => random.NextDouble())];
        double[] x = [.. b];
        SymmetricSolver.Solve(system, x, n);

        for (int i = 0; i < n; i++)
        {
            double ax = Enumerable.Range(0, n).Sum(j => a[(i * n) + j] * x[j]);
            Assert.Equal(b[i], ax, 1e-8);
        }
    }

    [Theory]
    [InlineData(new double[] { 1, 0, 2, 1 })]               // [[1,2],[2,1]]: indefinite
    [InlineData(new double[] { 1, 0, 1, 1 })]               // [[1,1],[1,1]]: singular
    [InlineData(new double[] { double.NaN, 0, 0, 1 })]      // not finite
    public void ASystemThatIsNotPositiveDefiniteIsRefusedRatherThanSolvedIntoNaN(double[] system)
    {
        Assert.False(SymmetricSolver.TryFactor((double[])system.Clone(), 2));
        ArgumentException e = Assert.Throws<ArgumentException>(() => SymmetricSolver.Solve(system, new double[] { 1, 1 }, 2));
        Assert.Contains("not positive definite", e.Message, StringComparison.Ordinal);
    }
}
