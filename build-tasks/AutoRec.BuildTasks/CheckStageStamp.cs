using Microsoft.Build.Framework;
using Task = Microsoft.Build.Utilities.Task;

namespace AutoRec.BuildTasks;

/// <summary>
/// Before a stage's up-to-date check: deletes its stamp when an output is missing or no longer has the size and
/// SHA-256 recorded by <see cref="WriteStageStamp"/> (a truncated model, bytes appended to a Parquet file), saying
/// which file changed, so the stage runs again instead of a later stage failing on every build.
/// </summary>
public sealed class CheckStageStamp : Task
{
    /// <summary>The stamp file.</summary>
    [Required]
    public string Stamp { get; set; } = "";

    /// <summary>The stage's name, for the message.</summary>
    [Required]
    public string Stage { get; set; } = "";

    /// <summary>The outputs the stage must have written.</summary>
    public ITaskItem[] Outputs { get; set; } = [];

    /// <summary>Whether the stamp was deleted.</summary>
    [Output]
    public bool Invalidated { get; private set; }

    /// <inheritdoc />
    public override bool Execute()
    {
        if (!File.Exists(Stamp))
        {
            return true;
        }

        try
        {
            string[] expected = Outputs.Select(i => Path.GetFullPath(i.ItemSpec)).ToArray();
            string? reason = StageFingerprint.Parse(File.ReadAllText(Stamp)).FirstDifference(expected);
            if (reason is not null)
            {
                File.Delete(Stamp);
                Invalidated = true;
                Log.LogMessage(MessageImportance.High, $"AutoRec: {reason}; running the {Stage} stage again");
            }

            return true;
        }
        catch (Exception e) when (TaskLogging.IsFileSystemError(e))
        {
            Log.LogFileSystemError(Stamp, e);
            return false;
        }
    }
}
