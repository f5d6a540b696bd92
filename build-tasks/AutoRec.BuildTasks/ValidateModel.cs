using System.Globalization;
using System.Text.Json;
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

    /// <summary>The training split: the model's input.</summary>
    [Required]
    public string TrainFile { get; set; } = "";

    /// <summary>The test split: the targets.</summary>
    [Required]
    public string TestFile { get; set; } = "";

    /// <summary>The training's metrics.json (its test_rmse is compared); optional.</summary>
    public string? MetricsFile { get; set; }

    /// <summary>Where validation.json goes.</summary>
    [Required]
    public string OutputFile { get; set; } = "";

    /// <summary>The largest acceptable global test RMSE.</summary>
    public string MaxTestRmse { get; set; } = "0.87";

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

        ValidationReport report;
        try
        {
            report = ModelValidator.Validate(ModelFile, TrainFile, TestFile);
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

        report.Write(OutputFile);
        TestRmse = report.TestRmse.ToString("R", CultureInfo.InvariantCulture);
        Log.LogMessage(
            MessageImportance.High,
            $"AutoRec: validated {ModelFile} with ONNX Runtime: test RMSE {report.TestRmse:F4} (per-user mean {report.TestRmseUserMean:F4}) " +
            $"on {report.TestRatings:N0} ratings in {report.Seconds:F1} s; gate MaxTestRmse={maxRmse.ToString(CultureInfo.InvariantCulture)}");

        bool ok = true;
        if (!(report.TestRmse <= maxRmse))
        {
            TaskLogging.LogCodedError(
                Log, "AR3101", OutputFile,
                $"test RMSE {report.TestRmse:F4} exceeds MaxTestRmse {maxRmse.ToString(CultureInfo.InvariantCulture)}: the model is not good enough");
            ok = false;
        }

        if (!string.IsNullOrEmpty(MetricsFile) && TrainingTestRmse(MetricsFile) is double trained && !(Math.Abs(trained - report.TestRmse) <= tolerance))
        {
            TaskLogging.LogCodedError(
                Log, "AR3102", MetricsFile,
                $"ONNX Runtime measures test RMSE {report.TestRmse:F6} but training reported {trained:F6} (difference above {tolerance.ToString(CultureInfo.InvariantCulture)})");
            ok = false;
        }

        return ok;
    }

    private static double? TrainingTestRmse(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        using JsonDocument metrics = JsonDocument.Parse(File.ReadAllText(path));
        return metrics.RootElement.TryGetProperty("test_rmse", out JsonElement value) ? value.GetDouble() : null;
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
