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
/// <param name="Name">Its training configuration's name (a blend's own name).</param>
/// <param name="File">The served file, relative to the model folder (model/model.onnx or model/blend.json).</param>
/// <param name="FileBytes">Its size.</param>
/// <param name="Config">The training configuration the model file carries (null for a blend: see its members).</param>
/// <param name="Training">The training run's numbers, from metrics.json.</param>
/// <param name="Split">The split it was trained on, from split.json.</param>
/// <param name="Gate">The validate stage's gate, from validation.json.</param>
/// <param name="Blend">Its members and weights, when a blend is served.</param>
/// <param name="Reload">The reloader's last load attempt.</param>
/// <param name="HasLearningCurve">Whether GET /v1/model/history has a learning curve.</param>
/// <param name="Genres">The catalog's genres, as the <c>genres</c> filters take them.</param>
public sealed record ModelResponse(
    string Kind, string Dataset, string Version, double? TestRmse, double? TestRmseUserMean, DateTimeOffset LoadedAt, int Users, int Movies,
    RatingScaleResponse RatingScale, bool RecommendsForRatings, string? Protocol,
    string? Name = null, string? File = null, long FileBytes = 0, System.Text.Json.JsonElement? Config = null, TrainingResponse? Training = null,
    SplitResponse? Split = null, GateResponse? Gate = null, BlendResponse? Blend = null, ReloadResponse? Reload = null, bool HasLearningCurve = false, IReadOnlyList<string>? Genres = null);

/// <summary>A movie of the catalog the model scores, with how many training ratings the model saw for it.</summary>
/// <param name="MovieId">Its id.</param>
/// <param name="Title">Its title as movies.parquet has it.</param>
/// <param name="Year">The year in its title, when it has one.</param>
/// <param name="Genres">Its genres.</param>
/// <param name="TrainingRatings">Ratings of it in the training data.</param>
public sealed record MovieSummary(int MovieId, string? Title, int? Year, string[] Genres, int TrainingRatings);

/// <summary>Movies whose titles match a search, best match first.</summary>
/// <param name="Query">The words searched for (null: none, so the most rated movies).</param>
/// <param name="Total">How many movies match in all.</param>
/// <param name="N">The page size asked for.</param>
/// <param name="Offset">How many better matches were skipped.</param>
/// <param name="Movies">At most <paramref name="N"/> movies.</param>
public sealed record MovieSearchResponse(string? Query, int Total, int N, int Offset, IReadOnlyList<MovieSummary> Movies);

/// <summary>How many ratings fell on one value of the scale (its nearest step).</summary>
public sealed record RatingCount(float Rating, int Count);

/// <summary>The model's predicted ratings of a movie over its users (or an even sample of them).</summary>
/// <param name="Users">How many users were predicted.</param>
/// <param name="OfUsers">How many users the model serves in all.</param>
/// <param name="Mean">The mean prediction.</param>
/// <param name="Counts">How many predictions fell nearest each value of the scale.</param>
public sealed record PredictedRatings(int Users, int OfUsers, double? Mean, IReadOnlyList<RatingCount> Counts);

/// <summary>One movie: what the catalog says, what the model saw of it, and what it predicts for it.</summary>
/// <param name="MovieId">Its id.</param>
/// <param name="Title">Its title.</param>
/// <param name="Year">The year in its title.</param>
/// <param name="Genres">Its genres.</param>
/// <param name="TrainingRatings">Ratings of it in the training data.</param>
/// <param name="MeanTrainingRating">Their mean (null without any).</param>
/// <param name="TrainingRatingCounts">How they spread over the scale.</param>
/// <param name="Predicted">The model's predictions of it for its users.</param>
/// <param name="ModelVersion">The model that answered.</param>
public sealed record MovieResponse(
    int MovieId, string? Title, int? Year, string[] Genres, int TrainingRatings, double? MeanTrainingRating,
    IReadOnlyList<RatingCount> TrainingRatingCounts, PredictedRatings Predicted, string ModelVersion);

/// <summary>One training rating of a user.</summary>
public sealed record UserRating(int MovieId, string? Title, string[] Genres, float Rating);

/// <summary>A known user's training ratings, best first.</summary>
public sealed record UserRatingsResponse(int UserId, string ModelVersion, IReadOnlyList<UserRating> Ratings);

/// <summary>How the ratings were split for training (data/split.json).</summary>
public sealed record SplitResponse(long Seed, double TestFraction, double ValidationFraction, int Train, int Validation, int Test, int Users, int Movies);

/// <summary>The training run's numbers (model/metrics.json).</summary>
/// <param name="Parameters">Trainable parameters.</param>
/// <param name="BestEpoch">The epoch kept.</param>
/// <param name="Epochs">Epochs run.</param>
/// <param name="TrainSeconds">Seconds of training.</param>
/// <param name="ValidationRmse">Global validation RMSE at the best epoch (NaN for a refit, which holds nothing out).</param>
/// <param name="TrainRmse">Training RMSE at the best epoch.</param>
/// <param name="PeakRssMb">The trainer's peak memory.</param>
public sealed record TrainingResponse(long Parameters, int BestEpoch, int Epochs, double TrainSeconds, double? ValidationRmse, double TrainRmse, double PeakRssMb);

/// <summary>One member of a served blend and its weight.</summary>
public sealed record BlendMemberResponse(string Name, string Model, double Weight, string? Sha256);

/// <summary>
/// A served blend: clip(intercept + Σ weight · member's prediction), the base weights when <paramref name="SupportTerms"/>
/// is not 0 (then the weights also follow the user's and the movie's number of ratings: blend.json's <c>support</c>).
/// </summary>
public sealed record BlendResponse(
    string Name, double Intercept, IReadOnlyList<BlendMemberResponse> Members, int ValidationRatings, double? ValidationRmse, int SupportTerms);

/// <summary>The gate the pipeline's validate stage applied to the test RMSE (model/validation.json).</summary>
public sealed record GateResponse(double? MaxTestRmse, bool? Passed, IReadOnlyList<string> Failures);

/// <summary>The reloader's last load of a changed model file: the version it loaded, or why it failed (the previous model then goes on serving).</summary>
public sealed record ReloadResponse(DateTimeOffset At, string? Loaded, string? Failure);

/// <summary>The learning curve of the served model's training run (model/history.csv): one array per column, one entry per epoch.</summary>
public sealed record LearningCurveResponse(string ModelVersion, IReadOnlyDictionary<string, double[]> Columns);

/// <summary>One experiment suite's results file, summed up.</summary>
/// <param name="Suite">Its name: GET /v1/experiments/{suite} has the whole file.</param>
/// <param name="Title">What it compares.</param>
/// <param name="SeedSection">Where the seed report has it.</param>
/// <param name="Machine">Where it ran.</param>
/// <param name="Finished">When its last run finished (UTC).</param>
/// <param name="Split">The split it trained on.</param>
/// <param name="Seconds">Seconds of training over its runs.</param>
/// <param name="Runs">How many runs it holds.</param>
/// <param name="BestTestRmse">The lowest global test RMSE of its runs.</param>
/// <param name="Figure">The path of its figure, when it has one.</param>
public sealed record ExperimentSummary(
    string Suite, string? Title, string? SeedSection, string? Machine, string? Finished, string? Split, double? Seconds, int Runs, double? BestTestRmse,
    string? Figure);

/// <summary>The experiment suites whose results are committed, by name.</summary>
public sealed record ExperimentsResponse(IReadOnlyList<ExperimentSummary> Suites);
