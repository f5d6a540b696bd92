using System.Diagnostics;
using AutoRec.Data;
using Microsoft.Build.Framework;

namespace AutoRec.BuildTasks;

/// <summary>
/// Converts a MovieLens release to <c>ratings.parquet</c>, <c>movies.parquet</c> and, where the release has
/// users, <c>users.parquet</c>. Everything is read and validated before anything is written, and the files
/// replace earlier ones together or not at all.
/// </summary>
public sealed class ConvertMovieLens : DataTask
{
    /// <summary>The dataset name, e.g. <c>ml-1m</c>.</summary>
    [Required]
    public string Dataset { get; set; } = "";

    /// <summary>The folder that holds the raw files.</summary>
    [Required]
    public string DatasetDir { get; set; } = "";

    /// <summary>Where the Parquet files go.</summary>
    [Required]
    public string OutputDirectory { get; set; } = "";

    /// <summary>The files written.</summary>
    [Output]
    public ITaskItem[] WrittenFiles { get; private set; } = [];

    /// <inheritdoc />
    protected override bool Run()
    {
        var clock = Stopwatch.StartNew();
        CurrentPath = DatasetDir;
        MovieLensTables dataset = MovieLensReader.ReadTables(MovieLensLayout.Detect(Dataset, DatasetDir));
        using var files = new AtomicFiles();
        string Target(string name) => Stage(files, OutputDirectory, name);

        ParquetTables.WriteRatings(Target("ratings.parquet"), dataset.Ratings, dataset.Scale);
        ParquetTables.WriteMovies(Target("movies.parquet"), dataset.Movies);
        if (dataset.Users.Count > 0)
        {
            ParquetTables.WriteUsers(Target("users.parquet"), dataset.Users);
        }

        WrittenFiles = Commit(files, OutputDirectory);

        // A users.parquet left by an earlier conversion into this folder (say, of another DatasetDir) would be
        // read as this dataset's users.
        string staleUsers = Path.GetFullPath(Path.Combine(OutputDirectory, "users.parquet"));
        if (dataset.Users.Count == 0 && File.Exists(staleUsers))
        {
            CurrentPath = staleUsers;
            File.Delete(staleUsers);
            Log.LogMessage(MessageImportance.Normal, $"AutoRec: {Dataset} has no users; deleted the earlier {staleUsers}");
        }

        Log.LogMessage(
            MessageImportance.High,
            $"AutoRec: converted {Dataset}: {dataset.Ratings.Count:N0} ratings, {dataset.Users.Count:N0} users, " +
            $"{dataset.Movies.Count:N0} movies in {clock.Elapsed.TotalSeconds:F2} s -> {Path.GetFullPath(OutputDirectory)}");
        return true;
    }
}
