using System.Diagnostics;
using System.Globalization;
using System.Runtime.ExceptionServices;
using AutoRec.Contracts;
using AutoRec.Data;
using Microsoft.Build.Framework;

namespace AutoRec.BuildTasks;

/// <summary>
/// Splits <c>ratings.parquet</c> per user into train, validation and test Parquet files and writes
/// <c>split.json</c> (seed, fractions, counts). The four files replace earlier ones together or not at all.
/// </summary>
public sealed class SplitRatings : DataTask
{
    /// <summary>The ratings file written by <see cref="ConvertMovieLens"/>.</summary>
    [Required]
    public string RatingsFile { get; set; } = "";

    /// <summary>Where the split files go.</summary>
    [Required]
    public string OutputDirectory { get; set; } = "";

    /// <summary>The split seed (an integer).</summary>
    public string Seed { get; set; } = SplitOptions.DefaultSeed.ToString(CultureInfo.InvariantCulture);

    /// <summary>The share of each user's ratings held out for testing.</summary>
    public string TestFraction { get; set; } = "0.1";

    /// <summary>The share of each user's remaining ratings held out for validation.</summary>
    public string ValidationFraction { get; set; } = "0.1";

    /// <summary>The files written.</summary>
    [Output]
    public ITaskItem[] WrittenFiles { get; private set; } = [];

    /// <inheritdoc />
    protected override bool Run()
    {
        if (!long.TryParse(Seed, NumberStyles.Integer, CultureInfo.InvariantCulture, out long seed))
        {
            Log.LogCodedError("AR1101", null, $"SplitSeed '{Seed}' is not an integer");
            return false;
        }

        if (!TryFraction(TestFraction, "SplitTestFraction", out double test) || !TryFraction(ValidationFraction, "SplitValidationFraction", out double validation))
        {
            return false;
        }

        var clock = Stopwatch.StartNew();
        CurrentPath = RatingsFile;
        var options = new SplitOptions(seed, test, validation);
        RatingColumns ratings = ParquetTables.ReadRatingColumns(RatingsFile, out RatingScale? scale); // the scale goes to the parts, for training
        RatingColumnSplit split = RatingSplitter.Split(ratings, options);
        if (test > 0 && split.Test.Count == 0)
        {
            // Caught here, in seconds, rather than as a test RMSE of NaN after training.
            Log.LogCodedError(
                "AR1102", null,
                $"SplitTestFraction '{TestFraction}' holds out no rating of the {ratings.Count:N0}: the validate stage would have nothing to score; use a larger fraction");
            return false;
        }

        using var files = new AtomicFiles();
        var finalPaths = new Dictionary<string, string>(); // staged -> final, to name a file that failed
        string Target(string name)
        {
            string staged = Stage(files, OutputDirectory, name);
            finalPaths[staged] = CurrentPath!;
            return staged;
        }

        // Parquet.Net encodes and compresses a file on one thread: train on one, the rest beside it.
        string trainFile = Target("train.parquet");
        string validationFile = Target("validation.parquet");
        string testFile = Target("test.parquet");
        string summaryFile = Target("split.json");
        if (WriteInParallel(
            [
                [(trainFile, () => ParquetTables.WriteRatings(trainFile, split.Train, scale))],
                [
                    (validationFile, () => ParquetTables.WriteRatings(validationFile, split.Validation, scale)),
                    (testFile, () => ParquetTables.WriteRatings(testFile, split.Test, scale)),
                    (summaryFile, () => File.WriteAllText(summaryFile, SplitSummary.ToJson(options, split))),
                ],
            ]) is { } failure)
        {
            CurrentPath = finalPaths[failure.Staged];
            ExceptionDispatchInfo.Capture(failure.Error).Throw();
        }

        WrittenFiles = Commit(files, OutputDirectory);
        Log.LogMessage(
            MessageImportance.High,
            $"AutoRec: split {ratings.Count:N0} ratings (seed {seed}): train {split.Train.Count:N0}, " +
            $"validation {split.Validation.Count:N0}, test {split.Test.Count:N0} in {clock.Elapsed.TotalSeconds:F2} s");
        return true;
    }

    /// <summary>Runs each lane's writes in order on its own thread; returns the first failure (in lane order) and the file it was writing, if any.</summary>
    private static (string Staged, Exception Error)? WriteInParallel(IReadOnlyList<IReadOnlyList<(string Staged, Action Write)>> lanes)
    {
        var failures = new (string Staged, Exception Error)?[lanes.Count];
        Parallel.For(0, lanes.Count, lane =>
        {
            foreach ((string file, Action write) in lanes[lane])
            {
                try
                {
                    write();
                }
                catch (Exception e) when (e is DataFormatException || TaskLogging.IsFileSystemError(e))
                {
                    failures[lane] = (file, e);
                    return;
                }
            }
        });

        return failures.FirstOrDefault(f => f is not null);
    }

    private bool TryFraction(string text, string property, out double value)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && value >= 0 && value < 1)
        {
            return true;
        }

        Log.LogCodedError("AR1102", null, $"{property} '{text}' is not a number in [0, 1)");
        return false;
    }
}
