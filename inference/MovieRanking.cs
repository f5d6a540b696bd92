using AutoRec.Inference.Ranking;

namespace AutoRec.Inference;

/// <summary>
/// The library's top-N rule for scores computed elsewhere (for example a service's batched network run): best first,
/// ties by ascending movie id, leaving out the movies a caller names and those the query's filter rejects,
/// then <see cref="RecommendationQuery.Offset"/> skipped and <see cref="RecommendationQuery.Count"/> kept. It is the
/// same selection every <see cref="IRecommender"/> uses.
/// </summary>
public static class MovieRanking
{
    /// <summary>The indices into <paramref name="movieIds"/> and <paramref name="scores"/> of the movies ranked, best first.</summary>
    /// <param name="movieIds">The movie of each score.</param>
    /// <param name="scores">One predicted rating per movie.</param>
    /// <param name="leftOut">Movie ids to leave out (already rated, excluded), or null.</param>
    /// <param name="query">Count, offset and filter.</param>
    public static int[] Select(IReadOnlyList<int> movieIds, ReadOnlySpan<float> scores, Func<int, bool>? leftOut, RecommendationQuery query)
    {
        ArgumentNullException.ThrowIfNull(movieIds);
        ArgumentNullException.ThrowIfNull(query);
        if (movieIds.Count != scores.Length)
        {
            throw new ArgumentException($"{scores.Length} scores for {movieIds.Count} movies", nameof(scores));
        }

        Func<int, bool>? keep = (leftOut, query.Filter) switch
        {
            (null, var filter) => filter,
            (var skip, null) => id => !skip(id),
            (var skip, var filter) => id => !skip(id) && filter(id),
        };
        return TopN.Select(movieIds, scores, excluded: default, keep, query.Offset, query.Count);
    }
}
