namespace AutoRec.Training.Training;

/// <summary>Where a run is: the last finished epoch, the validation schedule, the history and the best weights. Checkpointed every epoch.</summary>
public sealed class TrainerState
{
    /// <summary>The last finished epoch (0 before the first).</summary>
    public int Epoch { get; set; }

    /// <summary>The best epoch, the learning rate and whether training ended (see <see cref="PlateauPolicy"/>).</summary>
    public PlateauState Plateau { get; set; } = new();

    /// <summary>Seconds spent in finished epochs (across resumes).</summary>
    public double TrainSeconds { get; set; }

    /// <summary>One entry per finished epoch.</summary>
    public List<EpochResult> History { get; set; } = [];

    /// <summary>The parameters at <see cref="PlateauState.BestEpoch"/> (checkpointed in a file of their own).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public BestWeights BestWeights { get; set; } = new();

    /// <summary>Adds a finished epoch.</summary>
    public void Record(EpochResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        History.Add(result);
        Epoch = result.Epoch;
        TrainSeconds += result.Seconds;
    }
}
