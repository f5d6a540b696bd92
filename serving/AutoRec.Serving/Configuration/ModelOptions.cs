using System.ComponentModel.DataAnnotations;

namespace AutoRec.Serving.Configuration;

/// <summary>The <c>Model</c> section: the pipeline's folder to serve and how the model runs and reloads.</summary>
public sealed class ModelOptions
{
    public const string Section = "Model";

    /// <summary>
    /// The pipeline's output folder for one dataset (<c>artifacts/&lt;dataset&gt;</c>): <c>model/model.onnx</c>,
    /// <c>model/validation.json</c>, <c>data/train.parquet</c>, <c>data/movies.parquet</c>. Relative paths are taken
    /// from the current directory.
    /// </summary>
    [Required]
    public string Directory { get; set; } = "artifacts/ml-1m";

    /// <summary>ONNX Runtime threads inside one operator: 1 lets concurrent requests provide the parallelism.</summary>
    [Range(0, 256)]
    public int IntraOpThreads { get; set; } = 1;

    /// <summary>
    /// How many known users' rankings are kept once computed (the best <c>Serving:MaxResults</c> movies each, 8 bytes
    /// per movie: 100,000 users take 80 MB); 0 keeps none. Rankings last until the next reload.
    /// </summary>
    [Range(0, 10_000_000)]
    public int CachedUsers { get; set; } = 100_000;

    /// <summary>How long the file must stay quiet after a change before it is loaded, so a file still being written is not read half-way.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan ReloadDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How often the file's size and time are also checked: file-system events are missed when the folder itself is
    /// replaced, or on some network file systems.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);
}
