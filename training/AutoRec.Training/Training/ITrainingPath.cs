using AutoRec.Contracts;
using AutoRec.Training.Data;
using AutoRec.Training.Model;

namespace AutoRec.Training.Training;

/// <summary>
/// One way of training a network (see <see cref="TrainingPath"/>): what <see cref="Trainer"/> needs so that the
/// schedule, best weights, checkpoints, progress, cancellation and the final metrics are shared by both paths.
/// </summary>
internal interface ITrainingPath : IDisposable
{
    /// <summary>Which path this is.</summary>
    TrainingPathKind Kind { get; }

    /// <summary>The current parameters, for <see cref="BestWeights"/>.</summary>
    IParameterArrays Parameters { get; }

    /// <summary>
    /// Trains one epoch (the caller has seeded libtorch's generator for it) and returns the mean batch loss.
    /// </summary>
    /// <exception cref="TrainingDivergedException">A loss is not finite.</exception>
    /// <exception cref="OperationCanceledException">Cancelled between two batches.</exception>
    double TrainEpoch(int epoch, CancellationToken cancellation);

    /// <summary>The RMSEs of the current weights (eval mode, predictions clipped to the scale) at each list of ratings.</summary>
    RmseResult[] Score(params HeldOutRating[][] sets);

    /// <summary>
    /// An epoch's scores of the current weights: the training RMSE (global, predictions clipped) and the validation
    /// RMSEs. By default one <see cref="Score"/> of both lists; a path that already knows the first may skip it.
    /// </summary>
    (double TrainRmse, RmseResult Validation) ScoreEpoch(HeldOutRating[] train, HeldOutRating[] validation)
    {
        RmseResult[] scores = Score(train, validation);
        return (scores[0].Global, scores[1]);
    }

    /// <summary>The current weights' predictions (eval mode, not clipped) at each list of ratings, in its order.</summary>
    float[][] Predict(params HeldOutRating[][] sets);

    /// <summary>Sets the learning rate of the next steps.</summary>
    void SetLearningRate(double rate);

    /// <summary>The TorchSharp network this path trains (its weights may lag behind: see <see cref="SyncNetwork"/>).</summary>
    AutoencoderNetwork Network { get; }

    /// <summary>Brings <see cref="Network"/> up to the current weights and returns it (for weights.bin, checkpoints and export).</summary>
    AutoencoderNetwork SyncNetwork();

    /// <summary>The network's weights were replaced (a checkpoint was loaded into it): take them.</summary>
    void NetworkLoaded();

    /// <summary>Writes the optimizer's state.</summary>
    void SaveOptimizer(string path);

    /// <summary>Reads the optimizer's state; with <paramref name="apply"/> false only checks that the file is readable.</summary>
    void LoadOptimizer(string path, bool apply);
}
