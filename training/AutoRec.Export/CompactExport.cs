using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using AutoRec.Contracts;
using AutoRec.Data;
using AutoRec.Inference;
using AutoRec.Inference.Factors;
using static TorchSharp.torch;

namespace AutoRec.Export;

/// <summary>
/// Writes compact.bin beside a model.onnx served as factors (<see cref="CompactBasis"/>): the principal directions
/// of its codes (an item-based model's movies', a user-based model's users') as the library computes them, kept to the smallest rank whose validation RMSE differs from the
/// full model's by at most <see cref="Tolerance"/>. The RMSE of every rank is computed in one pass (the codes and
/// rows rotated into the eigenbasis of the centred codes' scatter matrix, each prediction's products summed
/// cumulatively); the chosen basis is then written and the model served through it by the library, whose
/// validation and test RMSE are reported beside the full model's. A rank that saves nothing writes no file.
/// </summary>
public static class CompactExport
{
    /// <summary>The largest change of validation RMSE accepted.</summary>
    public const double Tolerance = 0.0005;

    /// <summary>Ranks are rounded up to a multiple of this, for whole SIMD vectors.</summary>
    public const int RankStep = 16;

    private const int PairChunk = 2048;

    /// <summary>
    /// Writes the compact basis of <paramref name="modelPath"/> (trained on <paramref name="dataDir"/>'s split) to the
    /// path <paramref name="destination"/> gives when one is worth having; null for a model that is not served as
    /// factors with a linear output layer (side features, a filled input for user-based models, other activations).
    /// </summary>
    /// <param name="modelPath">The staged model.onnx.</param>
    /// <param name="dataDir">The split's folder.</param>
    /// <param name="destination">Gives the path to write compact.bin to (asked only when it is written).</param>
    /// <param name="graph">
    /// Writes compact.onnx for the basis written and returns its predictions of the training rows it ran (their row
    /// ids, every output column each): compared here against the library serving that basis
    /// (<see cref="CompactReport.GraphMaxAbsDifference"/>); null for none.
    /// </param>
    public static CompactReport? Write(string modelPath, string dataDir, Func<string> destination, Func<CompactBasis, (int[] RowIds, float[] Predictions)>? graph = null)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var fullOptions = new RecommenderOptions { IntraOpThreads = 1, CompactFactors = false };
        using RecommenderModel model = RecommenderModel.Open(modelPath, fullOptions);
        if (model.SideWidth > 0)
        {
            return null;
        }

        Rating[] train = ParquetTables.ReadRatings(Path.Combine(dataDir, "train.parquet"));
        IRecommender full = Recommender.Create(model, train);
        if (ModelFactors.Of(full) is not { } factors)
        {
            return null;
        }

        Pair[] validation = Pairs(factors, ParquetTables.ReadRatings(Path.Combine(dataDir, "validation.parquet")));
        Pair[] test = Pairs(factors, ParquetTables.ReadRatings(Path.Combine(dataDir, "test.parquet")));
        double validationFull = Rmse(full, validation);
        double testFull = Rmse(full, test);

        (float[] mean, float[] eigenvectors, double[] rmseByRank) = RankCurve(factors, validation);
        int width = factors.Width;
        int rank = Math.Min(width, RoundUp(SmallestStableRank(rmseByRank, validationFull)));
        if (rank >= width)
        {
            return new CompactReport(false, width, width, Tolerance, validationFull, validationFull, testFull, testFull);
        }

        // The curve is float32 arithmetic on the rotated factors; the library's own rounding decides. A rank that
        // misses by a hair as served is raised a step at a time.
        CompactReport report;
        do
        {
            report = Serve(modelPath, model.Sha256!, train, factors, validation, test, mean, eigenvectors, rank, validationFull, testFull, destination, graph);
            rank += RankStep;
        }
        while (!report.Written && rank < width);

        return report;
    }

    private static CompactReport Serve(
        string modelPath, string sha, Rating[] train, ModelFactors factors, Pair[] validation, Pair[] test,
        float[] mean, float[] eigenvectors, int rank, double validationFull, double testFull, Func<string> destination,
        Func<CompactBasis, (int[] RowIds, float[] Predictions)>? graph)
    {
        int width = factors.Width;
        var basis = new float[width * rank];
        for (int k = 0; k < width; k++)
        {
            Array.Copy(eigenvectors, k * width, basis, k * rank, rank);
        }

        string path = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(modelPath))!, $"compact.{Guid.NewGuid():N}.check.tmp");
        try
        {
            var provisional = new CompactBasis(sha, width, rank, mean, basis, "{}");
            provisional.Write(path);

            // As served: the library through the file just written.
            using RecommenderModel served = RecommenderModel.Open(modelPath, new RecommenderOptions { IntraOpThreads = 1, CompactBasisPath = path });
            IRecommender compact = Recommender.Create(served, train);
            double validationCompact = Rmse(compact, validation);
            double testCompact = Rmse(compact, test);
            var report = new CompactReport(
                Math.Abs(validationCompact - validationFull) <= Tolerance, width, rank, Tolerance, validationFull, validationCompact, testFull, testCompact);
            if (report.Written)
            {
                CompactBasis written = provisional with { Report = JsonSerializer.Serialize(report) };
                written.Write(destination());
                if (graph is not null)
                {
                    (int[] rowIds, float[] predictions) = graph(written);
                    report = report with { GraphMaxAbsDifference = CompareGraph(served, compact, rowIds, predictions) };
                }
            }

            return report;
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>
    /// The largest difference between <paramref name="graphPredictions"/> (compact.onnx run on the training rows
    /// <paramref name="rowIds"/>, every output column) and <paramref name="served"/>, the library serving
    /// <paramref name="model"/> over the same basis.
    /// </summary>
    private static float CompareGraph(RecommenderModel model, IRecommender served, int[] rowIds, float[] graphPredictions)
    {
        System.Collections.ObjectModel.ReadOnlyCollection<int> outputs = model.OutputIds;
        bool userRows = model.Kind == ModelKind.UserBased;

        // Rows the library serves: a movie without training ratings has no code (the graph still scores it).
        var pairs = new List<(int UserId, int MovieId)>(rowIds.Length * outputs.Count);
        var actual = new List<float>(rowIds.Length * outputs.Count);
        for (int r = 0; r < rowIds.Length; r++)
        {
            int row = rowIds[r];
            if (userRows ? !served.ContainsUser(row) : !served.ContainsMovie(row))
            {
                continue;
            }

            for (int o = 0; o < outputs.Count; o++)
            {
                pairs.Add(userRows ? (row, outputs[o]) : (outputs[o], row));
                actual.Add(graphPredictions[(r * outputs.Count) + o]);
            }
        }

        return pairs.Count == 0 ? 0 : RuntimeCheck.MaxAbsDifference(served.PredictPairs(pairs), [.. actual]);
    }

    /// <summary>
    /// The centred codes' mean, the eigenvectors of their scatter matrix (width x width, row-major, columns by
    /// decreasing eigenvalue), and the validation RMSE of the factors projected on the first r of them, for every r.
    /// </summary>
    private static (float[] Mean, float[] Eigenvectors, double[] RmseByRank) RankCurve(ModelFactors factors, Pair[] pairs)
    {
        int width = factors.Width;
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        Tensor codes = from_array(factors.Codes).reshape(factors.CodeIds.Length, width).to(ScalarType.Float64);
        Tensor mean = codes.mean([0]);
        Tensor centred = codes - mean;
        (Tensor _, Tensor vectors) = linalg.eigh(centred.t().matmul(centred));
        vectors = vectors.flip(1); // eigh sorts ascending
        Tensor rows = from_array(factors.Rows).reshape(factors.RowIds.Length, width).to(ScalarType.Float64);
        // The rotations in single precision: the products' rounding is far below the RMSE differences compared, and
        // users x width x width multiply-adds in double took longer than the rest of the export.
        Tensor vectors32 = vectors.to(ScalarType.Float32);
        Tensor rotatedRows = rows.to(ScalarType.Float32).matmul(vectors32);
        Tensor rotatedCodes = centred.to(ScalarType.Float32).matmul(vectors32);
        Tensor bias = (from_array(factors.RowBias).to(ScalarType.Float64) + rows.matmul(mean)).to(ScalarType.Float32);

        var squared = zeros(width, ScalarType.Float64);
        for (int start = 0; start < pairs.Length; start += PairChunk)
        {
            using var chunkScope = NewDisposeScope();
            Pair[] chunk = pairs[start..Math.Min(pairs.Length, start + PairChunk)];
            Tensor users = tensor(chunk.Select(p => (long)p.Row).ToArray());
            Tensor movies = tensor(chunk.Select(p => (long)p.Code).ToArray());
            Tensor actual = tensor(chunk.Select(p => p.Value).ToArray()).unsqueeze(1);
            Tensor predictions = (rotatedRows.index_select(0, users) * rotatedCodes.index_select(0, movies)).cumsum(1) + bias.index_select(0, users).unsqueeze(1);
            Tensor errors = predictions.clamp(factors.RatingMin, factors.RatingMax) - actual;
            squared.add_((errors * errors).to(ScalarType.Float64).sum([0]));
        }

        double[] rmse = [.. squared.data<double>().ToArray().Select(s => Math.Sqrt(s / Math.Max(pairs.Length, 1)))];
        return (mean.to(ScalarType.Float32).data<float>().ToArray(), vectors.to(ScalarType.Float32).contiguous().data<float>().ToArray(), rmse);
    }

    /// <summary>The smallest rank from which on every rank's RMSE stays within <see cref="Tolerance"/> of <paramref name="full"/> (the curve is not monotone).</summary>
    private static int SmallestStableRank(double[] rmseByRank, double full)
    {
        int rank = rmseByRank.Length;
        while (rank > 1 && Math.Abs(rmseByRank[rank - 2] - full) <= Tolerance)
        {
            rank--;
        }

        return rank;
    }

    private static int RoundUp(int rank) => (rank + RankStep - 1) / RankStep * RankStep;

    private static Pair[] Pairs(ModelFactors factors, Rating[] ratings)
    {
        var users = factors.UserIds.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i);
        var movies = factors.MovieIds.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i);
        return [.. ratings
            .Where(r => r.Value != RecommenderModel.UnknownRating && users.ContainsKey(r.UserId) && movies.ContainsKey(r.MovieId))
            .Select(r =>
            {
                (int row, int code) = factors.Indices(users[r.UserId], movies[r.MovieId]);
                return new Pair(row, code, r.UserId, r.MovieId, r.Value);
            })];
    }

    private static double Rmse(IRecommender recommender, Pair[] pairs)
    {
        float[] predictions = recommender.PredictPairs([.. pairs.Select(p => (p.UserId, p.MovieId))]);
        double sum = 0;
        for (int i = 0; i < pairs.Length; i++)
        {
            double error = predictions[i] - pairs[i].Value;
            sum += error * error;
        }

        return Math.Sqrt(sum / Math.Max(pairs.Length, 1));
    }
}

/// <summary>A rating of the validation or test split: its factor indices and its ids.</summary>
internal readonly record struct Pair(int Row, int Code, int UserId, int MovieId, float Value);

/// <summary>What the export measured of the compact factors (export.json's <c>compact</c>, and compact.bin's header).</summary>
/// <param name="Written">Whether compact.bin was written: a rank below the width kept validation RMSE within the tolerance.</param>
/// <param name="Width">The model's code width.</param>
/// <param name="Rank">The rank served.</param>
/// <param name="Tolerance">The largest validation RMSE change accepted.</param>
/// <param name="ValidationRmseFull">Validation RMSE of the full factors, through the library.</param>
/// <param name="ValidationRmseCompact">Validation RMSE as served compact.</param>
/// <param name="TestRmseFull">Test RMSE of the full factors (reported, never used to choose).</param>
/// <param name="TestRmseCompact">Test RMSE as served compact.</param>
public sealed record CompactReport(
    [property: JsonPropertyName("written")] bool Written,
    [property: JsonPropertyName("width")] int Width,
    [property: JsonPropertyName("rank")] int Rank,
    [property: JsonPropertyName("tolerance")] double Tolerance,
    [property: JsonPropertyName("validation_rmse_full")] double ValidationRmseFull,
    [property: JsonPropertyName("validation_rmse_compact")] double ValidationRmseCompact,
    [property: JsonPropertyName("test_rmse_full")] double TestRmseFull,
    [property: JsonPropertyName("test_rmse_compact")] double TestRmseCompact)
{
    /// <summary>The largest difference between compact.onnx and the library's compact factors on the export's check rows.</summary>
    [JsonPropertyName("graph_max_abs_difference")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public float? GraphMaxAbsDifference { get; init; }

    /// <summary>One line for the build log.</summary>
    public string Describe() => Written
        ? string.Create(CultureInfo.InvariantCulture,
            $"compact factors rank {Rank} of {Width}: validation RMSE {ValidationRmseFull:F5} -> {ValidationRmseCompact:F5}, test {TestRmseFull:F5} -> {TestRmseCompact:F5} (tolerance {Tolerance})")
        : string.Create(CultureInfo.InvariantCulture, $"no compact factors: no rank below {Width} keeps validation RMSE within {Tolerance} of {ValidationRmseFull:F5}");
}
