namespace AutoRec.Training.Training;

/// <summary>Where a run is: the last finished epoch, the best so far and the history. Checkpointed every epoch.</summary>
public sealed class TrainerState
{
    /// <summary>The last finished epoch (0 before the first).</summary>
    public int Epoch { get; set; }

    /// <summary>The epoch with the lowest validation RMSE so far.</summary>
    public int BestEpoch { get; set; }

    /// <summary>The lowest validation RMSE so far.</summary>
    public double BestValidationRmse { get; set; } = double.PositiveInfinity;

    /// <summary>The learning rate now (it decays on plateaus when configured); 0 before the first epoch.</summary>
    public double LearningRate { get; set; }

    /// <summary>Epochs since the last improvement or learning-rate decay.</summary>
    public int EpochsWithoutImprovement { get; set; }

    /// <summary>Whether the run ended (all epochs, or an early stop): a resume then only re-evaluates.</summary>
    public bool Finished { get; set; }

    /// <summary>Whether the run ended by early stopping.</summary>
    public bool StoppedEarly { get; set; }

    /// <summary>Seconds spent in finished epochs (across resumes).</summary>
    public double TrainSeconds { get; set; }

    /// <summary>One entry per finished epoch.</summary>
    public List<EpochResult> History { get; set; } = [];

    /// <summary>The parameters at <see cref="BestEpoch"/>, in <c>parameters()</c> order.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public float[][]? BestWeights { get; set; }
}
