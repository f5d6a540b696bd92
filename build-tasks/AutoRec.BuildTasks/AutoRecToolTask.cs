using System.Text.RegularExpressions;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace AutoRec.BuildTasks;

/// <summary>
/// Runs <c>autorec-train</c> (the TorchSharp training app) as a child process, so libtorch never loads into
/// MSBuild. Its canonical error lines (<c>file(line): error CODE: message</c>) become MSBuild errors with that
/// code and location; epoch lines are logged at normal importance, other lines at high.
/// </summary>
public abstract partial class AutoRecToolTask : ToolTask
{
    /// <summary>Path to <c>autorec-train.dll</c>.</summary>
    [Required]
    public string TrainingAssembly { get; set; } = "";

    /// <inheritdoc />
    protected override string ToolName => OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";

    /// <inheritdoc />
    protected override MessageImportance StandardErrorLoggingImportance => MessageImportance.High;

    /// <inheritdoc />
    protected override MessageImportance StandardOutputLoggingImportance => MessageImportance.High;

    /// <summary>The arguments after the assembly (e.g. <c>train --data ...</c>).</summary>
    protected abstract void AppendArguments(CommandLineBuilder builder);

    /// <inheritdoc />
    protected override string GenerateFullPathToTool() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : ToolName;

    /// <inheritdoc />
    protected override string GenerateCommandLineCommands()
    {
        var builder = new CommandLineBuilder();
        builder.AppendFileNameIfNotNull(TrainingAssembly);
        AppendArguments(builder);
        return builder.ToString();
    }

    /// <inheritdoc />
    protected override bool ValidateParameters()
    {
        if (File.Exists(TrainingAssembly))
        {
            return true;
        }

        TaskLogging.LogCodedError(Log, "AR2005", TrainingAssembly, "the training app is not built (build training/AutoRec.Training.csproj)");
        return false;
    }

    /// <inheritdoc />
    protected override void LogEventsFromTextOutput(string singleLine, MessageImportance messageImportance)
    {
        Match error = CanonicalError().Match(singleLine);
        if (error.Success)
        {
            Log.LogError(
                subcategory: null, errorCode: error.Groups["code"].Value, helpKeyword: null,
                file: error.Groups["file"].Success ? error.Groups["file"].Value : null,
                lineNumber: error.Groups["line"].Success ? int.Parse(error.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture) : 0,
                columnNumber: 0, endLineNumber: 0, endColumnNumber: 0, message: error.Groups["message"].Value);
            return;
        }

        bool epoch = singleLine.StartsWith("epoch ", StringComparison.Ordinal);
        Log.LogMessage(epoch ? MessageImportance.Normal : messageImportance, $"AutoRec: {singleLine}");
    }

    /// <inheritdoc />
    protected override bool HandleTaskExecutionErrors()
    {
        if (!Log.HasLoggedErrors)
        {
            TaskLogging.LogCodedError(Log, "AR2000", TrainingAssembly, $"autorec-train failed with exit code {ExitCode}");
        }

        return false;
    }

    [GeneratedRegex(@"^(?:(?<file>.+?)(?:\((?<line>\d+)\))?: )?error (?<code>AR\d{4}): (?<message>.*)$")]
    private static partial Regex CanonicalError();
}

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

    /// <inheritdoc />
    protected override void AppendArguments(CommandLineBuilder builder)
    {
        builder.AppendSwitch("train");
        builder.AppendSwitchIfNotNull("--data ", DataDir);
        builder.AppendSwitchIfNotNull("--config ", ConfigFile);
        builder.AppendSwitchIfNotNull("--out ", ModelDir);
        builder.AppendSwitchIfNotNull("--dataset ", Dataset);
        builder.AppendSwitch("--plain");
    }
}

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
        builder.AppendSwitch("export");
        builder.AppendSwitchIfNotNull("--model ", ModelDir);
        builder.AppendSwitchIfNotNull("--data ", DataDir);
    }
}
