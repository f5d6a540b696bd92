namespace AutoRec.Inference.Tests;

public sealed class MovieRankingTests
{
    private static readonly int[] Movies = [10, 20, 30, 40, 50];
    private static readonly float[] Scores = [3f, 5f, 4f, 5f, 1f];

    [Fact]
    public void BestFirstTiesByAscendingMovieId()
    {
        int[] best = MovieRanking.Select(Movies, Scores, leftOut: null, new RecommendationQuery { Count = 3 });
        Assert.Equal([20, 40, 30], best.Select(i => Movies[i]));
    }

    [Fact]
    public void LeftOutFilteredAndOffsetMoviesAreSkipped()
    {
        var query = new RecommendationQuery { Count = 2, Offset = 1, Filter = id => id != 30 };
        int[] best = MovieRanking.Select(Movies, Scores, id => id == 20, query);
        Assert.Equal([10, 50], best.Select(i => Movies[i]));
    }

    [Fact]
    public void ScoresMustMatchTheMovies() =>
        Assert.Throws<ArgumentException>(() => MovieRanking.Select(Movies, Scores.AsSpan(0, 4), null, new RecommendationQuery()));
}
