using AutoRec.Contracts;
using AutoRec.Training.Configuration;
using AutoRec.Training.Data;
using AutoRec.Training.Model;
using AutoRec.Training.Reporting;
using AutoRec.Training.Training;
using static TorchSharp.torch;

namespace AutoRec.Training.Composite;

/// <summary>
/// Trains a config: one <see cref="Trainer"/> run, or for <see cref="ModelConfig.Ensemble"/> members one run per seed
/// (each with its own checkpoint folder and its own best epoch on validation) merged into one network whose
/// output is the members' mean (see <see cref="Merge"/>), so the ensemble ships through the same model contract.
/// </summary>
public static class EnsembleTrainer
{
    /// <summary>The architecture of the merged network of <paramref name="config"/>'s members (the config itself without an ensemble).</summary>
    public static ModelConfig MergedConfig(ModelConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.Towers is not null)
        {
            return config with { Towers = [.. config.Towers.Select(MergedConfig)] };
        }

        return config.Ensemble <= 1 ? config : config with { Layers = [.. config.Layers.Select(size => size * config.Ensemble)], Ensemble = 0 };
    }

    /// <summary>
    /// Trains <paramref name="config"/> on <paramref name="data"/>; the outcome's network is the merged one for an
    /// ensemble, a <see cref="TowerNetwork"/> for towers (<see cref="TowerTrainer"/>).
    /// </summary>
    public static TrainingOutcome Run(
        ModelConfig config, TrainingData data, IProgressSink progress, string? checkpointDir, int checkpointEvery = 1, int? lastEpoch = null,
        CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(progress);
        if (config.Towers is not null)
        {
            if (lastEpoch is not null)
            {
                throw new ArgumentException("a blend of towers cannot be refit for a fixed epoch count: its weights are fit on validation", nameof(lastEpoch));
            }

            return TowerTrainer.Run(config, data, progress, checkpointDir, checkpointEvery, cancellation);
        }

        if (config.Ensemble <= 1)
        {
            return new Trainer(config, data, progress, checkpointDir, checkpointEvery: checkpointEvery, lastEpoch: lastEpoch).Run(cancellation);
        }

        var members = new List<TrainingOutcome>();
        for (int m = 0; m < config.Ensemble; m++)
        {
            ModelConfig member = config with { Ensemble = 0, Seed = config.Seed + m };
            progress.Message($"ensemble member {m + 1} of {config.Ensemble} (seed {member.Seed})");
            string? checkpoint = checkpointDir is null ? null : Path.Combine(checkpointDir, $"member-{m + 1}");
            members.Add(new Trainer(member, data, progress, checkpoint, checkpointEvery: checkpointEvery, lastEpoch: lastEpoch).Run(cancellation));
        }

        return Combine(config, data, members, progress);
    }

    /// <summary>The ensemble of <paramref name="members"/>' networks: merged, with the mean of their predictions and the scores of that mean.</summary>
    internal static TrainingOutcome Combine(ModelConfig config, TrainingData data, IReadOnlyList<TrainingOutcome> members, IProgressSink progress)
    {
        float[] validation = Mean(members.Select(o => o.ValidationPredictions));
        float[] test = Mean(members.Select(o => o.TestPredictions));
        AutoencoderNetwork merged = Merge(config, [.. members.Select(o => (AutoencoderNetwork)o.Network)], data.ColumnCount + (data.Side?.Width ?? 0), data.ColumnCount);
        RmseResult validationRmse = HeldOutRmse.ScoreEach(validation, data.Validation, data.Scale);
        RmseResult testRmse = HeldOutRmse.ScoreEach(test, data.Test, data.Scale);
        if (data.Validation.Length > 0)
        {
            progress.Message(
                $"ensemble of {members.Count}: validation RMSE {validationRmse.Global:F4} (members {string.Join(", ", members.Select(o => o.Validation.Global.ToString("F4", System.Globalization.CultureInfo.InvariantCulture)))})");
        }

        TrainingOutcome first = members[0];
        int bestEpoch = (int)Math.Round(members.Average(o => o.BestEpoch));
        return new TrainingOutcome(
            merged, first.History, bestEpoch, validationRmse, testRmse, members.Sum(o => o.TrainSeconds),
            members.All(o => o.StoppedEarly), new RmseResult(double.NaN, double.NaN, 0), validation, test)
        {
            Selected = new ModelSelection(bestEpoch, [.. members.Select(o => o.Selected)]),
        };
    }

    /// <summary>
    /// One network computing the mean of <paramref name="members"/> (same config, identity output): each hidden
    /// layer holds the members' units side by side, with block-diagonal weights between hidden layers; the output
    /// layer takes every member's last hidden units with its weights divided by the count, and the mean bias.
    /// </summary>
    public static AutoencoderNetwork Merge(ModelConfig config, IReadOnlyList<AutoencoderNetwork> members, int inputs, int outputs)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(members);
        int n = members.Count;
        var merged = new AutoencoderNetwork(MergedConfig(config with { Ensemble = n }), inputs, outputs);
        Tensor[] target = [.. merged.parameters()];
        int layers = target.Length / 2;
        using (no_grad())
        {
            foreach (Tensor t in target)
            {
                t.zero_();
            }

            for (int m = 0; m < n; m++)
            {
                Tensor[] source = [.. members[m].parameters()];
                for (int l = 0; l < layers; l++)
                {
                    Tensor w = source[l];
                    Tensor b = source[layers + l];
                    long rows = w.shape[0];
                    long cols = w.shape[1];
                    bool output = l == layers - 1;
                    if (output)
                    {
                        target[l].narrow(1, m * cols, cols).copy_(w / n);
                        target[layers + l].add_(b / n);
                    }
                    else
                    {
                        Tensor block = target[l].narrow(0, m * rows, rows);
                        (l == 0 ? block : block.narrow(1, m * cols, cols)).copy_(w);
                        target[layers + l].narrow(0, m * rows, rows).copy_(b);
                    }
                }
            }
        }

        return merged;
    }

    private static float[] Mean(IEnumerable<float[]> predictions)
    {
        float[][] all = [.. predictions];
        var mean = new float[all[0].Length];
        foreach (float[] p in all)
        {
            for (int i = 0; i < mean.Length; i++)
            {
                mean[i] += p[i];
            }
        }

        for (int i = 0; i < mean.Length; i++)
        {
            mean[i] /= all.Length;
        }

        return mean;
    }
}
