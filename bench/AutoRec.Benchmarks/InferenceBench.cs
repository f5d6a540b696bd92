using System.Diagnostics;
using System.Globalization;
using AutoRec.Contracts;
using AutoRec.Data;
using AutoRec.Inference;
using AutoRec.Training;
using AutoRec.Training.Configuration;
using AutoRec.Training.Data;
using AutoRec.Training.Model;
using static TorchSharp.torch;
using static AutoRec.Benchmarks.CommandOptions;

namespace AutoRec.Benchmarks;

/// <summary>
/// Serving speed of an exported model: one-row latency (p50/p99) and batch throughput through the inference
/// library, top-10 latency, and TorchSharp's forward pass on the same rows for comparison. A latency
/// distribution needs every call's time, which BenchmarkDotNet does not report, hence a plain harness.
/// </summary>
internal static class InferenceBench
{
    public static int Run(string[] args, TextWriter output)
    {
        string modelDir = Option(args, "--model") ?? "artifacts/ml-1m/model";
        string dataDir = Option(args, "--data") ?? "artifacts/ml-1m/data";
        int calls = int.Parse(Option(args, "--calls") ?? "5000", CultureInfo.InvariantCulture);
        var files = new ModelFiles(modelDir);
        ModelConfig config = ModelConfig.Load(files.Config);
        TrainingData data = TrainingData.Load(dataDir, config);
        Rating[] train = ParquetTables.ReadRatings(Path.Combine(dataDir, "train.parquet"));
        output.WriteLine($"# {config.Name} ({config.Kind}, {config.DescribeLayers()}) on {data.RowCount:N0} rows x {data.ColumnCount:N0} columns; {Environment.ProcessorCount} cores; {DateTime.UtcNow:yyyy-MM-dd}");

        // Rows as an app has them: known ratings by id.
        var rows = new Dictionary<int, float>[data.RowCount];
        for (int r = 0; r < data.RowCount; r++)
        {
            rows[r] = [];
        }

        foreach (HeldOutRating rating in data.TrainRatings)
        {
            rows[rating.Row][data.ColumnIds[rating.Column]] = rating.Value;
        }

        // A user's ratings by movie id, as an app sends them to recommend for ratings (for an item-based model a row
        // above is a movie, not a user).
        Dictionary<int, float>[] users = [.. train.GroupBy(r => r.UserId).Select(g => g.ToDictionary(r => r.MovieId, r => r.Value))];

        foreach (int threads in new[] { 1, 2 })
        {
            using RecommenderModel model = RecommenderModel.Open(files.Onnx, new RecommenderOptions { IntraOpThreads = threads });
            var destination = new float[model.OutputWidth];
            Latency single = Latency.Measure(calls, i => model.PredictInto(rows[i % rows.Length], destination));
            output.WriteLine($"onnxruntime intra-op threads {threads}: one row     {single}");

            double rowsPerSecond = Throughput(data, (input, result) => model.PredictDense(input, result));
            output.WriteLine($"onnxruntime intra-op threads {threads}: batches of 256  {rowsPerSecond:N0} rows/s");

            // The one way apps recommend; an item-based model's predictions are precomputed here, so time it.
            var clock = Stopwatch.StartNew();
            IRecommender recommender = Recommender.Create(model, train);
            double setup = clock.Elapsed.TotalSeconds;
            if (recommender.CanRecommendForRatings)
            {
                Latency top = Latency.Measure(calls, i => recommender.Recommend(users[i % users.Length], 10));
                output.WriteLine($"onnxruntime intra-op threads {threads}: top-10 for one user's ratings  {top} (recommender built in {setup:F2} s)");
            }
            else
            {
                int[] userIds = [.. recommender.UserIds];
                Latency top = Latency.Measure(calls, i => recommender.Recommend(userIds[i % userIds.Length], 10));
                output.WriteLine($"onnxruntime intra-op threads {threads}: top-10 for one user  {top} (from predictions precomputed in {setup:F2} s)");
            }
        }

        TorchComparison(config, data, files, calls, output);
        return 0;
    }

    private static void TorchComparison(ModelConfig config, TrainingData data, ModelFiles files, int calls, TextWriter output)
    {
        TrainedModelInfo info = TrainedModelInfo.Read(files.Network);
        using nn.Module<Tensor, Tensor> network = Networks.Create(config, info.InputWidth, info.ColumnIds.Length);
        network.load(files.Weights);
        network.eval();
        var inputs = new InputPreparation(config, data);
        using var noGrad = no_grad();
        foreach (int threads in new[] { 1, 2 })
        {
            set_num_threads(threads);
            var destination = new float[data.ColumnCount];
            Latency single = Latency.Measure(calls / 5, i =>
            {
                using var scope = NewDisposeScope();
                int row = i % data.RowCount;
                Tensor x = from_array(data.Train.AsSpan(row * data.ColumnCount, data.ColumnCount).ToArray()).reshape(1, data.ColumnCount);
                Tensor y = network.forward(inputs.Prepare(x, null, training: false)).clamp(data.Scale.Min, data.Scale.Max);
                using var values = y.data<float>();
                values.CopyTo(destination);
            });
            output.WriteLine($"torchsharp threads {threads}: one row     {single}");
            double rowsPerSecond = Throughput(data, (input, result) =>
            {
                using var scope = NewDisposeScope();
                int count = input.Length / data.ColumnCount;
                Tensor x = from_array(input.ToArray()).reshape(count, data.ColumnCount);
                Tensor y = network.forward(inputs.Prepare(x, null, training: false)).clamp(data.Scale.Min, data.Scale.Max);
                using var values = y.data<float>();
                values.CopyTo(result);
            });
            output.WriteLine($"torchsharp threads {threads}: batches of 256  {rowsPerSecond:N0} rows/s");
        }
    }

    private delegate void BatchRunner(ReadOnlySpan<float> input, Span<float> output);

    private static double Throughput(TrainingData data, BatchRunner run)
    {
        const int Batch = 256;
        int batches = data.RowCount / Batch;
        var result = new float[Batch * data.ColumnCount];
        for (int b = 0; b < Math.Min(batches, 3); b++)
        {
            run(data.Train.AsSpan(b * Batch * data.ColumnCount, Batch * data.ColumnCount), result); // warm-up
        }

        var clock = Stopwatch.StartNew();
        int done = 0;
        for (int pass = 0; pass < 3; pass++)
        {
            for (int b = 0; b < batches; b++)
            {
                run(data.Train.AsSpan(b * Batch * data.ColumnCount, Batch * data.ColumnCount), result);
                done += Batch;
            }
        }

        return done / clock.Elapsed.TotalSeconds;
    }
}
