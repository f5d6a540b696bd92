using System.Text.Json.Serialization;
using AutoRec.Contracts;
using AutoRec.Data;
using AutoRec.Inference;
using AutoRec.Onnx;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace AutoRec.Export;

/// <summary>
/// Writes foldin.onnx beside an item-based model.onnx (<see cref="FoldInGraphBuilder"/>: a new user's ratings in,
/// every movie's prediction out, standard operators only) and checks it through ONNX Runtime against the inference
/// library's own fold-in on real rating profiles: users of the training split, their training ratings sent as a new
/// user's. Profiles of at most <see cref="Steps"/> ratings must agree within <see cref="Tolerance"/>, or the graph is
/// not shipped (the report says why; a nearly unregularised fold-in, l2_decoder 0, can be too ill-conditioned for
/// the graph's conjugate gradients); longer ones (up to the service's 500) are measured and reported.
/// </summary>
public static class FoldInExport
{
    /// <summary>The graph's conjugate-gradient steps: exact (rounding aside) for up to this many ratings.</summary>
    public const int Steps = 64;

    /// <summary>The largest difference from the library accepted for profiles of at most <see cref="Steps"/> ratings.</summary>
    public const float Tolerance = 1e-3f;

    /// <summary>The longest profile measured: the service's default <c>Serving:MaxRatings</c>.</summary>
    public const int LongestProfile = 500;

    private const int ProfilesPerGroup = 8;

    /// <summary>
    /// Writes the fold-in graph of <paramref name="modelPath"/> (trained on <paramref name="trainPath"/>) to the path
    /// <paramref name="destination"/> gives, over the codes of <paramref name="compactBasisPath"/> when not null; null, and nothing asked or written, for a model that folds no one in
    /// (user-based, side features, a non-linear output layer).
    /// </summary>
    public static FoldInReport? Write(string modelPath, string? compactBasisPath, string trainPath, Func<string> destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        using RecommenderModel model = RecommenderModel.Open(
            modelPath, new RecommenderOptions { IntraOpThreads = 1, CompactFactors = compactBasisPath is not null, CompactBasisPath = compactBasisPath });
        if (model.Kind != ModelKind.ItemBased || model.SideWidth > 0)
        {
            return null;
        }

        Rating[] train = ParquetTables.ReadRatings(trainPath);
        IRecommender recommender = Recommender.Create(model, train);
        if (FoldInProblem.Of(recommender) is not { } problem)
        {
            return null;
        }

        var spec = new FoldInGraphSpec(
            problem.MovieIds, problem.Codes, problem.Width, problem.Weights, problem.Lambda, problem.RatingMin, problem.RatingMax, Steps, model.Metadata.Dataset);
        string path = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(modelPath))!, $"foldin.{Guid.NewGuid():N}.check.tmp");
        OnnxModelBuilder.Write(FoldInGraphBuilder.Build(spec), path);
        try
        {
            FoldInReport report = Check(path, recommender, problem, train);
            if (report.Written)
            {
                File.Move(path, destination(), overwrite: true);
            }

            return report;
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static FoldInReport Check(string path, IRecommender recommender, FoldInProblem problem, Rating[] train)
    {

        var index = problem.MovieIds.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => (long)p.i);
        IGrouping<int, Rating>[] profiles = [.. train.Where(r => index.ContainsKey(r.MovieId)).GroupBy(r => r.UserId).OrderBy(g => g.Count()).ThenBy(g => g.Key)];
        IGrouping<int, Rating>[] shortProfiles = Spread(profiles.Where(g => g.Count() <= Steps).ToArray());
        IGrouping<int, Rating>[] longProfiles = Spread(profiles.Where(g => g.Count() > Steps && g.Count() <= LongestProfile).ToArray());
        using var session = new InferenceSession(path, new SessionOptions { IntraOpNumThreads = 1 });
        float Difference(IGrouping<int, Rating> profile)
        {
            Dictionary<int, float> ratings = profile.ToDictionary(r => r.MovieId, r => r.Value);
            float[] expected = recommender.Predict(ratings, problem.MovieIds);
            float[] actual = Run(session, [.. ratings.Keys.Select(id => index[id])], [.. ratings.Values]);
            return RuntimeCheck.MaxAbsDifference(expected, actual);
        }

        float shortDifference = shortProfiles.Length == 0 ? 0 : shortProfiles.Max(Difference);
        float longDifference = longProfiles.Length == 0 ? 0 : longProfiles.Max(Difference);
        return new FoldInReport(
            shortDifference <= Tolerance, Steps, shortProfiles.Length, shortDifference, longProfiles.Length, longDifference, longProfiles.Length == 0 ? 0 : longProfiles.Max(g => g.Count()));
    }

    /// <summary>Runs a fold-in graph for one user: their rated movies' row indices and ratings.</summary>
    public static float[] Run(InferenceSession session, long[] movieIndices, float[] ratings)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(movieIndices);
        ArgumentNullException.ThrowIfNull(ratings);
        using IDisposableReadOnlyCollection<DisposableNamedOnnxValue> outputs = session.Run(
        [
            NamedOnnxValue.CreateFromTensor(FoldInGraphBuilder.MoviesInput, new DenseTensor<long>(movieIndices, [movieIndices.Length])),
            NamedOnnxValue.CreateFromTensor(FoldInGraphBuilder.RatingsInput, new DenseTensor<float>(ratings, [ratings.Length])),
        ]);
        return [.. outputs.Single(o => o.Name == FoldInGraphBuilder.PredictionsOutput).AsEnumerable<float>()];
    }

    /// <summary>At most <see cref="ProfilesPerGroup"/> profiles, evenly spaced over the sorted list (its shortest and longest included).</summary>
    private static IGrouping<int, Rating>[] Spread(IGrouping<int, Rating>[] sorted) =>
        sorted.Length <= ProfilesPerGroup
            ? sorted
            : [.. Enumerable.Range(0, ProfilesPerGroup).Select(i => sorted[(int)((long)i * (sorted.Length - 1) / (ProfilesPerGroup - 1))])];
}

/// <summary>What the export measured of foldin.onnx against the inference library (export.json's <c>foldin</c>).</summary>
/// <param name="Written">Whether it agreed within <see cref="FoldInExport.Tolerance"/> on the short profiles, and so was written.</param>
/// <param name="Steps">The graph's conjugate-gradient steps.</param>
/// <param name="ShortProfiles">Profiles of at most <paramref name="Steps"/> ratings compared.</param>
/// <param name="ShortMaxAbsDifference">Their largest absolute difference over every movie's prediction.</param>
/// <param name="LongProfiles">Longer profiles compared (up to <see cref="FoldInExport.LongestProfile"/> ratings).</param>
/// <param name="LongMaxAbsDifference">Their largest absolute difference.</param>
/// <param name="LongestRatings">The longest profile's ratings.</param>
public sealed record FoldInReport(
    [property: JsonPropertyName("written")] bool Written,
    [property: JsonPropertyName("steps")] int Steps,
    [property: JsonPropertyName("short_profiles")] int ShortProfiles,
    [property: JsonPropertyName("short_max_abs_difference")] float ShortMaxAbsDifference,
    [property: JsonPropertyName("long_profiles")] int LongProfiles,
    [property: JsonPropertyName("long_max_abs_difference")] float LongMaxAbsDifference,
    [property: JsonPropertyName("longest_ratings")] int LongestRatings);
