using AutoRec.Data;
using Microsoft.Build.Framework;
using Task = Microsoft.Build.Utilities.Task;

namespace AutoRec.BuildTasks;

/// <summary>
/// Moves a fully prepared folder (an unzipped download) into place with one directory rename, so a reader sees
/// either no <see cref="Destination"/> or all of it, never a partial copy. Source and destination must be on the same
/// volume. An existing empty destination folder is replaced; anything else there is left alone and is an error
/// (AR1013), since it may be someone's files.
/// </summary>
public sealed class InstallDirectory : Task
{
    /// <summary>The folder to move.</summary>
    [Required]
    public string Source { get; set; } = "";

    /// <summary>Where it goes; its parent is created when missing.</summary>
    [Required]
    public string Destination { get; set; } = "";

    /// <inheritdoc />
    public override bool Execute()
    {
        string source = Path.TrimEndingDirectorySeparator(Path.GetFullPath(Source));
        string destination = Path.TrimEndingDirectorySeparator(Path.GetFullPath(Destination));
        string current = source; // what a file-system error is reported against
        try
        {
            if (!Directory.Exists(source))
            {
                Log.LogCodedError(DataErrorCodes.MissingFile, source, "the folder to install does not exist");
                return false;
            }

            current = destination;
            if (File.Exists(destination) || (Directory.Exists(destination) && Directory.EnumerateFileSystemEntries(destination).Any()))
            {
                Log.LogCodedError(
                    TaskErrorCodes.DestinationExists, destination,
                    $"cannot install {source} here: the destination already exists and is not an empty folder. " +
                    "If it is an incomplete copy, delete it and build again");
                return false;
            }

            if (Directory.Exists(destination))
            {
                Directory.Delete(destination); // empty (checked above); not recursive, so it never deletes files
            }

            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            Directory.Move(source, destination);
            Log.LogMessage(MessageImportance.Normal, $"AutoRec: installed {destination}");
            return true;
        }
        catch (Exception e) when (TaskLogging.IsFileSystemError(e))
        {
            Log.LogFileSystemError(current, e);
            return false;
        }
    }
}
