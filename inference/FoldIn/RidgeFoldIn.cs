using System.Buffers;
using AutoRec.Contracts;
using AutoRec.Inference.Numerics;
using AutoRec.Inference.Recommenders;

namespace AutoRec.Inference.FoldIn;

/// <summary>
/// Folds a new user into an item-based model: the decoder row w and bias b that minimise
/// Σ_i a_i (w·c_i + b − r_i)² + λ‖w‖² over the movies i they rated (c_i: the movie's code), the problem training solved
/// for every known user's row (see <see cref="FoldInPrior"/>). Double-precision solve, pooled buffers, no allocation.
/// </summary>
/// <remarks>
/// With fewer ratings than hidden units (the usual case) it solves the dual: w = Σ α_i c_i with
/// (K + λ·diag(1/a)) α = r − b·1 and Σ α_i = 0 (the bias's own condition), K_ij = c_i·c_j: one n x n Cholesky
/// factor, two solves (x for r, y for 1), b = Σx / Σy, α = x − b·y. With more ratings than hidden units the primal
/// (hidden + 1)² normal equations are smaller and are solved instead; both give the same minimiser. Either matrix is
/// one register-blocked product (<see cref="Gemm"/>) of the gathered codes with themselves, lower triangle only:
/// dot products entry by entry were bound by their loads (a 500-rating fold-in spent most of its time there).
/// </remarks>
internal static class RidgeFoldIn
{
    // Rows of the product per Gemm call: each strip computes only the columns up to its last row (the lower triangle).
    private const int Strip = 64;

    /// <summary>Fits the row into <paramref name="w"/> (<see cref="MovieVectors.Width"/> long) and returns the bias.</summary>
    /// <param name="codes">Every movie's code.</param>
    /// <param name="movies">The rated movies' indices in <paramref name="codes"/> (at least one).</param>
    /// <param name="ratings">Their ratings.</param>
    /// <param name="weights">Each rating's weight a_i; empty for all 1.</param>
    /// <param name="lambda">The ridge λ (positive).</param>
    /// <param name="w">Receives the decoder row.</param>
    public static float Solve(MovieVectors codes, ReadOnlySpan<int> movies, ReadOnlySpan<float> ratings, ReadOnlySpan<float> weights, double lambda, Span<float> w) =>
        movies.Length <= codes.Width
            ? Dual(codes, movies, ratings, weights, lambda, w)
            : Primal(codes, movies, ratings, weights, lambda, w);

    private static float Dual(MovieVectors codes, ReadOnlySpan<int> movies, ReadOnlySpan<float> ratings, ReadOnlySpan<float> weights, double lambda, Span<float> w)
    {
        // K = C Cᵀ for the rated movies' codes C (n x h): the product of Cᵀ (h x n, gathered, padded) with itself.
        int h = codes.Width;
        int n = movies.Length;
        int width = RoundUp(n);
        float[] gathered = ArrayPool<float>.Shared.Rent((h * width) + (width * width));
        double[] buffer = ArrayPool<double>.Shared.Rent((n * n) + (2 * n));
        try
        {
            Span<float> transposed = gathered.AsSpan(0, h * width);
            Span<float> product = gathered.AsSpan(h * width, width * width);
            transposed.Clear();
            for (int i = 0; i < n; i++)
            {
                ReadOnlySpan<float> code = codes.Row(movies[i]);
                for (int q = 0; q < h; q++)
                {
                    transposed[(q * width) + i] = code[q];
                }
            }

            LowerGram(transposed, transposed, h, width, n, product);
            Span<double> system = buffer.AsSpan(0, n * n);
            Span<double> x = buffer.AsSpan(n * n, n);
            Span<double> y = buffer.AsSpan((n * n) + n, n);
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < i; j++)
                {
                    system[(i * n) + j] = product[(i * width) + j]; // the factor reads the lower triangle only
                }

                system[(i * n) + i] = product[(i * width) + i] + (lambda / WeightOf(weights, i));
                x[i] = ratings[i];
                y[i] = 1;
            }

            Factor(system, n);
            SymmetricSolver.SolveFactored(system, n, x);
            SymmetricSolver.SolveFactored(system, n, y);
            double bias = Sum(x) / Sum(y);
            w.Clear();
            for (int i = 0; i < n; i++)
            {
                Simd.MultiplyAdd(codes.Row(movies[i]), (float)(x[i] - (bias * y[i])), w);
            }

            return (float)bias;
        }
        finally
        {
            ArrayPool<float>.Shared.Return(gathered);
            ArrayPool<double>.Shared.Return(buffer);
        }
    }

    private static float Primal(MovieVectors codes, ReadOnlySpan<int> movies, ReadOnlySpan<float> ratings, ReadOnlySpan<float> weights, double lambda, Span<float> w)
    {
        // Unknowns θ = (w, b): (Xᵀ A X + diag(λ, ..., λ, 0)) θ = Xᵀ A r with X's rows (c_i, 1). One product gives both
        // sides: with Z's rows z_i = (c_i, 1, r_i), Zᵀ A Z holds the system in its first p rows and columns and Xᵀ A r
        // in row p.
        int h = codes.Width;
        int p = h + 1;
        int n = movies.Length;
        int width = RoundUp(p + 1);
        float[] gathered = ArrayPool<float>.Shared.Rent((n * width * (weights.IsEmpty ? 1 : 2)) + (width * width));
        double[] buffer = ArrayPool<double>.Shared.Rent((p * p) + p);
        try
        {
            Span<float> z = gathered.AsSpan(0, n * width);
            for (int i = 0; i < n; i++)
            {
                Span<float> row = z.Slice(i * width, width);
                codes.Row(movies[i]).CopyTo(row);
                row[h] = 1;
                row[h + 1] = ratings[i];
                row[(h + 2)..].Clear();
            }

            Span<float> weighted = z;
            if (!weights.IsEmpty)
            {
                weighted = gathered.AsSpan(n * width, n * width);
                for (int i = 0; i < n; i++)
                {
                    Span<float> to = weighted.Slice(i * width, width);
                    z.Slice(i * width, width).CopyTo(to);
                    Simd.Scale(to, weights[i]);
                }
            }

            Span<float> product = gathered.AsSpan(weights.IsEmpty ? n * width : 2 * n * width, width * width);
            LowerGram(z, weighted, n, width, p + 1, product);
            Span<double> system = buffer.AsSpan(0, p * p);
            Span<double> rhs = buffer.AsSpan(p * p, p);
            for (int q = 0; q < p; q++)
            {
                for (int s = 0; s <= q; s++)
                {
                    system[(q * p) + s] = product[(q * width) + s];
                }

                rhs[q] = product[((h + 1) * width) + q];
            }

            for (int q = 0; q < h; q++)
            {
                system[(q * p) + q] += lambda;
            }

            Factor(system, p);
            SymmetricSolver.SolveFactored(system, p, rhs);
            for (int q = 0; q < h; q++)
            {
                w[q] = (float)rhs[q];
            }

            return (float)rhs[h];
        }
        finally
        {
            ArrayPool<float>.Shared.Return(gathered);
            ArrayPool<double>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// product[q, s] = Σ_k rows[k, q] · scaled[k, s] for s ≤ q &lt; <paramref name="used"/> (the lower triangle of
    /// rowsᵀ·scaled); <paramref name="rows"/> and <paramref name="scaled"/> are <paramref name="count"/> x
    /// <paramref name="width"/> row-major, as is the product (width x width).
    /// </summary>
    private static void LowerGram(ReadOnlySpan<float> rows, ReadOnlySpan<float> scaled, int count, int width, int used, Span<float> product)
    {
        // Rows rounded up to a multiple of four (the padding is zeros, within width): a strip's last rows then go
        // through the 4-row kernels, not one row at a time (a 322-row primal's last two rows cost a tenth of its time).
        int rowCount = (used + 3) / 4 * 4;
        for (int start = 0; start < rowCount; start += Strip)
        {
            int end = Math.Min(start + Strip, rowCount);
            Gemm.Multiply(start, end, RoundUp(end), count, rows, 1, width, scaled, width, product, width, accumulate: false);
        }
    }

    private static int RoundUp(int length) => (length + Gemm.ColumnStep - 1) / Gemm.ColumnStep * Gemm.ColumnStep;

    private static void Factor(Span<double> system, int n)
    {
        if (!SymmetricSolver.TryFactor(system, n))
        {
            // λ > 0 makes both systems positive definite: only non-finite codes get here.
            throw new InvalidOperationException("the fold-in's normal equations are not positive definite: the model's movie codes are not finite");
        }
    }

    private static double WeightOf(ReadOnlySpan<float> weights, int i) => weights.IsEmpty ? 1.0 : weights[i];

    private static double Sum(ReadOnlySpan<double> values)
    {
        double sum = 0;
        foreach (double value in values)
        {
            sum += value;
        }

        return sum;
    }
}
