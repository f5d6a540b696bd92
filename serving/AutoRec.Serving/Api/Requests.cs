using System.Text.Json.Serialization;

namespace AutoRec.Serving.Api;

/// <summary>Recommendations for anyone, given by their ratings.</summary>
/// <param name="Ratings">The user's ratings by movie id, on the dataset's scale (e.g. 1 to 5 whole stars).</param>
/// <param name="N">How many recommendations (1 to 100, default 10).</param>
/// <param name="Offset">How many of the best to skip first, for paging (default 0).</param>
/// <param name="Exclude">Movie ids to leave out, besides the rated ones.</param>
/// <param name="Genres">Only movies with at least one of these genres (as movies.parquet spells them, any case).</param>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record RatingsRecommendationRequest(
    Dictionary<int, float>? Ratings, int? N = null, int? Offset = null, int[]? Exclude = null, string[]? Genres = null);

/// <summary>Predicted ratings of given movies, for a known user (by id) or anyone (by their ratings): exactly one of the two.</summary>
/// <param name="MovieIds">The movies to predict, in the order the answer keeps.</param>
/// <param name="UserId">A user the model was trained with.</param>
/// <param name="Ratings">Anyone's ratings by movie id.</param>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record PredictionRequest(int[]? MovieIds, int? UserId = null, Dictionary<int, float>? Ratings = null);
