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

    /// <summary>
    /// The RMSEs of <paramref name="predictions"/> made for <paramref name="ratings"/> one by one (prediction i for
    /// rating i), clipped to <paramref name="scale"/>: what <see cref="Score(ReadOnlySpan{float}, int, IReadOnlyList{HeldOutRating}, RatingScale)"/>
    /// gives for a matrix holding the same predictions.
    /// </summary>
    public static RmseResult ScoreEach(ReadOnlySpan<float> predictions, IReadOnlyList<HeldOutRating> ratings, RatingScale scale)
    {
        ArgumentNullException.ThrowIfNull(ratings);
        if (predictions.Length != ratings.Count)
        {
            throw new ArgumentException($"{predictions.Length} predictions for {ratings.Count} ratings", nameof(predictions));
        }

        var accumulator = new RmseAccumulator();
        for (int i = 0; i < ratings.Count; i++)
        {
            HeldOutRating r = ratings[i];
            accumulator.Add(r.UserId, Math.Clamp(predictions[i], scale.Min, scale.Max), r.Value);
        }

        return accumulator.Result();
    }
}
