using AutoRec.Contracts;
using AutoRec.Training.Configuration;

namespace AutoRec.Training.Training;

/// <summary>Where the validation schedule stands after an epoch; checkpointed, so a resumed run decides as an uninterrupted one.</summary>
public sealed class PlateauState
{
    /// <summary>The epoch with the lowest validation RMSE so far (0 before the first).</summary>
    public int BestEpoch { get; set; }

    /// <summary>The lowest validation RMSE so far (NaN when the split has no validation ratings).</summary>
    public double BestValidationRmse { get; set; } = double.PositiveInfinity;

    /// <summary>The learning rate now (it decays on plateaus when configured); 0 before the first epoch.</summary>
    public double LearningRate { get; set; }

    /// <summary>Epochs since the last improvement or learning-rate decay (counted only while decay is configured).</summary>
    public int EpochsWithoutImprovement { get; set; }

    /// <summary>Whether the run ended by early stopping.</summary>
    public bool StoppedEarly { get; set; }

    /// <summary>Whether the run ended (all epochs, or an early stop): a resume then only re-evaluates.</summary>
    public bool Finished { get; set; }
}

/// <summary>What <see cref="PlateauPolicy"/> decided after an epoch.</summary>
/// <param name="IsBest">The epoch is the best so far: keep its weights.</param>
/// <param name="LearningRateDecayed">The learning rate was lowered (see <see cref="PlateauState.LearningRate"/>).</param>
/// <param name="StoppedEarly">Training stops: no better validation RMSE for the configured patience.</param>
/// <param name="Finished">Training ends after this epoch (early stop or the last epoch).</param>
public readonly record struct EpochVerdict(bool IsBest, bool LearningRateDecayed, bool StoppedEarly, bool Finished);

/// <summary>
/// Model selection and the schedule that follows from it, given each epoch's validation RMSE: is the epoch the
/// best so far, should the learning rate decay after <c>lr_decay_patience</c> epochs without improvement, should
/// training stop early after <c>patience</c> epochs without improvement. Without validation ratings every epoch
/// counts as the best, so the last one is kept.
/// </summary>
/// <param name="Epochs">The most epochs to train.</param>
/// <param name="Patience">Epochs without improvement before stopping; 0 never stops early.</param>
/// <param name="LrDecayPatience">Epochs without improvement before the learning rate decays; 0 keeps it.</param>
/// <param name="LrDecayFactor">What the learning rate is multiplied by when it decays.</param>
public sealed record PlateauPolicy(int Epochs, int Patience, int LrDecayPatience, double LrDecayFactor)
{
    /// <summary>The policy <paramref name="config"/> asks for.</summary>
    public static PlateauPolicy For(ModelConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new PlateauPolicy(config.Epochs, config.Patience, config.LrDecayPatience, config.LrDecayFactor);
    }

    /// <summary>Updates <paramref name="state"/> with <paramref name="epoch"/>'s validation RMSEs and says what follows.</summary>
    public EpochVerdict Observe(PlateauState state, int epoch, RmseResult validation)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(validation);
        bool isBest = validation.Count == 0 || validation.Global < state.BestValidationRmse;
        bool decayed = false;
        if (isBest)
        {
            state.BestValidationRmse = validation.Count == 0 ? double.NaN : validation.Global;
            state.BestEpoch = epoch;
            state.EpochsWithoutImprovement = 0;
        }
        else if (LrDecayPatience > 0 && ++state.EpochsWithoutImprovement >= LrDecayPatience)
        {
            state.LearningRate *= LrDecayFactor;
            state.EpochsWithoutImprovement = 0;
            decayed = true;
        }

        state.StoppedEarly = Patience > 0 && epoch - state.BestEpoch >= Patience;
        state.Finished = state.StoppedEarly || epoch == Epochs;
        return new EpochVerdict(isBest, decayed, state.StoppedEarly, state.Finished);
    }
}
