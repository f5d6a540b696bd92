using System.Text.Json;
using AutoRec.Contracts;
using AutoRec.Data;
using AutoRec.Inference;
using Microsoft.Build.Framework;
using Task = Microsoft.Build.Utilities.Task;

namespace AutoRec.BuildTasks;

/// <summary>
/// A refit's blend.json: protocol A's weights (fit on validation, which a refit no longer holds out) on the refit
/// members. Each member keeps its relative model path, which names the refit's member in the refit's folder, and is
/// pinned to that file's SHA-256, so that the service refuses a member rebuilt since.
/// </summary>
public sealed class WriteRefitBlend : Task
{
    /// <summary>Protocol A's blend.json.</summary>
    [Required]
    public string SourceFile { get; set; } = "";

    /// <summary>Where the refit's blend.json goes.</summary>
    [Required]
    public string OutputFile { get; set; } = "";

    /// <inheritdoc />
    public override bool Execute()
    {
        string current = SourceFile; // what an error is reported against
        try
        {
            BlendManifest chosen = BlendManifest.Read(SourceFile);
            var members = new List<BlendMember>();
            foreach (BlendMember member in chosen.Members)
            {
                current = BlendManifest.ModelPath(OutputFile, member);
                members.Add(member with { Sha256 = StageFingerprint.Measure(current).Sha256, ValidationRmse = double.NaN });
            }

            BlendManifest refit = chosen with { Members = members, Protocol = RunMetrics.ProtocolRefit };
            current = OutputFile;
            AtomicFiles.Write(OutputFile, staged => File.WriteAllText(staged, refit.ToJson()));
            Log.LogMessage(
                MessageImportance.High,
                $"AutoRec: blend {chosen.Name}: protocol A's weights ({SourceFile}) on the refit members {string.Join(", ", members.Select(m => m.Name))}");
            return true;
        }
        catch (JsonException e)
        {
            TaskLogging.LogCodedError(Log, ModelErrorCodes.BadBlend, SourceFile, $"not a blend manifest: {e.Message}");
            return false;
        }
        catch (Exception e) when (TaskLogging.IsFileSystemError(e))
        {
            Log.LogFileSystemError(current, e);
            return false;
        }
    }
}
