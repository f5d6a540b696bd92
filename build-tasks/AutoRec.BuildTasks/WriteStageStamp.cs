using AutoRec.Data;
using Microsoft.Build.Framework;
using Task = Microsoft.Build.Utilities.Task;

namespace AutoRec.BuildTasks;

/// <summary>
/// Marks a stage done: writes its stamp file with the size and SHA-256 of each output, so that
/// <see cref="CheckStageStamp"/> can tell later whether the outputs are still what the stage wrote.
/// </summary>
public sealed class WriteStageStamp : Task
{
    /// <summary>The stamp file (e.g. <c>.stamps/train.done</c>).</summary>
    [Required]
    public string Stamp { get; set; } = "";

    /// <summary>The stage's outputs; those that do not exist are recorded as absent.</summary>
    public ITaskItem[] Outputs { get; set; } = [];

    /// <summary>
    /// The stamp, once written. Unlike properties set in a target, task outputs are not inferred when MSBuild skips
    /// an up-to-date target, so an empty value tells the pipeline the stage did not run.
    /// </summary>
    [Output]
    public string Written { get; private set; } = "";

    /// <inheritdoc />
    public override bool Execute()
    {
        try
        {
            StageFingerprint fingerprint = StageFingerprint.Of(Outputs.Select(i => Path.GetFullPath(i.ItemSpec)));
            AtomicFiles.Write(Stamp, staged => File.WriteAllText(staged, fingerprint.ToText()));

            // The stamp's time is what MSBuild compares with the stage's inputs: it must move on every run, even when
            // the outputs (and so the stamp's text, which AtomicFiles then leaves alone) are the same as before.
            File.SetLastWriteTimeUtc(Stamp, DateTime.UtcNow);
            Written = Stamp;
            return true;
        }
        catch (Exception e) when (TaskLogging.IsFileSystemError(e))
        {
            Log.LogFileSystemError(Stamp, e);
            return false;
        }
    }
}
