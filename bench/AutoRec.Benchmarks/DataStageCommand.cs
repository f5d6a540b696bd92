using System.Diagnostics;
using System.Globalization;
using AutoRec.Contracts;
using AutoRec.Data;
using AutoRec.Training.Reporting;
using static AutoRec.Benchmarks.CommandOptions;

namespace AutoRec.Benchmarks;

/// <summary>
/// <c>autorec-bench data-stage --dataset NAME --dir DIR [--out DIR]</c>: the data stage once, as the MSBuild tasks
/// run it (convert, then split, with the same library calls and atomic writes), timing each step and reporting peak
/// resident memory. One cold run in a fresh process, like the build's task host, where BenchmarkDotNet (the
/// <c>data</c> command) measures warm iterations.
/// </summary>
internal static class DataStageCommand
{
    public static int Run(string[] args, TextWriter output)
    {
        string dataset = Option(args, "--dataset") ?? "ml-1m";
        string? directory = Option(args, "--dir");
        if (directory is null)
        {
            Console.Error.WriteLine("usage: autorec-bench data-stage --dataset NAME --dir DIR [--out DIR]");
            return 2;
        }

        string outDir = Option(args, "--out") ?? Path.Combine(Path.GetTempPath(), "autorec-data-stage-" + dataset);
        var steps = new Steps(output);

        MovieLensTables tables = MovieLensReader.ReadTables(MovieLensLayout.Detect(dataset, directory));
        steps.Done($"read and validate {tables.Ratings.Count:N0} ratings, {tables.Movies.Count:N0} movies, {tables.Users.Count:N0} users");
        using (var files = new AtomicFiles())
        {
            ParquetTables.WriteRatings(files.Stage(Path.Combine(outDir, "ratings.parquet")), tables.Ratings, tables.Scale);
            steps.Done("write ratings.parquet");
            ParquetTables.WriteMovies(files.Stage(Path.Combine(outDir, "movies.parquet")), tables.Movies);
            if (tables.Users.Count > 0)
            {
                ParquetTables.WriteUsers(files.Stage(Path.Combine(outDir, "users.parquet")), tables.Users);
            }

            files.Commit();
            steps.Done("write movies.parquet (and users.parquet), commit");
        }

        tables = null!;
        steps.Stage("convert");

        RatingColumns ratings = ParquetTables.ReadRatingColumns(Path.Combine(outDir, "ratings.parquet"), out RatingScale? scale);
        steps.Done("read ratings.parquet");
        var options = new SplitOptions();
        RatingColumnSplit split = RatingSplitter.Split(ratings, options);
        steps.Done("split");
        using (var files = new AtomicFiles())
        {
            ParquetTables.WriteRatings(files.Stage(Path.Combine(outDir, "train.parquet")), split.Train, scale);
            ParquetTables.WriteRatings(files.Stage(Path.Combine(outDir, "validation.parquet")), split.Validation, scale);
            ParquetTables.WriteRatings(files.Stage(Path.Combine(outDir, "test.parquet")), split.Test, scale);
            steps.Done("write train, validation, test.parquet");
            File.WriteAllText(files.Stage(Path.Combine(outDir, "split.json")), SplitSummary.ToJson(options, split));
            files.Commit();
            steps.Done("split.json, commit");
        }

        steps.Stage("split");
        output.WriteLine($"outputs in {outDir}");
        return 0;
    }

    private sealed class Steps(TextWriter output)
    {
        private readonly Stopwatch _step = Stopwatch.StartNew();
        private readonly Stopwatch _stage = Stopwatch.StartNew();

        public void Done(string what)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {_step.Elapsed.TotalSeconds,6:F2} s  {what}"));
            _step.Restart();
        }

        public void Stage(string name)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: {_stage.Elapsed.TotalSeconds:F2} s, peak resident memory so far {ProcessMemory.PeakMb():N0} MB"));
            _stage.Restart();
            _step.Restart();
        }
    }
}
