namespace AutoRec.Serving.Api;

/// <summary>A movie with the rating the model predicts for the user.</summary>
public sealed record ScoredMovie(int MovieId, string? Title, string[] Genres, float PredictedRating);

/// <summary>A page of recommendations, best first.</summary>
/// <param name="UserId">The user, when asked by id.</param>
/// <param name="N">The page size asked for.</param>
/// <param name="Offset">How many better ones were skipped.</param>
/// <param name="ModelVersion">The model that answered (SHA-256 of model.onnx).</param>
/// <param name="Recommendations">At most <paramref name="N"/> movies.</param>
public sealed record RecommendationsResponse(int? UserId, int N, int Offset, string ModelVersion, IReadOnlyList<ScoredMovie> Recommendations);

/// <summary>Predicted ratings in the order asked.</summary>
public sealed record PredictionsResponse(int? UserId, string ModelVersion, IReadOnlyList<ScoredMovie> Predictions);

/// <summary>A movie similar to the one asked about: the cosine similarity (-1 to 1) of the model's vectors for the two.</summary>
public sealed record MovieSimilarity(int MovieId, string? Title, string[] Genres, float Similarity);

/// <summary>The movies most similar to <paramref name="MovieId"/>, most similar first.</summary>
public sealed record SimilarMoviesResponse(int MovieId, string ModelVersion, IReadOnlyList<MovieSimilarity> Similar);

/// <summary>The values a rating may take.</summary>
public sealed record RatingScaleResponse(float Min, float Max, float Step);

/// <summary>The model being served.</summary>
/// <param name="Kind"><c>user-based</c> or <c>item-based</c>.</param>
/// <param name="Dataset">The dataset it was trained on.</param>
/// <param name="Version">SHA-256 of its model.onnx, lower-case hex.</param>
/// <param name="TestRmse">Global test RMSE from validation.json (null without one).</param>
/// <param name="TestRmseUserMean">Mean of per-user test RMSEs from validation.json.</param>
/// <param name="LoadedAt">When this model was loaded.</param>
/// <param name="Users">Users served by id.</param>
/// <param name="Movies">Movies it scores.</param>
/// <param name="RatingScale">What ratings may be sent.</param>
/// <param name="RecommendsForRatings">Whether it answers users given by their ratings (user-based models, and item-based ones with a linear output layer).</param>
/// <param name="Protocol">How it was trained, from validation.json: <c>A</c> (train; choices on validation) or <c>refit</c> (train + validation, A's choices); null without one.</param>
public sealed record ModelResponse(
    string Kind, string Dataset, string Version, double? TestRmse, double? TestRmseUserMean, DateTimeOffset LoadedAt, int Users, int Movies,
    RatingScaleResponse RatingScale, bool RecommendsForRatings, string? Protocol);
