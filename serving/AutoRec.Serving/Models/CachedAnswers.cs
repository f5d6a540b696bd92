using AutoRec.Inference;

namespace AutoRec.Serving.Models;

/// <summary>
/// Keeps each known user's best <c>depth</c> movies (no filter, no exclusions) once computed, for the generation's
/// life: a known user's ranking depends only on the model and their training ratings, so it cannot change before
/// the next reload, which starts a new generation with an empty cache. Pages within the depth are then a slice
/// instead of a pass over every movie. Bounded: at most <c>capacity</c> users (8 bytes per movie kept), the
/// first ones of <see cref="IRecommender.UserIds"/>; other queries and users go to <paramref name="inner"/>.
/// </summary>
internal sealed class CachedAnswers(IAnswers inner, IRecommender recommender, int depth, int capacity) : IAnswers
{
    private readonly Dictionary<int, int> _slots = recommender.UserIds.Take(capacity).Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i);
    private readonly RankedMovie[]?[] _tops = new RankedMovie[]?[Math.Min(capacity, recommender.UserIds.Count)];

    public async ValueTask<IReadOnlyList<RankedMovie>> RecommendAsync(int userId, RecommendationQuery query)
    {
        if (query.Filter is not null || query.Exclude is { Count: > 0 } || (long)query.Offset + query.Count > depth
            || !_slots.TryGetValue(userId, out int slot))
        {
            return await inner.RecommendAsync(userId, query);
        }

        // Two requests may compute the same user at once; both get the same answer and one copy is kept.
        RankedMovie[]? top = Volatile.Read(ref _tops[slot]);
        if (top is null)
        {
            top = [.. await inner.RecommendAsync(userId, RecommendationQuery.Top(depth))];
            Volatile.Write(ref _tops[slot], top);
        }

        int start = Math.Min(query.Offset, top.Length);
        return new ArraySegment<RankedMovie>(top, start, Math.Min(query.Count, top.Length - start));
    }

    public ValueTask<IReadOnlyList<RankedMovie>> RecommendAsync(IReadOnlyDictionary<int, float> ratings, RecommendationQuery query) =>
        inner.RecommendAsync(ratings, query);

    public ValueTask<float[]> PredictAsync(int userId) => inner.PredictAsync(userId);

    public ValueTask<float[]> PredictAsync(IReadOnlyDictionary<int, float> ratings, IReadOnlyList<int> movieIds) =>
        inner.PredictAsync(ratings, movieIds);
}
