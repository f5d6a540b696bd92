using System.Globalization;
using System.Text.Json;
using AutoRec.BuildTasks.Validation;
using AutoRec.Contracts;
using AutoRec.Data;
using AutoRec.Inference;
using Microsoft.Build.Framework;
using Task = Microsoft.Build.Utilities.Task;

namespace AutoRec.BuildTasks;

/// <summary>
/// The pipeline's quality gate: computes the exported model's test RMSE through ONNX Runtime (the inference
/// library, not TorchSharp), writes validation.json, and fails when the RMSE exceeds <see cref="MaxTestRmse"/> or
/// disagrees with the training's own test_rmse by more than <see cref="Tolerance"/>.
/// </summary>
public sealed class ValidateModel : Task
{
    /// <summary>model.onnx.</summary>
    [Required]
    public string ModelFile { get; set; } = "";

    /// <summary>The training split: the model's input (under protocol B, the refit's: train + validation).</summary>
    [Required]
    public string TrainFile { get; set; } = "";

    /// <summary>The test split: the targets.</summary>
    [Required]
    public string TestFile { get; set; } = "";

    /// <summary>
    /// The training's metrics.json, whose test_rmse must agree with the measured one. Optional, but when given the
    /// file must exist and hold a test_rmse (AR3104 otherwise): the pipeline always passes it.
    /// </summary>
    public string? MetricsFile { get; set; }

    /// <summary>Where validation.json goes.</summary>
    [Required]
    public string OutputFile { get; set; } = "";

    /// <summary>How the model was trained (<c>A</c> or <c>refit</c>), recorded in validation.json.</summary>
    public string Protocol { get; set; } = RunMetrics.ProtocolA;

    /// <summary>The largest acceptable global test RMSE.</summary>
    public string MaxTestRmse { get; set; } = "0.83";

    /// <summary>The largest acceptable difference from the training's test_rmse.</summary>
    public string Tolerance { get; set; } = "1e-4";

    /// <summary>The measured global test RMSE.</summary>
    [Output]
    public string TestRmse { get; private set; } = "";

    /// <inheritdoc />
    public override bool Execute()
    {
        if (!TryParse(MaxTestRmse, "MaxTestRmse", out double maxRmse) || !TryParse(Tolerance, "ValidationTolerance", out double tolerance))
        {
            return false;
        }

        string? current = null; // what a file-system error is reported against, when known
        try
        {
            // The agreement check needs the training's number: a missing or malformed metrics.json fails before the
            // (slower) evaluation.
            double? trained = null;
            if (!string.IsNullOrEmpty(MetricsFile))
            {
                current = MetricsFile;
                trained = TrainingTestRmse(MetricsFile);
                if (trained is null)
                {
                    return false;
                }
            }

            // Opening the inputs first names the one that cannot be read; errors inside the evaluation cannot.
            foreach (string input in (string[])[ModelFile, TrainFile, TestFile])
            {
                current = input;
                if (File.Exists(input))
                {
                    File.OpenRead(input).Dispose();
                }
            }

            current = null;
            ValidationReport report = ModelValidator.Validate(ModelFile, TrainFile, TestFile);
            List<string> failures = Check(report, maxRmse, trained, tolerance);

            // The verdict travels with the numbers: a failing report says so, rather than looking like a passing one.
            report = report with { Protocol = Protocol, MaxTestRmse = maxRmse, Passed = failures.Count == 0, Failures = failures };
            current = OutputFile;
            AtomicFiles.Write(OutputFile, staged => File.WriteAllText(staged, report.ToJson()));
            TestRmse = report.TestRmse.ToString("R", CultureInfo.InvariantCulture);
            return failures.Count == 0;
        }
        catch (ModelFormatException e)
        {
            TaskLogging.LogCodedError(Log, e.Code, e.ModelPath, e.Reason);
            return false;
        }
        catch (DataFormatException e)
        {
            Log.LogDataError(e);
            return false;
        }
        catch (ArgumentException e)
        {
            TaskLogging.LogCodedError(Log, "AR3103", TrainFile, $"the split does not fit the model: {e.Message}");
            return false;
        }
        catch (Exception e) when (TaskLogging.IsFileSystemError(e))
        {
            Log.LogFileSystemError(current, e);
            return false;
        }
    }

    /// <summary>Logs each failed check and returns their messages.</summary>
    private List<string> Check(ValidationReport report, double maxRmse, double? trained, double tolerance)
    {
        Log.LogMessage(
            MessageImportance.High,
            $"AutoRec: validated {ModelFile} (protocol {Protocol}) with ONNX Runtime: test RMSE {report.TestRmse:F4} (per-user mean {report.TestRmseUserMean:F4}) " +
            $"on {report.TestRatings:N0} ratings in {report.Seconds:F1} s (predicting the training mean: {report.MeanBaselineRmse:F4}); gate MaxTestRmse={maxRmse.ToString(CultureInfo.InvariantCulture)}");

        var failures = new List<string>();
        if (!(report.TestRmse <= maxRmse))
        {
            string message = $"test RMSE {report.TestRmse:F4} exceeds MaxTestRmse {maxRmse.ToString(CultureInfo.InvariantCulture)}: the model is not good enough";
            TaskLogging.LogCodedError(Log, "AR3101", OutputFile, message);
            failures.Add($"AR3101: {message}");
        }

        // Both NaN (nothing to score) agree; AR3101 has already failed such a model.
        bool agree = trained is not double t || Math.Abs(t - report.TestRmse) <= tolerance || (double.IsNaN(t) && double.IsNaN(report.TestRmse));
        if (!agree)
        {
            string message = $"ONNX Runtime measures test RMSE {report.TestRmse:F6} but training reported {trained:F6} (difference above {tolerance.ToString(CultureInfo.InvariantCulture)})";
            TaskLogging.LogCodedError(Log, "AR3102", MetricsFile, message);
            failures.Add($"AR3102: {message}");
        }

        return failures;
    }

    /// <summary>The test_rmse of metrics.json, or null after logging AR3104 when the file is missing or malformed.</summary>
    private double? TrainingTestRmse(string path)
    {
        if (!File.Exists(path))
        {
            TaskLogging.LogCodedError(
                Log, TaskErrorCodes.BadMetrics, path,
                "metrics.json not found: the training's test_rmse is needed to check the exported model against it");
            return null;
        }

        try
        {
            return RunMetrics.Read(path).TestRmse;
        }
        catch (JsonException e)
        {
            TaskLogging.LogCodedError(Log, TaskErrorCodes.BadMetrics, path, $"malformed metrics.json: {e.Message}");
            return null;
        }
    }

    private bool TryParse(string text, string property, out double value)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && value >= 0)
        {
            return true;
        }

        TaskLogging.LogCodedError(Log, "AR1103", null, $"{property} '{text}' is not a non-negative number");
        return false;
    }
}
