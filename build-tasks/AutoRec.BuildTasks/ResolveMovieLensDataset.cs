using AutoRec.Data;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using Task = Microsoft.Build.Utilities.Task;

namespace AutoRec.BuildTasks;

/// <summary>
/// Finds the raw files of <see cref="Dataset"/>: in <see cref="DatasetDir"/> when given, otherwise in the first of
/// <see cref="SearchDirectories"/> that holds them. Finding nothing is not an error here (the caller may download);
/// a folder that is given or found but malformed is.
/// </summary>
public sealed class ResolveMovieLensDataset : Task
{
    /// <summary>The dataset name, e.g. <c>ml-1m</c>.</summary>
    [Required]
    public string Dataset { get; set; } = "";

    /// <summary>A folder the user named: it must hold the dataset.</summary>
    public string? DatasetDir { get; set; }

    /// <summary>Folders to look in, in order, when <see cref="DatasetDir"/> is empty.</summary>
    public ITaskItem[] SearchDirectories { get; set; } = [];

    /// <summary>The folder that holds the dataset, or empty when none was found.</summary>
    [Output]
    public string ResolvedDir { get; private set; } = "";

    /// <summary>The files the conversion reads (inputs of the incremental build).</summary>
    [Output]
    public ITaskItem[] RawFiles { get; private set; } = [];

    /// <summary>The layout's format name (DoubleColon, Ml100k, Csv).</summary>
    [Output]
    public string Format { get; private set; } = "";

    /// <summary>Whether the dataset has users (and so users.parquet is written).</summary>
    [Output]
    public bool HasUsers { get; private set; }

    /// <inheritdoc />
    public override bool Execute()
    {
        try
        {
            if (!string.IsNullOrWhiteSpace(DatasetDir))
            {
                Use(MovieLensLayout.Detect(Dataset, DatasetDir), DatasetDir);
                return true;
            }

            foreach (ITaskItem candidate in SearchDirectories)
            {
                string dir = candidate.ItemSpec;
                if (Directory.Exists(dir) && Directory.EnumerateFileSystemEntries(dir).Any())
                {
                    Use(MovieLensLayout.Detect(Dataset, dir), dir);
                    Log.LogMessage(MessageImportance.Normal, $"AutoRec: using {Dataset} from {Path.GetFullPath(dir)}");
                    return true;
                }
            }

            return true;
        }
        catch (DataFormatException e)
        {
            Log.LogDataError(e);
            return false;
        }
    }

    private void Use(MovieLensLayout layout, string dir)
    {
        ResolvedDir = Path.GetFullPath(dir);
        RawFiles = layout.InputFiles.Select(f => (ITaskItem)new TaskItem(Path.GetFullPath(f))).ToArray();
        Format = layout.Format.ToString();
        HasUsers = layout.UsersFile is not null;
    }
}
