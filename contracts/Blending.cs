namespace AutoRec.Contracts;

/// <summary>Linear blends of several models' predictions of the same ratings: fitting the weights, and scoring.</summary>
public static class Blending
{
    /// <summary>
    /// Least-squares weights [intercept, w_1, ..., w_k] of <paramref name="predictions"/> (one array per model, in
    /// the order of <paramref name="targets"/>) against the targets: the normal equations, solved by
    /// <see cref="SymmetricSolver"/> with a tiny ridge (1e-6 times the mean diagonal) so that two identical models still give an answer.
    /// </summary>
    public static double[] FitLeastSquares(IReadOnlyList<float[]> predictions, IReadOnlyList<float> targets)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(targets);
        int k = predictions.Count + 1;
        var gram = new double[k * k];
        var weights = new double[k];
        var x = new double[k];
        for (int n = 0; n < targets.Count; n++)
        {
            x[0] = 1;
            for (int m = 1; m < k; m++)
            {
                x[m] = predictions[m - 1][n];
            }

            for (int i = 0; i < k; i++)
            {
                weights[i] += x[i] * targets[n];
                for (int j = 0; j <= i; j++)
                {
                    gram[(i * k) + j] += x[i] * x[j];
                }
            }
        }

        double ridge = 1e-6 * Enumerable.Range(0, k).Average(i => gram[(i * k) + i]);
        for (int i = 0; i < k; i++)
        {
            gram[(i * k) + i] += ridge;
        }

        SymmetricSolver.Solve(gram, weights, k);
        return weights;
    }

    /// <summary>The blend <paramref name="weights"/> [intercept, w_1, ..., w_k] of one answer's member <paramref name="predictions"/>, unclipped.</summary>
    public static double Combine(ReadOnlySpan<double> weights, ReadOnlySpan<float> predictions)
    {
        double sum = weights[0];
        for (int k = 0; k < predictions.Length; k++)
        {
            sum += weights[k + 1] * predictions[k];
        }

        return sum;
    }

    /// <summary>The blend <paramref name="weights"/> [intercept, w_1, ..., w_k] of <paramref name="predictions"/>, unclipped.</summary>
    public static float[] Apply(IReadOnlyList<float[]> predictions, IReadOnlyList<double> weights)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(weights);
        var blended = new float[predictions[0].Length];
        for (int n = 0; n < blended.Length; n++)
        {
            double sum = weights[0];
            for (int m = 0; m < predictions.Count; m++)
            {
                sum += weights[m + 1] * predictions[m][n];
            }

            blended[n] = (float)sum;
        }

        return blended;
    }

    /// <summary>The RMSEs of the blend <paramref name="weights"/> of <paramref name="predictions"/> at <paramref name="targets"/>, clipped to <paramref name="scale"/>.</summary>
    public static RmseResult Score(IReadOnlyList<float[]> predictions, IReadOnlyList<double> weights, IReadOnlyList<Rating> targets, RatingScale scale)
    {
        ArgumentNullException.ThrowIfNull(targets);
        float[] blended = Apply(predictions, weights);
        var rmse = new RmseAccumulator();
        for (int n = 0; n < targets.Count; n++)
        {
            rmse.Add(targets[n].UserId, Math.Clamp(blended[n], scale.Min, scale.Max), targets[n].Value);
        }

        return rmse.Result();
    }
}
