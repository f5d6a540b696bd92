using System.Diagnostics;
using AutoRec.Contracts;
using AutoRec.Data;
using AutoRec.Training.Composite;
using AutoRec.Training.Configuration;
using AutoRec.Training.Data;
using AutoRec.Training.Reporting;
using AutoRec.Training.Training;

namespace AutoRec.Training.Cli;

/// <summary>The commands of <c>autorec-train</c>: train a model, measure training speed.</summary>
public static class Commands
{
    /// <summary>Trains from the split files in <paramref name="dataDir"/> into <paramref name="modelDir"/>.</summary>
    /// <param name="dataDir">The folder with the split Parquet files.</param>
    /// <param name="configPath">The model config.</param>
    /// <param name="modelDir">Where the model files go; locked for the run (AR2006 when another run holds it).</param>
    /// <param name="dataset">The dataset's name, recorded in the model.</param>
    /// <param name="progress">Where progress goes.</param>
    /// <param name="cancellation">Stops the run between epochs; the checkpoint lets a later run resume.</param>
    /// <param name="refitOf">
    /// Protocol B: protocol A's metrics.json for this config. The model is trained again as its selection says (each
    /// network for its chosen epochs, a blend of towers with its weights) on <paramref name="dataDir"/>, whose training
    /// ratings are then A's train + validation (the pipeline's refit data stage writes them so).
    /// </param>
    /// <exception cref="CodedException">AR2009: <paramref name="refitOf"/> cannot be read or records no selection.</exception>
    public static RunMetrics Train(
        string dataDir, string configPath, string modelDir, string dataset, IProgressSink progress, string? refitOf = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(progress);
        ModelConfig config = ModelConfig.Load(configPath);
        ModelSelection? refit = refitOf is null ? null : SelectionOf(refitOf);
        var files = new ModelFiles(modelDir);
        using ModelFolderLock folder = ModelFolderLock.Acquire(modelDir, "autorec-train");
        IReadOnlyList<string> stale = ModelFolderLock.DeleteStaleTemporaryFiles(modelDir, files.Checkpoint);
        if (stale.Count > 0)
        {
            progress.Message($"removed {stale.Count} temporary file(s) an interrupted run left: {string.Join(", ", stale.Select(Path.GetFileName))}");
        }

        var load = Stopwatch.StartNew();
        TrainingData data = TrainingData.Load(dataDir, config);
        progress.Message(
            $"{config.Name}: {config.Kind} autoencoder {config.DescribeLayers()} on {data.RowCount:N0} x {data.ColumnCount:N0} " +
            $"({data.TrainRatings.Length:N0} train, {data.Validation.Length:N0} validation, {data.Test.Length:N0} test ratings; loaded in {load.Elapsed.TotalSeconds:F1} s)");
        MemoryBudget.Check(config, data, configPath);

        TrainingOutcome outcome = refit is null
            ? EnsembleTrainer.Run(config, data, progress, files.Checkpoint, cancellation: cancellation)
            : RefitTrainer.Run(config, data, refit, progress, files.Checkpoint, cancellation);
        // An ensemble's best epoch is its members' mean and its history the first member's: that epoch may be missing.
        double trainRmse = outcome.History.FirstOrDefault(r => r.Epoch == outcome.BestEpoch)?.TrainRmse ?? double.NaN;
        long parameters = outcome.Network.parameters().Sum(p => p.numel());
        var metrics = new RunMetrics(
            outcome.Test.Global, outcome.Test.UserMean, outcome.Validation.Global, outcome.Validation.UserMean, trainRmse,
            outcome.BestEpoch, outcome.History.Count, outcome.StoppedEarly, outcome.TrainSeconds,
            // A blend's history is its first tower's: its seconds per epoch would mix the towers.
            config.Towers is null ? outcome.TrainSeconds / Math.Max(outcome.History.Count, 1) : double.NaN, ProcessMemory.PeakMb(), outcome.Test.Count, parameters,
            refit is null ? RunMetrics.ProtocolA : RunMetrics.ProtocolRefit, outcome.Selected);

        string current = files.Weights; // what an I/O failure is reported against
        try
        {
            using var writes = new AtomicFiles();
            string Stage(string path)
            {
                current = path;
                return writes.Stage(path);
            }

            outcome.Network.save(Stage(files.Weights));
            // An ensemble's (or blend's) model files are its merged network: config.json describes that architecture.
            File.WriteAllText(Stage(files.Config), EnsembleTrainer.MergedConfig(config).ToJson());
            File.WriteAllText(Stage(files.Network), TrainedModelInfo.From(dataset, data).ToJson());
            File.WriteAllText(Stage(files.History), RunReport.HistoryCsv(outcome.History));
            RunReport.SaveLearningCurve(Stage(files.LearningCurve), outcome.History, outcome.BestEpoch, $"{config.Name} on {dataset}");
            File.WriteAllText(Stage(files.Metrics), metrics.ToJson());
            current = modelDir;
            writes.Commit();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Staged files are removed by AtomicFiles: the model files of an earlier run are as they were.
            throw new CodedException("AR1012", $"cannot write {current}: {e.Message}", current);
        }

        progress.Message(
            $"{(refit is null ? "best epoch" : "refit, as chosen at epoch")} {metrics.BestEpoch}: test RMSE {metrics.TestRmse:F4} (per-user mean {metrics.TestRmseUserMean:F4}), " +
            $"validation {metrics.ValidationRmse:F4}; {metrics.TrainSeconds:F1} s, peak RSS {metrics.PeakRssMb:F0} MB");
        return metrics;
    }

    private static ModelSelection SelectionOf(string metricsFile)
    {
        RunMetrics chosen;
        try
        {
            chosen = RunMetrics.Read(metricsFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
        {
            throw new CodedException("AR2009", $"cannot read protocol A's choices for the refit: {e.Message}", metricsFile);
        }

        return chosen switch
        {
            { Protocol: not RunMetrics.ProtocolA } => throw new CodedException("AR2009", $"the refit's selection must come from a protocol A model; this one is '{chosen.Protocol}'", metricsFile),
            { Selection: { } selection } => selection,
            _ => throw new CodedException("AR2009", "records no selection (trained before metrics.json carried one): build protocol A again to refit it", metricsFile),
        };
    }

    /// <summary>
    /// Trains <paramref name="epochs"/> epochs without checkpoints or early stopping and reports seconds, validation
    /// RMSE and memory per epoch (the training benchmark), on the path <paramref name="path"/> names ("dense",
    /// "sparse" or "auto", the path training would take), so that both paths can be compared on one config.
    /// </summary>
    /// <exception cref="UsageException"><paramref name="path"/> is unknown, or sparse was asked of a config it cannot serve.</exception>
    public static void Bench(string dataDir, string configPath, int epochs, TextWriter output, string path = "auto")
    {
        ModelConfig config = ModelConfig.Load(configPath) with { Epochs = epochs, Patience = 0 };
        if (config.Towers is not null)
        {
            throw new UsageException($"{configPath} is a blend of towers; bench measures one network: bench a tower's own config");
        }

        TrainingPathChoice choice = TrainingPath.Resolve(config, path);

        TrainingData data = TrainingData.Load(dataDir, config);
        MemoryBudget.Check(config, data, configPath, choice.Kind);
        var progress = new BenchProgress(output);
        progress.Message($"{config.Name}: {config.Kind} [{string.Join(", ", config.Layers)}] on {data.RowCount:N0} x {data.ColumnCount:N0}, {epochs} epochs, {Environment.ProcessorCount} cores");
        _ = new Trainer(config, data, progress, checkpointDir: null, choice).Run();
    }
}
