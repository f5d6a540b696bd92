using AutoRec.Training.Data;
using AutoRec.Training.Training;

namespace AutoRec.Training.Tests;

public sealed class HeldOutRmseTests
{
    [Fact]
    public void Predictions_are_clipped_to_the_scale_before_scoring()
    {
        // 2 x 2 matrix; user 1 rated (0,0) and (1,1), user 2 rated (0,1).
        float[] predictions = [7f, 2f, 0f, 0.5f];
        HeldOutRating[] ratings = [new(0, 0, 5f, 1), new(1, 1, 1f, 1), new(0, 1, 3f, 2)];
        RmseResult result = HeldOutRmse.Score(predictions, 2, ratings, RatingScale.WholeStars);

        // Clipped: 5 (error 0), 1 (error 0), 2 (error 1).
        Assert.Equal(Math.Sqrt(1.0 / 3), result.Global, 12);
        Assert.Equal((0 + 1) / 2.0, result.UserMean, 12);
        Assert.Equal(3, result.Count);
    }

    [Fact]
    public void Nothing_to_score_gives_nan()
    {
        RmseResult result = HeldOutRmse.Score([1f], 1, [], RatingScale.WholeStars);
        Assert.True(double.IsNaN(result.Global));
        Assert.True(double.IsNaN(result.UserMean));
        Assert.Equal(0, result.Count);
    }
}
