using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace AutoRec.BuildTasks;

/// <summary>Exports the trained model to ONNX and checks it against TorchSharp (the pipeline's export stage).</summary>
public sealed class ExportOnnx : AutoRecToolTask
{
    /// <summary>The model folder written by <see cref="TrainAutoencoder"/>.</summary>
    [Required]
    public string ModelDir { get; set; } = "";

    /// <summary>The folder with the split Parquet files (rows for the comparison).</summary>
    [Required]
    public string DataDir { get; set; } = "";

    /// <inheritdoc />
    protected override void AppendArguments(CommandLineBuilder builder)
    {
        builder.AppendSwitchIfNotNull("--model ", ModelDir);
        builder.AppendSwitchIfNotNull("--data ", DataDir);
    }
}
