using AutoRec.Data;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace AutoRec.BuildTasks;

/// <summary>
/// Finds the raw files of <see cref="Dataset"/>: in <see cref="DatasetDir"/> when given, otherwise in the first of
/// <see cref="SearchDirectories"/> that holds a complete layout. Finding nothing is not an error here (the caller may
/// download). A given folder without the files is an error; a searched one (say, an interrupted copy) is skipped with a
/// low-importance message saying why, and the search goes on.
/// </summary>
public sealed class ResolveMovieLensDataset : DataTask
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

    /// <summary>Where the build may download the dataset from (empty when it is not a release the build downloads).</summary>
    [Output]
    public string DownloadUrl { get; private set; } = "";

    /// <summary>The download's pinned SHA-256.</summary>
    [Output]
    public string DownloadSha256 { get; private set; } = "";

    /// <summary>The folder the downloaded zip unpacks to.</summary>
    [Output]
    public string DownloadFolder { get; private set; } = "";

    /// <inheritdoc />
    protected override bool Run()
    {
        if (MovieLensRelease.Find(Dataset) is { DownloadUrl: string url, ZipSha256: string sha256, ZipFolder: string folder })
        {
            (DownloadUrl, DownloadSha256, DownloadFolder) = (url, sha256, folder);
        }

        CurrentPath = string.IsNullOrWhiteSpace(DatasetDir) ? null : DatasetDir;
        if (!string.IsNullOrWhiteSpace(DatasetDir))
        {
            Use(MovieLensLayout.Detect(Dataset, DatasetDir), DatasetDir);
            return true;
        }

        foreach (ITaskItem candidate in SearchDirectories)
        {
            string dir = candidate.ItemSpec;
            CurrentPath = dir;
            if (!Directory.Exists(dir) || !Directory.EnumerateFileSystemEntries(dir).Any())
            {
                continue;
            }

            MovieLensLayout layout;
            try
            {
                layout = MovieLensLayout.Detect(Dataset, dir);
            }
            catch (DataFormatException e)
            {
                Log.LogMessage(MessageImportance.Low, $"AutoRec: skipping {Path.GetFullPath(dir)}, which does not hold a complete {Dataset}: {e.Message}");
                continue;
            }

            Use(layout, dir);
            Log.LogMessage(MessageImportance.Normal, $"AutoRec: using {Dataset} from {Path.GetFullPath(dir)}");
            return true;
        }

        return true;
    }

    private void Use(MovieLensLayout layout, string dir)
    {
        ResolvedDir = Path.GetFullPath(dir);
        RawFiles = layout.InputFiles.Select(f => (ITaskItem)new TaskItem(Path.GetFullPath(f))).ToArray();
        Format = layout.Format.ToString();
        HasUsers = layout.UsersFile is not null;
    }
}
