using AutoRec.Contracts;
using AutoRec.Data;
using BenchmarkDotNet.Attributes;

namespace AutoRec.Benchmarks;

/// <summary>
/// The data stage's work on ML-1M (or the dataset AUTOREC_DATASET names, in AUTOREC_DATASET_DIR), as the MSBuild
/// tasks do it: ConvertMovieLens (read and validate the raw files, write the Parquet files) and SplitRatings (read
/// ratings.parquet, split, write three files and split.json).
/// </summary>
[MemoryDiagnoser]
public class DataBenchmarks
{
    private string _source = "";
    private string _output = "";
    private MovieLensLayout _layout = null!;

    [GlobalSetup]
    public void Setup()
    {
        _source = BenchmarkData.Ml1mDirectory();
        _output = Path.Combine(Path.GetTempPath(), "autorec-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_output);
        _layout = MovieLensLayout.Detect(BenchmarkData.DatasetName(), _source);
        Convert();
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_output, recursive: true);

    [Benchmark(Description = "ConvertMovieLens (parse + validate + Parquet files)")]
    public void Convert()
    {
        MovieLensTables dataset = MovieLensReader.ReadTables(_layout);
        using var files = new AtomicFiles();
        ParquetTables.WriteRatings(files.Stage(Path.Combine(_output, "ratings.parquet")), dataset.Ratings, dataset.Scale);
        ParquetTables.WriteMovies(files.Stage(Path.Combine(_output, "movies.parquet")), dataset.Movies);
        if (dataset.Users.Count > 0)
        {
            ParquetTables.WriteUsers(files.Stage(Path.Combine(_output, "users.parquet")), dataset.Users);
        }

        files.Commit();
    }

    [Benchmark(Description = "SplitRatings (read + split + 3 Parquet files + split.json)")]
    public void Split()
    {
        RatingColumns ratings = ParquetTables.ReadRatingColumns(Path.Combine(_output, "ratings.parquet"), out RatingScale? scale);
        var options = new SplitOptions();
        RatingColumnSplit split = RatingSplitter.Split(ratings, options);
        using var files = new AtomicFiles();
        ParquetTables.WriteRatings(files.Stage(Path.Combine(_output, "train.parquet")), split.Train, scale);
        ParquetTables.WriteRatings(files.Stage(Path.Combine(_output, "validation.parquet")), split.Validation, scale);
        ParquetTables.WriteRatings(files.Stage(Path.Combine(_output, "test.parquet")), split.Test, scale);
        File.WriteAllText(files.Stage(Path.Combine(_output, "split.json")), SplitSummary.ToJson(options, split));
        files.Commit();
    }
}
