using AutoRec.Contracts;
using AutoRec.Training.Configuration;
using AutoRec.Training.Data;
using AutoRec.Training.Reporting;
using AutoRec.Training.Training;

namespace AutoRec.Training.Composite;

/// <summary>
/// Protocol B: a config trained again, with every choice protocol A made on validation (<see cref="ModelSelection"/>), on
/// data whose training ratings include the validation ratings. Each network trains for its own chosen epoch count
/// (an ensemble member for its own, a tower as its selection says) and a blend of towers takes A's weights: nothing
/// is chosen again, since nothing is held out to choose on. The schedule still spans the config's epochs, so a refit
/// replays the first epochs of its run's learning-rate schedule exactly.
/// </summary>
public static class RefitTrainer
{
    /// <summary>Trains <paramref name="config"/> on <paramref name="data"/> as <paramref name="selection"/> says.</summary>
    /// <exception cref="ArgumentException">The selection does not fit the config, or a network has no chosen epoch.</exception>
    public static TrainingOutcome Run(
        ModelConfig config, TrainingData data, ModelSelection selection, IProgressSink progress, string? checkpointDir, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(selection);
        ArgumentNullException.ThrowIfNull(progress);
        if (config.LrDecayPatience > 0)
        {
            throw new ArgumentException($"{config.Name}'s learning rate follows validation (lr_decay_patience): a refit has no validation to follow; use a fixed schedule (lr_schedule)", nameof(config));
        }

        if (config.Towers is { } towers)
        {
            double[] weights = [.. selection.Weights ?? throw new ArgumentException($"{config.Name}: a blend of towers' selection has no weights", nameof(selection))];
            CheckParts(config, selection, towers.Count);
            var outcomes = new List<TrainingOutcome>();
            for (int t = 0; t < towers.Count; t++)
            {
                progress.Message($"refit of tower {t + 1} of {towers.Count}: {towers[t].Name}");
                outcomes.Add(Run(towers[t], data, selection.Parts[t], progress, Sub(checkpointDir, $"tower-{t + 1}"), cancellation));
            }

            return TowerTrainer.Blend(config, data, outcomes, weights, progress);
        }

        if (config.Ensemble > 1)
        {
            CheckParts(config, selection, config.Ensemble);
            var members = new List<TrainingOutcome>();
            for (int m = 0; m < config.Ensemble; m++)
            {
                ModelConfig member = config with { Ensemble = 0, Seed = config.Seed + m };
                int epochs = EpochsOf(member, selection.Parts[m]);
                progress.Message($"refit of ensemble member {m + 1} of {config.Ensemble} (seed {member.Seed}): {epochs} epochs on train + validation");
                members.Add(new Trainer(member, data, progress, Sub(checkpointDir, $"member-{m + 1}"), lastEpoch: epochs).Run(cancellation));
            }

            return EnsembleTrainer.Combine(config, data, members, progress) with { Selected = selection };
        }

        int count = EpochsOf(config, selection);
        progress.Message($"refit of {config.Name}: {count} epochs on train + validation");
        return new Trainer(config, data, progress, checkpointDir, lastEpoch: count).Run(cancellation) with { Selected = selection };
    }

    private static int EpochsOf(ModelConfig config, ModelSelection selection) =>
        selection.Epochs >= 1 ? selection.Epochs : throw new ArgumentException($"{config.Name} has no chosen epoch to refit for ({selection.Epochs})", nameof(selection));

    private static void CheckParts(ModelConfig config, ModelSelection selection, int expected)
    {
        if (selection.Parts.Count != expected)
        {
            throw new ArgumentException($"{config.Name} has {expected} parts, its selection {selection.Parts.Count}", nameof(selection));
        }
    }

    private static string? Sub(string? dir, string name) => dir is null ? null : Path.Combine(dir, name);
}
