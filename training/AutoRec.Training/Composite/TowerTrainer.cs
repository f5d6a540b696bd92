using AutoRec.Contracts;
using AutoRec.Training.Configuration;
using AutoRec.Training.Data;
using AutoRec.Training.Model;
using AutoRec.Training.Reporting;
using AutoRec.Training.Training;

namespace AutoRec.Training.Composite;

/// <summary>
/// Trains a config with <see cref="ModelConfig.Towers"/>: each tower as its own config (its own checkpoint folder,
/// seeds and selection on validation), then a least-squares blend of the towers' validation predictions
/// (<see cref="Blending.FitLeastSquares"/>), folded into one <see cref="TowerNetwork"/>.
/// </summary>
public static class TowerTrainer
{
    /// <summary>Trains <paramref name="config"/>'s towers on <paramref name="data"/> and blends them on its validation ratings.</summary>
    /// <exception cref="InvalidOperationException">The data has no validation ratings to fit the blend on.</exception>
    public static TrainingOutcome Run(
        ModelConfig config, TrainingData data, IProgressSink progress, string? checkpointDir, int checkpointEvery = 1, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(progress);
        IReadOnlyList<ModelConfig> towers = config.Towers ?? throw new ArgumentException("the config has no towers", nameof(config));
        if (data.Validation.Length == 0)
        {
            throw new InvalidOperationException("a blend of towers is fit on validation ratings, and the split has none");
        }

        var outcomes = new List<TrainingOutcome>();
        for (int t = 0; t < towers.Count; t++)
        {
            progress.Message($"tower {t + 1} of {towers.Count}: {towers[t].Name}");
            string? checkpoint = checkpointDir is null ? null : Path.Combine(checkpointDir, $"tower-{t + 1}");
            outcomes.Add(EnsembleTrainer.Run(towers[t], data, progress, checkpoint, checkpointEvery, cancellation: cancellation));
        }

        float[][] validationByTower = [.. outcomes.Select(o => o.ValidationPredictions)];
        double[] weights = Blending.FitLeastSquares(validationByTower, [.. data.Validation.Select(r => r.Value)]);
        return Blend(config, data, outcomes, weights, progress);
    }

    /// <summary>
    /// The towers of <paramref name="outcomes"/> blended with <paramref name="weights"/> (intercept first) into one
    /// <see cref="TowerNetwork"/>, with the blend's predictions and scores.
    /// </summary>
    internal static TrainingOutcome Blend(
        ModelConfig config, TrainingData data, IReadOnlyList<TrainingOutcome> outcomes, double[] weights, IProgressSink progress)
    {
        float[] validation = Blending.Apply([.. outcomes.Select(o => o.ValidationPredictions)], weights);
        float[] test = Blending.Apply([.. outcomes.Select(o => o.TestPredictions)], weights);

        int inputs = data.ColumnCount;
        var network = new TowerNetwork(EnsembleTrainer.MergedConfig(config), inputs, data.ColumnCount);
        network.Blend([.. outcomes.Select(o => (AutoencoderNetwork)o.Network)], weights);
        RmseResult validationRmse = HeldOutRmse.ScoreEach(validation, data.Validation, data.Scale);
        RmseResult testRmse = HeldOutRmse.ScoreEach(test, data.Test, data.Scale);
        var culture = System.Globalization.CultureInfo.InvariantCulture;
        progress.Message(
            $"blend of {outcomes.Count} towers (intercept {weights[0].ToString("F4", culture)}, weights {string.Join(", ", weights.Skip(1).Select(w => w.ToString("F4", culture)))}): " +
            (data.Validation.Length == 0
                ? "no validation ratings (a refit: the weights are protocol A's)"
                : $"validation RMSE {validationRmse.Global.ToString("F4", culture)} (towers {string.Join(", ", outcomes.Select(o => o.Validation.Global.ToString("F4", culture)))})"));
        TrainingOutcome first = outcomes[0];
        return new TrainingOutcome(
            network, first.History, first.BestEpoch, validationRmse, testRmse, outcomes.Sum(o => o.TrainSeconds),
            outcomes.All(o => o.StoppedEarly), new RmseResult(double.NaN, double.NaN, 0), validation, test)
        {
            Selected = new ModelSelection(first.BestEpoch, [.. outcomes.Select(o => o.Selected)], weights),
        };
    }
}
