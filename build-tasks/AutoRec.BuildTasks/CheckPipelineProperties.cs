using System.Globalization;
using AutoRec.Contracts;
using Task = Microsoft.Build.Utilities.Task;

namespace AutoRec.BuildTasks;

/// <summary>
/// Checks every public pipeline property before any stage runs, so a typo fails in a second rather than after
/// minutes of conversion and training. Each bad property is its own coded error; all are reported at once.
/// </summary>
public sealed class CheckPipelineProperties : Task
{
    private static readonly string[] Stages = ["data", "train", "export", "validate"];

    /// <summary><c>StopAfter</c>: empty or a stage name.</summary>
    public string StopAfter { get; set; } = "";

    /// <summary><c>SplitSeed</c>: an integer.</summary>
    public string SplitSeed { get; set; } = "";

    /// <summary><c>SplitTestFraction</c>: a number in (0, 1).</summary>
    public string SplitTestFraction { get; set; } = "";

    /// <summary><c>SplitValidationFraction</c>: a number in [0, 1).</summary>
    public string SplitValidationFraction { get; set; } = "";

    /// <summary><c>MaxTestRmse</c>: a non-negative number.</summary>
    public string MaxTestRmse { get; set; } = "";

    /// <summary><c>Protocol</c>: <c>A</c> (or empty) or <c>refit</c>; a refit needs a validation split to have chosen on.</summary>
    public string Protocol { get; set; } = "";

    /// <summary>The resolved model config; must exist when training runs.</summary>
    public string ModelConfig { get; set; } = "";

    /// <summary>Whether the train stage runs (the config is needed).</summary>
    public bool Trains { get; set; }

    /// <summary>The resolved output folder: it, or any folder above it, must not be a file.</summary>
    public string OutputDirectory { get; set; } = "";

    /// <inheritdoc />
    public override bool Execute()
    {
        if (StopAfter.Length > 0 && !Stages.Contains(StopAfter))
        {
            Log.LogCodedError("AR1100", null, $"StopAfter='{StopAfter}' is not a stage: use data, train, export or validate (or leave it empty for all).");
        }

        if (!long.TryParse(SplitSeed, NumberStyles.Integer, CultureInfo.InvariantCulture, out _))
        {
            Log.LogCodedError("AR1101", null, $"SplitSeed '{SplitSeed}' is not an integer");
        }

        // A test set is what the validate stage scores: it must be able to hold something out.
        CheckFraction(SplitTestFraction, "SplitTestFraction", allowZero: false);
        CheckFraction(SplitValidationFraction, "SplitValidationFraction", allowZero: true);

        if (!double.TryParse(MaxTestRmse, NumberStyles.Float, CultureInfo.InvariantCulture, out double max) || !(max >= 0) || double.IsInfinity(max))
        {
            Log.LogCodedError("AR1103", null, $"MaxTestRmse '{MaxTestRmse}' is not a non-negative number");
        }

        if (Protocol is not ("" or RunMetrics.ProtocolA or RunMetrics.ProtocolRefit))
        {
            Log.LogCodedError("AR1104", null, $"Protocol '{Protocol}' is not a protocol: use A (train on train, choose on validation; the default) or refit (A's choices, trained again on train + validation).");
        }
        else if (Protocol == RunMetrics.ProtocolRefit && double.TryParse(SplitValidationFraction, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && v == 0)
        {
            Log.LogCodedError("AR1104", null, "Protocol=refit needs a validation split to take protocol A's choices from: SplitValidationFraction is 0.");
        }

        if (Trains && !File.Exists(ModelConfig))
        {
            Log.LogCodedError("AR2001", ModelConfig, $"ModelConfig '{ModelConfig}' does not exist.");
        }

        if (OutputDirectory.Length > 0 && FileAbove(OutputDirectory) is string file)
        {
            Log.LogCodedError(
                TaskErrorCodes.CannotReadOrWrite, file,
                $"cannot write the pipeline's outputs under {OutputDirectory}: {file} is a file, not a folder (change PipelineOutputDir)");
        }

        return !Log.HasLoggedErrors;
    }

    private void CheckFraction(string text, string property, bool allowZero)
    {
        bool ok = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
            && (allowZero ? value >= 0 : value > 0) && value < 1;
        if (!ok)
        {
            Log.LogCodedError("AR1102", null, $"{property} '{text}' is not a number in {(allowZero ? "[0, 1)" : "(0, 1)")}");
        }
    }

    /// <summary>The path itself or the nearest existing folder above it when that is a file, else null.</summary>
    private static string? FileAbove(string path)
    {
        for (string? current = Path.GetFullPath(path).TrimEnd(Path.DirectorySeparatorChar); !string.IsNullOrEmpty(current); current = Path.GetDirectoryName(current))
        {
            if (File.Exists(current))
            {
                return current;
            }

            if (Directory.Exists(current))
            {
                return null;
            }
        }

        return null;
    }
}
