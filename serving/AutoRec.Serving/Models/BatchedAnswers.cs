using AutoRec.Contracts;
using AutoRec.Inference;

namespace AutoRec.Serving.Models;

/// <summary>
/// Answers for a user-based model with each request's network row batched with other requests' (<see cref="ScoreBatcher"/>),
/// then ranked here (<see cref="Ranking"/>). A known user's row is their training ratings, grouped once per generation.
/// </summary>
internal sealed class BatchedAnswers : IAnswers
{
    private readonly RecommenderModel _model;
    private readonly ScoreBatcher _batcher;
    private readonly Dictionary<int, Dictionary<int, float>> _ratingsByUser = [];
    private readonly Dictionary<int, int> _outputIndex;

    public BatchedAnswers(RecommenderModel model, IEnumerable<Rating> trainingRatings, ScoreBatcher batcher)
    {
        _model = model;
        _batcher = batcher;
        foreach (Rating rating in trainingRatings)
        {
            // The recommender has already checked every training rating; 0 means unknown, as in the library.
            if (rating.Value == RecommenderModel.UnknownRating)
            {
                continue;
            }

            if (!_ratingsByUser.TryGetValue(rating.UserId, out Dictionary<int, float>? ratings))
            {
                ratings = [];
                _ratingsByUser[rating.UserId] = ratings;
            }

            ratings[rating.MovieId] = rating.Value;
        }

        _outputIndex = model.OutputIds.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i);
    }

    public async ValueTask<IReadOnlyList<RankedMovie>> RecommendAsync(int userId, RecommendationQuery query) =>
        await RankAsync(_ratingsByUser[userId], query);

    public async ValueTask<IReadOnlyList<RankedMovie>> RecommendAsync(IReadOnlyDictionary<int, float> ratings, RecommendationQuery query) =>
        await RankAsync(ratings, query);

    public async ValueTask<float[]> PredictAsync(int userId) => await _batcher.ScoreAsync(_ratingsByUser[userId]);

    public async ValueTask<float[]> PredictAsync(IReadOnlyDictionary<int, float> ratings, IReadOnlyList<int> movieIds)
    {
        float[] scores = await _batcher.ScoreAsync(ratings);
        return [.. movieIds.Select(id => scores[_outputIndex[id]])];
    }

    private async Task<IReadOnlyList<RankedMovie>> RankAsync(IReadOnlyDictionary<int, float> ratings, RecommendationQuery query)
    {
        float[] scores = await _batcher.ScoreAsync(ratings);
        HashSet<int>? excluded = query.Exclude is { Count: > 0 } exclude ? [.. exclude] : null;
        return Ranking.Top(
            _model.OutputIds, scores,
            movieId => (ratings.TryGetValue(movieId, out float rating) && rating != RecommenderModel.UnknownRating) || (excluded?.Contains(movieId) ?? false),
            query);
    }
}
