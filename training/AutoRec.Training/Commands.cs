using System.Diagnostics;
using System.Text.Json;
using AutoRec.Data;
using AutoRec.Onnx;
using AutoRec.Training.Configuration;
using AutoRec.Training.Data;
using AutoRec.Training.Export;
using AutoRec.Training.Model;
using AutoRec.Training.Reporting;
using AutoRec.Training.Training;
using static TorchSharp.torch;

namespace AutoRec.Training;

/// <summary>The two commands of <c>autorec-train</c>: train a model, export it to ONNX.</summary>
public static class Commands
{
    /// <summary>Rows compared between ONNX Runtime and TorchSharp after export.</summary>
    public const int VerificationRows = 256;

    /// <summary>The largest difference the export accepts.</summary>
    public const float Tolerance = 1e-4f;

    /// <summary>Trains from the split files in <paramref name="dataDir"/> into <paramref name="modelDir"/>.</summary>
    public static RunMetrics Train(string dataDir, string configPath, string modelDir, string dataset, IProgressSink progress)
    {
        ModelConfig config = ModelConfig.Load(configPath);
        var files = new ModelFiles(modelDir);
        Directory.CreateDirectory(modelDir);
        var load = Stopwatch.StartNew();
        TrainingData data = TrainingData.Load(dataDir, config);
        progress.Message(
            $"{config.Name}: {config.Kind} autoencoder [{string.Join(", ", config.Layers)}] on {data.RowCount:N0} x {data.ColumnCount:N0} " +
            $"({data.TrainRatings.Length:N0} train, {data.Validation.Length:N0} validation, {data.Test.Length:N0} test ratings; loaded in {load.Elapsed.TotalSeconds:F1} s)");

        var trainer = new Trainer(config, data, progress, files.Checkpoint);
        TrainingOutcome outcome = trainer.Run();
        EpochResult best = outcome.History.First(r => r.Epoch == outcome.BestEpoch);
        long parameters = outcome.Network.parameters().Sum(p => p.numel());
        var metrics = new RunMetrics(
            outcome.Test.Global, outcome.Test.UserMean, outcome.Validation.Global, outcome.Validation.UserMean, best.TrainRmse,
            outcome.BestEpoch, outcome.History.Count, outcome.StoppedEarly, outcome.TrainSeconds,
            outcome.TrainSeconds / Math.Max(outcome.History.Count, 1), ProcessMemory.PeakMb(), outcome.Test.Count, parameters);

        using (var writes = new AtomicFiles())
        {
            outcome.Network.save(writes.Stage(files.Weights));
            File.WriteAllText(writes.Stage(files.Config), config.ToJson());
            File.WriteAllText(writes.Stage(files.Network), TrainedModelInfo.From(dataset, data).ToJson());
            File.WriteAllText(writes.Stage(files.History), RunReport.HistoryCsv(outcome.History));
            RunReport.SaveLearningCurve(writes.Stage(files.LearningCurve), outcome.History, outcome.BestEpoch, $"{config.Name} on {dataset}");
            File.WriteAllText(writes.Stage(files.Metrics), metrics.ToJson());
            writes.Commit();
        }

        progress.Message(
            $"best epoch {metrics.BestEpoch}: test RMSE {metrics.TestRmse:F4} (per-user mean {metrics.TestRmseUserMean:F4}), " +
            $"validation {metrics.ValidationRmse:F4}; {metrics.TrainSeconds:F1} s, peak RSS {metrics.PeakRssMb:F0} MB");
        return metrics;
    }

    /// <summary>
    /// Trains <paramref name="epochs"/> epochs without checkpoints or early stopping and reports seconds and
    /// memory per epoch (the training benchmark).
    /// </summary>
    public static void Bench(string dataDir, string configPath, int epochs, TextWriter output)
    {
        ModelConfig config = ModelConfig.Load(configPath) with { Epochs = epochs, Patience = 0 };
        TrainingData data = TrainingData.Load(dataDir, config);
        var progress = new BenchProgress(output);
        progress.Message($"{config.Name}: {config.Kind} [{string.Join(", ", config.Layers)}] on {data.RowCount:N0} x {data.ColumnCount:N0}, {epochs} epochs, {Environment.ProcessorCount} cores");
        _ = new Trainer(config, data, progress, checkpointDir: null).Run();
    }

    /// <summary>Exports the model in <paramref name="modelDir"/> to ONNX and checks it against TorchSharp.</summary>
    /// <exception cref="ExportMismatchException">ONNX Runtime and TorchSharp disagree by more than <see cref="Tolerance"/>.</exception>
    public static float Export(string modelDir, string dataDir, IProgressSink progress)
    {
        var files = new ModelFiles(modelDir);
        foreach (string required in new[] { files.Config, files.Network, files.Weights })
        {
            if (!File.Exists(required))
            {
                throw new DataFormatException("AR2102", required, 0, "missing: train the model first (the train stage writes it)");
            }
        }

        string configJson = File.ReadAllText(files.Config);
        ModelConfig config = ModelConfig.Parse(configJson, files.Config);
        TrainedModelInfo info = TrainedModelInfo.Read(files.Network);
        var network = new AutoencoderNetwork(config, info.InputWidth, info.ColumnIds.Length);
        network.load(files.Weights);
        network.eval();
        OnnxExportSpec spec = info.ExportSpec(config, configJson);

        // Compare on real rows: the first rows of the training matrix, as the model sees them when serving.
        TrainingData data = TrainingData.Load(dataDir, config);
        if (data.Kind != info.Kind || !data.ColumnIds.AsSpan().SequenceEqual(info.ColumnIds))
        {
            throw new DataFormatException(
                "AR2103", files.Network, 0,
                $"the split in {dataDir} does not match the trained model ({data.ColumnCount:N0} columns, the model has {info.ColumnIds.Length:N0}): train again on this split");
        }

        int rows = Math.Min(VerificationRows, data.RowCount);
        float[] ratings = data.Train.AsSpan(0, rows * data.ColumnCount).ToArray();
        float[]? side = data.Side?.Rows.AsSpan(0, rows * data.Side.Width).ToArray();
        float[] expected = TorchPredictions(network, config, data, ratings, side, rows);

        string tolerance = Tolerance.ToString(System.Globalization.CultureInfo.InvariantCulture);
        float difference;
        using (var writes = new AtomicFiles())
        {
            string staged = writes.Stage(files.Onnx);
            OnnxModelBuilder.Write(OnnxModelBuilder.Build(network.ToWeights(), spec), staged);
            float[] actual = OnnxVerifier.Run(staged, ratings, rows, data.ColumnCount, side, data.Side?.Width ?? 0);
            difference = OnnxVerifier.MaxAbsDifference(expected, actual);
            if (!(difference <= Tolerance))
            {
                throw new ExportMismatchException($"ONNX Runtime and TorchSharp differ by {difference:G3} on {rows} rows (at most {tolerance} allowed); model.onnx was not written");
            }

            File.WriteAllText(
                writes.Stage(files.ExportReport),
                JsonSerializer.Serialize(new { rows_compared = rows, max_abs_difference = difference, tolerance = Tolerance, opset = OnnxModelBuilder.Opset }) + "\n");
            writes.Commit();
        }

        progress.Message($"exported {files.Onnx}: ONNX Runtime matches TorchSharp on {rows} rows (max abs difference {difference:G3}, tolerance {tolerance})");
        return difference;
    }

    /// <summary>TorchSharp's clipped predictions for the given rows, in eval mode.</summary>
    public static float[] TorchPredictions(AutoencoderNetwork network, ModelConfig config, TrainingData data, float[] ratings, float[]? side, int rows)
    {
        network.eval();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var inputs = new InputPreparation(config, data);
        Tensor x = from_array(ratings).reshape(rows, data.ColumnCount);
        Tensor? s = side is null ? null : from_array(side).reshape(rows, data.Side!.Width);
        Tensor output = network.forward(inputs.Prepare(x, s, training: false)).clamp(data.Scale.Min, data.Scale.Max);
        return output.data<float>().ToArray();
    }
}

/// <summary>The exported graph does not reproduce the trained network.</summary>
public sealed class ExportMismatchException(string message) : Exception(message);
