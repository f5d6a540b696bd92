using AutoRec.Inference;

namespace AutoRec.Serving.Models;

/// <summary>
/// Top-N over a row of predictions the service ran itself (batched user-based runs), by the library's own rule
/// (<see cref="MovieRanking"/>): best first, ties by ascending movie id, leaving out rated and excluded movies and those the filter
/// rejects, then <see cref="RecommendationQuery.Offset"/> skipped and <see cref="RecommendationQuery.Count"/> kept.
/// </summary>
internal static class Ranking
{
    public static RankedMovie[] Top(IReadOnlyList<int> movieIds, float[] scores, Func<int, bool> leftOut, RecommendationQuery query) =>
        [.. MovieRanking.Select(movieIds, scores, leftOut, query).Select(index => new RankedMovie(movieIds[index], scores[index]))];
}
