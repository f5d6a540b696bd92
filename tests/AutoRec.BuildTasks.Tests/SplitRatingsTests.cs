using System.Text.Json;
using AutoRec.Data;
using Microsoft.Build.Framework;

namespace AutoRec.BuildTasks.Tests;

/// <summary>SplitRatings run directly on converted data: split files, same seed same bytes, located errors.</summary>
public sealed class SplitRatingsTests : DataTaskTestBase
{
    [Fact]
    public void TheDatasetsRatingScaleTravelsFromConvertThroughSplit()
    {
        string raw = Dir.SubDir("scale-raw");
        TinyDataset.Write(raw);
        string output = Dir.SubDir("scale-out");
        Assert.True(new ConvertMovieLens { BuildEngine = new FakeBuildEngine(), Dataset = "tiny", DatasetDir = raw, OutputDirectory = output }.Execute());
        Assert.True(new SplitRatings { BuildEngine = new FakeBuildEngine(), RatingsFile = Path.Combine(output, "ratings.parquet"), OutputDirectory = output }.Execute());
        foreach (string file in new[] { "ratings.parquet", "train.parquet", "validation.parquet", "test.parquet" })
        {
            Assert.Equal(RatingScale.WholeStars, AutoRec.Data.ParquetTables.ReadRatingScale(Path.Combine(output, file)));
        }
    }

    [Fact]
    public void SplitWritesTheSplitFiles()
    {
        TinyDataset.Write(Raw);
        Assert.True(Convert().Result);
        (bool ok, FakeBuildEngine engine, SplitRatings task) = Split();
        Assert.True(ok);
        Assert.Empty(engine.Errors);
        Assert.Equal(SplitOutputs.Select(f => Path.Combine(Out, f)).Order(), task.WrittenFiles.Select(i => i.ItemSpec).Order());

        Rating[] train = ParquetTables.ReadRatings(Path.Combine(Out, "train.parquet"));
        Rating[] validation = ParquetTables.ReadRatings(Path.Combine(Out, "validation.parquet"));
        Rating[] test = ParquetTables.ReadRatings(Path.Combine(Out, "test.parquet"));
        // 10 ratings a user: 1 test, round(0.9) = 1 validation, 8 train.
        Assert.Equal(TinyDataset.Users, test.Length);
        Assert.Equal(TinyDataset.Users, validation.Length);
        Assert.Equal(TinyDataset.Users * 8, train.Length);

        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(Path.Combine(Out, "split.json")));
        Assert.Equal(999613182, json.RootElement.GetProperty("seed").GetInt64());
        Assert.Equal(train.Length, json.RootElement.GetProperty("counts").GetProperty("train").GetInt32());
        Assert.Equal(TinyDataset.Users, json.RootElement.GetProperty("counts").GetProperty("users").GetInt32());
        Assert.Empty(Directory.GetFiles(Dir.Root, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void SplitWithTheSameSeedRewritesNothing()
    {
        TinyDataset.Write(Raw);
        Assert.True(Convert().Result);
        Assert.True(Split().Result);
        var longAgo = new DateTime(2022, 2, 3, 4, 5, 6, DateTimeKind.Utc);
        foreach (string file in Directory.GetFiles(Out))
        {
            File.SetLastWriteTimeUtc(file, longAgo);
        }

        Assert.True(Convert().Result);
        Assert.True(Split().Result);
        Assert.All(Directory.GetFiles(Out), file => Assert.Equal(longAgo, File.GetLastWriteTimeUtc(file)));
    }

    [Fact]
    public void SplitOfABadParquetFileLogsOneErrorAndKeepsTheOldFiles()
    {
        TinyDataset.Write(Raw);
        Assert.True(Convert().Result);
        Assert.True(Split().Result);
        string ratings = Path.Combine(Out, "ratings.parquet");
        string movies = Path.Combine(Out, "movies.parquet");
        File.Copy(movies, ratings, overwrite: true); // the wrong schema
        Dictionary<string, byte[]> before = Snapshot();

        (bool ok, FakeBuildEngine engine, SplitRatings task) = Split(seed: "7");

        Assert.False(ok);
        BuildErrorEventArgs error = Assert.Single(engine.Errors);
        Assert.Equal(DataErrorCodes.BadParquet, error.Code);
        Assert.Equal(ratings, error.File);
        Assert.Equal(0, error.LineNumber);
        Assert.Empty(task.WrittenFiles);
        AssertUnchanged(before);
    }

    [Fact]
    public void SplitOfAMissingRatingsFileIsAR1001()
    {
        Directory.CreateDirectory(Out);
        (bool ok, FakeBuildEngine engine, _) = Split(ratings: Path.Combine(Out, "nothing.parquet"));
        Assert.False(ok);
        Assert.Equal(DataErrorCodes.MissingFile, Assert.Single(engine.Errors).Code);
        Assert.Empty(Directory.GetFiles(Out));
    }

    [Theory]
    [InlineData("abc", "0.1", "0.1", "AR1101")]
    [InlineData("1.5", "0.1", "0.1", "AR1101")]
    [InlineData("1", "1", "0.1", "AR1102")]
    [InlineData("1", "-0.1", "0.1", "AR1102")]
    [InlineData("1", "0.1", "ten percent", "AR1102")]
    [InlineData("1", "0.1", "1.0", "AR1102")]
    [InlineData("1", "1e-9", "0.1", "AR1102")]
    public void SplitRejectsBadParameters(string seed, string test, string validation, string code)
    {
        TinyDataset.Write(Raw);
        Assert.True(Convert().Result);
        Dictionary<string, byte[]> before = Snapshot();
        (bool ok, FakeBuildEngine engine, _) = Split(seed, test, validation);
        Assert.False(ok);
        Assert.Equal(code, Assert.Single(engine.Errors).Code);
        AssertUnchanged(before);
    }

    [Fact]
    public void SplitIntoAFolderThatCannotBeCreatedIsAR1012AndKeepsTheOldFiles()
    {
        TinyDataset.Write(Raw);
        Assert.True(Convert().Result);
        Assert.True(Split().Result);
        Dictionary<string, byte[]> before = Snapshot();
        string blocker = Dir.Write("blocker", "a file, not a folder\n");

        var engine = new FakeBuildEngine();
        var task = new SplitRatings { BuildEngine = engine, RatingsFile = Path.Combine(Out, "ratings.parquet"), OutputDirectory = Path.Combine(blocker, "data"), Seed = "7" };
        Assert.False(task.Execute());
        BuildErrorEventArgs error = Assert.Single(engine.Errors);
        Assert.Equal("AR1012", error.Code);
        Assert.Equal(Path.Combine(blocker, "data", "train.parquet"), error.File);
        Assert.Empty(task.WrittenFiles);
        AssertUnchanged(before);
    }

    [Fact]
    public void SplitOfALockedRatingsFileIsAR1012NamingIt()
    {
        TinyDataset.Write(Raw);
        Assert.True(Convert().Result);
        Assert.True(Split().Result);
        string ratings = Path.Combine(Out, "ratings.parquet");
        Dictionary<string, byte[]> before = Snapshot();
        using (new FileStream(ratings, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
        {
            (bool ok, FakeBuildEngine engine, SplitRatings task) = Split(seed: "7");
            Assert.False(ok);
            BuildErrorEventArgs error = Assert.Single(engine.Errors);
            Assert.Equal("AR1012", error.Code);
            Assert.Equal(ratings, error.File);
            Assert.Empty(task.WrittenFiles);
        }

        AssertUnchanged(before);
    }
}
