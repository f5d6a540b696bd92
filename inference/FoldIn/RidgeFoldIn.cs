using System.Buffers;
using AutoRec.Contracts;
using AutoRec.Inference.Numerics;
using AutoRec.Inference.Recommenders;

namespace AutoRec.Inference.FoldIn;

/// <summary>
/// Folds a new user into an item-based model: the decoder row w and bias b that minimise
/// Σ_i a_i (w·c_i + b − r_i)² + λ‖w‖² over the movies i they rated (c_i: the movie's code), the problem training solved
/// for every known user's row (see <see cref="FoldInPrior"/>). Double precision, pooled buffers, no allocation.
/// </summary>
/// <remarks>
/// With fewer ratings than hidden units (the usual case) it solves the dual: w = Σ α_i c_i with
/// (K + λ·diag(1/a)) α = r − b·1 and Σ α_i = 0 (the bias's own condition), K_ij = c_i·c_j: one n x n Cholesky
/// factor, two solves (x for r, y for 1), b = Σx / Σy, α = x − b·y. With more ratings than hidden units the primal
/// (hidden + 1)² normal equations are smaller and are solved instead; both give the same minimiser.
/// </remarks>
internal static class RidgeFoldIn
{
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
        int n = movies.Length;
        double[] buffer = ArrayPool<double>.Shared.Rent((n * n) + (2 * n));
        try
        {
            Span<double> system = buffer.AsSpan(0, n * n);
            Span<double> x = buffer.AsSpan(n * n, n);
            Span<double> y = buffer.AsSpan((n * n) + n, n);
            for (int i = 0; i < n; i++)
            {
                ReadOnlySpan<float> ci = codes.Row(movies[i]);
                for (int j = 0; j < i; j++)
                {
                    system[(i * n) + j] = Simd.Dot(ci, codes.Row(movies[j])); // the factor reads the lower triangle only
                }

                system[(i * n) + i] = Simd.Dot(ci, ci) + (lambda / WeightOf(weights, i));
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
            ArrayPool<double>.Shared.Return(buffer);
        }
    }

    private static float Primal(MovieVectors codes, ReadOnlySpan<int> movies, ReadOnlySpan<float> ratings, ReadOnlySpan<float> weights, double lambda, Span<float> w)
    {
        // Unknowns θ = (w, b): (Xᵀ A X + diag(λ, ..., λ, 0)) θ = Xᵀ A r with X's rows (c_i, 1); lower triangle only.
        // Xᵀ is gathered once (one row per code value, n long) so that every entry is one contiguous dot product:
        // adding each rating's outer product to the whole matrix instead streams it through the cache n times.
        int h = codes.Width;
        int p = h + 1;
        int n = movies.Length;
        double[] buffer = ArrayPool<double>.Shared.Rent((p * p) + p);
        float[] columns = ArrayPool<float>.Shared.Rent(h * n * (weights.IsEmpty ? 1 : 2));
        float[] values = ArrayPool<float>.Shared.Rent(n);
        try
        {
            Span<double> system = buffer.AsSpan(0, p * p);
            Span<double> rhs = buffer.AsSpan(p * p, p);
            Span<float> transposed = columns.AsSpan(0, h * n);
            for (int i = 0; i < n; i++)
            {
                ReadOnlySpan<float> code = codes.Row(movies[i]);
                for (int q = 0; q < h; q++)
                {
                    transposed[(q * n) + i] = code[q];
                }
            }

            // A Xᵀ: the same rows scaled by each rating's weight (all 1 unless the loss weights movies).
            Span<float> weighted = transposed;
            double weightSum = n;
            if (!weights.IsEmpty)
            {
                weighted = columns.AsSpan(h * n, h * n);
                weightSum = 0;
                for (int i = 0; i < n; i++)
                {
                    weightSum += weights[i];
                }

                for (int q = 0; q < h; q++)
                {
                    ReadOnlySpan<float> from = transposed.Slice(q * n, n);
                    Span<float> to = weighted.Slice(q * n, n);
                    for (int i = 0; i < n; i++)
                    {
                        to[i] = from[i] * weights[i];
                    }
                }
            }

            Span<float> r = values.AsSpan(0, n);
            ratings.CopyTo(r);
            double weightedRatings = 0;
            for (int i = 0; i < n; i++)
            {
                weightedRatings += (double)WeightOf(weights, i) * ratings[i];
            }

            for (int q = 0; q < h; q++)
            {
                ReadOnlySpan<float> scaled = weighted.Slice(q * n, n);
                Span<double> row = system.Slice(q * p, q + 1);
                int s = 0;
                for (; s + 3 <= q; s += 4)
                {
                    (row[s], row[s + 1], row[s + 2], row[s + 3]) = Simd.Dot4(
                        scaled, transposed.Slice(s * n, n), transposed.Slice((s + 1) * n, n), transposed.Slice((s + 2) * n, n), transposed.Slice((s + 3) * n, n));
                }

                for (; s <= q; s++)
                {
                    row[s] = Simd.Dot(scaled, transposed.Slice(s * n, n));
                }

                system[(q * p) + q] += lambda;
                system[(h * p) + q] = Sum(scaled);
                rhs[q] = Simd.Dot(scaled, r);
            }

            system[(h * p) + h] = weightSum;
            rhs[h] = weightedRatings;

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
            ArrayPool<double>.Shared.Return(buffer);
            ArrayPool<float>.Shared.Return(columns);
            ArrayPool<float>.Shared.Return(values);
        }
    }

    private static void Factor(Span<double> system, int n)
    {
        if (!SymmetricSolver.TryFactor(system, n))
        {
            // λ > 0 makes both systems positive definite: only non-finite codes get here.
            throw new InvalidOperationException("the fold-in's normal equations are not positive definite: the model's movie codes are not finite");
        }
    }

    private static double WeightOf(ReadOnlySpan<float> weights, int i) => weights.IsEmpty ? 1.0 : weights[i];

    private static double Sum(ReadOnlySpan<float> values)
    {
        double sum = 0;
        foreach (float value in values)
        {
            sum += value;
        }

        return sum;
    }

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
