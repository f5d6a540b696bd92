namespace AutoRec.Serving.Models;

/// <summary>Where the pipeline puts what the service reads, inside one dataset's folder (<c>artifacts/&lt;dataset&gt;</c>).</summary>
internal sealed record ModelFiles(string Directory)
{
    /// <summary>What is served: model/blend.json when the folder holds a blend (a blend config's pipeline), else model/model.onnx.</summary>
    public string Model => File.Exists(Blend) ? Blend : Onnx;

    /// <summary>The exported network.</summary>
    public string Onnx => Path.Combine(Directory, "model", "model.onnx");

    /// <summary>A blend's manifest (<see cref="AutoRec.Contracts.BlendManifest"/>), naming its members' model files.</summary>
    public string Blend => Path.Combine(Directory, "model", "blend.json");

    public string Validation => Path.Combine(Directory, "model", "validation.json");

    /// <summary>The training run's numbers (<see cref="AutoRec.Contracts.RunMetrics"/>).</summary>
    public string Metrics => Path.Combine(Directory, "model", "metrics.json");

    /// <summary>The learning curve: one row per epoch.</summary>
    public string History => Path.Combine(Directory, "model", "history.csv");

    /// <summary>How the ratings were split (seed, fractions, counts).</summary>
    public string Split => Path.Combine(Directory, "data", "split.json");

    public string TrainRatings => Path.Combine(Directory, "data", "train.parquet");

    public string Movies => Path.Combine(Directory, "data", "movies.parquet");

    /// <summary>The folder taken from the current directory when relative, as a command line user expects.</summary>
    public static ModelFiles At(string directory) => new(Path.GetFullPath(directory));
}
