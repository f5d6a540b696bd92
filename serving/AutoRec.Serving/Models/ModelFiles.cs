namespace AutoRec.Serving.Models;

/// <summary>Where the pipeline puts what the service reads, inside one dataset's folder (<c>artifacts/&lt;dataset&gt;</c>).</summary>
internal sealed record ModelFiles(string Directory)
{
    public string Model => Path.Combine(Directory, "model", "model.onnx");

    public string Validation => Path.Combine(Directory, "model", "validation.json");

    public string TrainRatings => Path.Combine(Directory, "data", "train.parquet");

    public string Movies => Path.Combine(Directory, "data", "movies.parquet");

    /// <summary>The folder taken from the current directory when relative, as a command line user expects.</summary>
    public static ModelFiles At(string directory) => new(Path.GetFullPath(directory));
}
