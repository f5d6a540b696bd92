using System.Globalization;
using AutoRec.BuildTasks.Blends;
using AutoRec.Contracts;
using AutoRec.Data;
using AutoRec.Inference;
using Microsoft.Build.Framework;
using Task = Microsoft.Build.Utilities.Task;

namespace AutoRec.BuildTasks;

/// <summary>
/// The blend stage: fits a blend's weights on the validation ratings from its members' exported models (through ONNX
/// Runtime, as served; see <see cref="BlendFitter"/>) and writes blend.json (<see cref="BlendManifest"/>).
/// </summary>
public sealed class FitBlend : Task
{
    /// <summary>The blend's name.</summary>
    [Required]
    public string BlendName { get; set; } = "";

    /// <summary>The members, in order: the item is the member's name, its <c>ModelFile</c> metadata its model.onnx.</summary>
    [Required]
    public ITaskItem[] Members { get; set; } = [];

    /// <summary>The training split: the members' input.</summary>
    [Required]
    public string TrainFile { get; set; } = "";

    /// <summary>The validation split: what the weights are fit on.</summary>
    [Required]
    public string ValidationFile { get; set; } = "";

    /// <summary>0 for a plain blend; else how many powers of the user's and the movie's support weight it (the blend config's <c>support_powers</c>, <see cref="BlendSupport"/>).</summary>
    public int SupportPowers { get; set; }

    /// <summary>Where blend.json goes; member paths in it are relative to its folder.</summary>
    [Required]
    public string OutputFile { get; set; } = "";

    /// <inheritdoc />
    public override bool Execute()
    {
        try
        {
            Rating[] train = ParquetTables.ReadRatings(TrainFile);
            Rating[] validation = ParquetTables.ReadRatings(ValidationFile);
            (string, string)[] members = [.. Members.Select(m => (m.ItemSpec, m.GetMetadata("ModelFile")))];
            BlendManifest manifest = BlendFitter.Fit(BlendName, members, OutputFile, train, validation, SupportPowers);
            AtomicFiles.Write(OutputFile, staged => File.WriteAllText(staged, manifest.ToJson()));
            string parts = string.Join(", ", manifest.Members.Select(m =>
                string.Create(CultureInfo.InvariantCulture, $"{m.Name} {m.Weight:F4} (alone {m.ValidationRmse:F4})")));
            Log.LogMessage(
                MessageImportance.High,
                string.Create(CultureInfo.InvariantCulture,
                    $"AutoRec: blend {BlendName} fit on {manifest.ValidationRatings:N0} validation ratings: intercept {manifest.Intercept:F4}, {parts}{SupportDescription(manifest.Support)}; validation RMSE {manifest.ValidationRmse:F4} ({OutputFile})"));
            return true;
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
            // No validation rating to fit on is the validation file's fault; anything else is the training ratings' (the members' input).
            string file = e.ParamName == "validation" ? ValidationFile : TrainFile;
            TaskLogging.LogCodedError(Log, "AR3103", file, $"the split does not fit the blend's members: {e.Message}");
            return false;
        }
        catch (Exception e) when (TaskLogging.IsFileSystemError(e))
        {
            Log.LogFileSystemError(OutputFile, e);
            return false;
        }
    }

    private static string SupportDescription(BlendSupport? support) =>
        support is null ? "" : $", weighted by support ({support.Terms.Count} terms: powers of ln(1 + ratings) of the user and of the movie)";
}
