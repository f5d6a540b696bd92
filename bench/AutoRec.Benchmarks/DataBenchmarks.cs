using AutoRec.Contracts;
using AutoRec.Data;
using BenchmarkDotNet.Attributes;

namespace AutoRec.Benchmarks;

/// <summary>
/// The data stage's work on ML-1M, as the MSBuild tasks do it: ConvertMovieLens (read and validate the three
/// .dat files, write three Parquet files) and SplitRatings (read ratings.parquet, split, write three files).
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
        _layout = MovieLensLayout.Detect("ml-1m", _source);
        Convert();
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_output, recursive: true);

    [Benchmark(Description = "ConvertMovieLens ml-1m (parse + validate + 3 Parquet files)")]
    public void Convert()
    {
        MovieLensDataset dataset = MovieLensReader.Read(_layout);
        using var files = new AtomicFiles();
        ParquetTables.WriteRatings(files.Stage(Path.Combine(_output, "ratings.parquet")), dataset.Ratings);
        ParquetTables.WriteMovies(files.Stage(Path.Combine(_output, "movies.parquet")), dataset.Movies);
        ParquetTables.WriteUsers(files.Stage(Path.Combine(_output, "users.parquet")), dataset.Users);
        files.Commit();
    }

    [Benchmark(Description = "SplitRatings ml-1m (read + split + 3 Parquet files + split.json)")]
    public void Split()
    {
        Rating[] ratings = ParquetTables.ReadRatings(Path.Combine(_output, "ratings.parquet"));
        var options = new SplitOptions();
        RatingSplit split = RatingSplitter.Split(ratings, options);
        using var files = new AtomicFiles();
        ParquetTables.WriteRatings(files.Stage(Path.Combine(_output, "train.parquet")), split.Train);
        ParquetTables.WriteRatings(files.Stage(Path.Combine(_output, "validation.parquet")), split.Validation);
        ParquetTables.WriteRatings(files.Stage(Path.Combine(_output, "test.parquet")), split.Test);
        File.WriteAllText(files.Stage(Path.Combine(_output, "split.json")), SplitSummary.ToJson(options, split));
        files.Commit();
    }
}
