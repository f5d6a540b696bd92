using AutoRec.Contracts;
using AutoRec.Training.Data;

namespace AutoRec.Training.Training;

/// <summary>Scores predictions of the whole training matrix at held-out (or training) ratings.</summary>
public static class HeldOutRmse
{
    /// <summary>
    /// The RMSEs of <paramref name="predictions"/> (rows x <paramref name="columns"/>, row-major) at
    /// <paramref name="ratings"/>, each prediction clipped to <paramref name="scale"/> as the exported model clips it.
    /// </summary>
    public static RmseResult Score(ReadOnlySpan<float> predictions, int columns, IReadOnlyList<HeldOutRating> ratings, RatingScale scale)
    {
        ArgumentNullException.ThrowIfNull(ratings);
        var accumulator = new RmseAccumulator();
        foreach (HeldOutRating r in ratings)
        {
            float predicted = Math.Clamp(predictions[checked((int)(((long)r.Row * columns) + r.Column))], scale.Min, scale.Max);
            accumulator.Add(r.UserId, predicted, r.Value);
        }

        return accumulator.Result();
    }
}
