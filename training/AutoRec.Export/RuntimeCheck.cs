using AutoRec.Inference;

namespace AutoRec.Export;

/// <summary>Runs an exported model the way apps do, through the inference library, to compare it with the network it came from.</summary>
public static class RuntimeCheck
{
    /// <summary>
    /// Opens <paramref name="modelPath"/> with <see cref="RecommenderModel"/> and predicts the dense rows of
    /// <paramref name="ratings"/> (with <paramref name="side"/> features when the model takes them), row-major.
    /// </summary>
    /// <exception cref="ExportMismatchException">The inference library cannot load the model.</exception>
    public static float[] Predict(string modelPath, float[] ratings, float[]? side)
    {
        ArgumentNullException.ThrowIfNull(ratings);
        RecommenderModel model;
        try
        {
            // One intra-op thread: the comparison does not depend on how the machine splits the work.
            model = RecommenderModel.Open(modelPath, new RecommenderOptions { IntraOpThreads = 1 });
        }
        catch (ModelFormatException e)
        {
            throw new ExportMismatchException($"the exported model does not load in the inference library: {e.Message}");
        }

        using (model)
        {
            var predictions = new float[ratings.Length / model.InputWidth * model.OutputWidth];
            model.PredictDense(ratings, predictions, side);
            return predictions;
        }
    }

    /// <summary>The largest absolute difference between two equally long arrays (NaN when either holds NaN).</summary>
    public static float MaxAbsDifference(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length)
        {
            throw new ArgumentException($"lengths differ: {a.Length} and {b.Length}", nameof(b));
        }

        float max = 0;
        for (int i = 0; i < a.Length; i++)
        {
            max = MathF.Max(max, MathF.Abs(a[i] - b[i]));
        }

        return max;
    }
}
