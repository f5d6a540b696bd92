namespace AutoRec.Training;

/// <summary>The files of a model folder (<c>$(PipelineOutputDir)/model/</c>).</summary>
public sealed record ModelFiles(string Directory)
{
    /// <summary>The config used.</summary>
    public string Config => Path.Combine(Directory, "config.json");

    /// <summary>Column ids, scale and fill statistics (see <see cref="TrainedModelInfo"/>).</summary>
    public string Network => Path.Combine(Directory, "network.json");

    /// <summary>The best epoch's parameters (TorchSharp format).</summary>
    public string Weights => Path.Combine(Directory, "weights.bin");

    /// <summary>One row per epoch.</summary>
    public string History => Path.Combine(Directory, "history.csv");

    /// <summary>Train and validation RMSE per epoch.</summary>
    public string LearningCurve => Path.Combine(Directory, "learning-curve.png");

    /// <summary>The run's numbers.</summary>
    public string Metrics => Path.Combine(Directory, "metrics.json");

    /// <summary>The exported model.</summary>
    public string Onnx => Path.Combine(Directory, "model.onnx");

    /// <summary>What the export measured against TorchSharp.</summary>
    public string ExportReport => Path.Combine(Directory, "export.json");

    /// <summary>The checkpoint of an unfinished (or finished) run.</summary>
    public string Checkpoint => Path.Combine(Directory, "checkpoint");
}
