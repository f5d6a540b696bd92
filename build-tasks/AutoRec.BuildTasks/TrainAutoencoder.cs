using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace AutoRec.BuildTasks;

/// <summary>Trains the autoencoder from the split files (the pipeline's train stage).</summary>
public sealed class TrainAutoencoder : AutoRecToolTask
{
    /// <summary>The folder with train/validation/test Parquet files.</summary>
    [Required]
    public string DataDir { get; set; } = "";

    /// <summary>The model config (JSON).</summary>
    [Required]
    public string ConfigFile { get; set; } = "";

    /// <summary>Where the model files go.</summary>
    [Required]
    public string ModelDir { get; set; } = "";

    /// <summary>The dataset name (recorded in the model's metadata).</summary>
    public string Dataset { get; set; } = "";

    /// <summary>For a refit: protocol A's metrics.json, whose selection the model is trained again with (on <see cref="DataDir"/>'s train split).</summary>
    public string? RefitOf { get; set; }

    /// <inheritdoc />
    public override void Cancel()
    {
        // One clear line instead of a stack of task-host errors: the checkpoint written after each epoch stays valid.
        Log.LogMessage(MessageImportance.High, $"AutoRec: training cancelled; the next build resumes from {Path.Combine(ModelDir, "checkpoint")}");
        base.Cancel();
    }

    /// <inheritdoc />
    protected override void AppendArguments(CommandLineBuilder builder)
    {
        builder.AppendSwitch("train");
        builder.AppendSwitchIfNotNull("--data ", DataDir);
        builder.AppendSwitchIfNotNull("--config ", ConfigFile);
        builder.AppendSwitchIfNotNull("--out ", ModelDir);
        builder.AppendSwitchIfNotNull("--dataset ", Dataset);
        builder.AppendSwitchIfNotNull("--refit-of ", RefitOf);
        builder.AppendSwitch("--plain");
    }
}
