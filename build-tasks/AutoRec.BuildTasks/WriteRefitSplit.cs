using System.Diagnostics;
using AutoRec.Contracts;
using AutoRec.Data;
using Microsoft.Build.Framework;

namespace AutoRec.BuildTasks;

/// <summary>
/// The data a refit (protocol B) trains and is scored on, from protocol A's split: <c>train.parquet</c> holds A's
/// train + validation ratings, <c>validation.parquet</c> none, and <c>test.parquet</c>, <c>movies.parquet</c> (and
/// <c>users.parquet</c>) are A's. Every later stage, the service included, then reads the refit's inputs from the
/// usual file names. The files replace earlier ones together or not at all.
/// </summary>
public sealed class WriteRefitSplit : DataTask
{
    /// <summary>Protocol A's data folder (the split stage's output).</summary>
    [Required]
    public string SourceDirectory { get; set; } = "";

    /// <summary>Where the refit's data files go.</summary>
    [Required]
    public string OutputDirectory { get; set; } = "";

    /// <summary>The files written.</summary>
    [Output]
    public ITaskItem[] WrittenFiles { get; private set; } = [];

    /// <inheritdoc />
    protected override bool Run()
    {
        var clock = Stopwatch.StartNew();
        CurrentPath = SourceDirectory;
        string Source(string name) => CurrentPath = Path.GetFullPath(Path.Combine(SourceDirectory, name));
        Rating[] train = ParquetTables.ReadRatings(Source("train.parquet"), out RatingScale? scale);
        Rating[] validation = ParquetTables.ReadRatings(Source("validation.parquet"));
        SplitSummary summary = SplitSummary.Read(Source("split.json")).ForRefit();
        Rating[] merged = RatingSplitter.SortByUserThenMovie([.. train, .. validation]);

        using var files = new AtomicFiles();
        string Target(string name) => Stage(files, OutputDirectory, name);

        ParquetTables.WriteRatings(Target("train.parquet"), merged, scale);
        ParquetTables.WriteRatings(Target("validation.parquet"), ReadOnlySpan<Rating>.Empty, scale);
        File.WriteAllText(Target("split.json"), summary.ToJson());
        foreach (string name in (string[])["test.parquet", "movies.parquet", "users.parquet"])
        {
            // users.parquet exists for the datasets that have user side information (ML-1M, ML-100K) only.
            string from = Source(name);
            if (name != "users.parquet" || File.Exists(from))
            {
                File.Copy(from, Target(name), overwrite: true);
            }
        }

        WrittenFiles = Commit(files, OutputDirectory);
        Log.LogMessage(
            MessageImportance.High,
            $"AutoRec: refit data: train {train.Length:N0} + validation {validation.Length:N0} = {merged.Length:N0} training ratings, " +
            $"test as protocol A's ({clock.Elapsed.TotalSeconds:F2} s)");
        return true;
    }
}
