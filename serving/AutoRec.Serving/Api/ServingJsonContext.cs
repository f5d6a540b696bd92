using System.Text.Json;
using System.Text.Json.Serialization;

namespace AutoRec.Serving.Api;

/// <summary>Compile-time JSON for the API's bodies: no reflection on the request path.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(RatingsRecommendationRequest))]
[JsonSerializable(typeof(PredictionRequest))]
[JsonSerializable(typeof(RecommendationsResponse))]
[JsonSerializable(typeof(PredictionsResponse))]
[JsonSerializable(typeof(SimilarMoviesResponse))]
[JsonSerializable(typeof(ModelResponse))]
[JsonSerializable(typeof(MovieSearchResponse))]
[JsonSerializable(typeof(MovieResponse))]
[JsonSerializable(typeof(UserRatingsResponse))]
[JsonSerializable(typeof(LearningCurveResponse))]
[JsonSerializable(typeof(ExperimentsResponse))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(int[]))]
[JsonSerializable(typeof(string[]))]
internal sealed partial class ServingJsonContext : JsonSerializerContext;
