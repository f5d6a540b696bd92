using System.Text.Json;
using AutoRec.Data;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace AutoRec.BuildTasks.Tests;

/// <summary>ConvertMovieLens, SplitRatings and ResolveMovieLensDataset run directly with a recording build engine.</summary>
public sealed class DataTaskTests : IDisposable
{
    private static readonly string[] ConvertOutputs = ["ratings.parquet", "movies.parquet", "users.parquet"];
    private static readonly string[] SplitOutputs = ["train.parquet", "validation.parquet", "test.parquet", "split.json"];

    private readonly TempDir _dir = new();
    private readonly string _raw;
    private readonly string _out;

    public DataTaskTests()
    {
        _raw = _dir.PathOf("raw");
        _out = _dir.PathOf("out");
    }

    public void Dispose() => _dir.Dispose();

    private (bool Result, FakeBuildEngine Engine, ConvertMovieLens Task) Convert(string dataset = "tiny")
    {
        var engine = new FakeBuildEngine();
        var task = new ConvertMovieLens { BuildEngine = engine, Dataset = dataset, DatasetDir = _raw, OutputDirectory = _out };
        return (task.Execute(), engine, task);
    }

    private (bool Result, FakeBuildEngine Engine, SplitRatings Task) Split(string seed = "999613182", string test = "0.1", string validation = "0.1", string? ratings = null)
    {
        var engine = new FakeBuildEngine();
        var task = new SplitRatings
        {
            BuildEngine = engine,
            RatingsFile = ratings ?? Path.Combine(_out, "ratings.parquet"),
            OutputDirectory = _out,
            Seed = seed,
            TestFraction = test,
            ValidationFraction = validation,
        };
        return (task.Execute(), engine, task);
    }

    private Dictionary<string, byte[]> Snapshot() =>
        Directory.GetFiles(_out).ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes);

    private void AssertUnchanged(Dictionary<string, byte[]> before)
    {
        Dictionary<string, byte[]> after = Snapshot();
        Assert.Equal(before.Keys.Order(), after.Keys.Order());
        foreach ((string name, byte[] bytes) in before)
        {
            Assert.True(bytes.AsSpan().SequenceEqual(after[name]), $"{name} changed");
        }

        Assert.Empty(Directory.GetFiles(_dir.Root, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void ConvertWritesParquetFiles()
    {
        TinyDataset.Write(_raw);
        (bool ok, FakeBuildEngine engine, ConvertMovieLens task) = Convert();
        Assert.True(ok);
        Assert.Empty(engine.Errors);
        Assert.Empty(engine.Warnings);
        Assert.Equal(ConvertOutputs.Select(f => Path.Combine(_out, f)).Order(), task.WrittenFiles.Select(i => i.ItemSpec).Order());
        Assert.Contains(engine.Messages, m => m.Importance == MessageImportance.High && m.Message!.Contains("converted tiny", StringComparison.Ordinal));

        Rating[] ratings = ParquetTables.ReadRatings(Path.Combine(_out, "ratings.parquet"));
        Assert.Equal(TinyDataset.Users * TinyDataset.RatingsPerUser, ratings.Length);
        Assert.Equal(TinyDataset.Users, ParquetTables.ReadUsers(Path.Combine(_out, "users.parquet")).Length);
        Movie[] movies = ParquetTables.ReadMovies(Path.Combine(_out, "movies.parquet"));
        Assert.Equal(TinyDataset.Movies + 1, movies.Length);
        Assert.Equal("Misérables, Les (1995)", movies[^1].Title);
        Assert.Empty(Directory.GetFiles(_dir.Root, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void ConvertWithoutUsersWritesNoUsersFile()
    {
        TinyDataset.Write(_raw);
        File.Delete(Path.Combine(_raw, "users.dat"));
        (bool ok, FakeBuildEngine engine, ConvertMovieLens task) = Convert();
        Assert.True(ok);
        Assert.Empty(engine.Errors);
        Assert.Equal(2, task.WrittenFiles.Length);
        Assert.False(File.Exists(Path.Combine(_out, "users.parquet")));
    }

    [Fact]
    public void ConvertOfADatasetWithoutUsersRemovesAnEarlierUsersFile()
    {
        TinyDataset.Write(_raw);
        Assert.True(Convert().Result);
        Assert.True(File.Exists(Path.Combine(_out, "users.parquet")));

        // The same output folder, now fed a release without users.dat (as when DatasetDir changes).
        File.Delete(Path.Combine(_raw, "users.dat"));
        (bool ok, FakeBuildEngine engine, ConvertMovieLens task) = Convert();
        Assert.True(ok);
        Assert.Empty(engine.Errors);
        Assert.Equal(2, task.WrittenFiles.Length);
        Assert.False(File.Exists(Path.Combine(_out, "users.parquet")), "a users.parquet from the earlier dataset was left beside the new ratings");
    }

    [Fact]
    public void TheDatasetsRatingScaleTravelsFromConvertThroughSplit()
    {
        string raw = _dir.SubDir("scale-raw");
        TinyDataset.Write(raw);
        string output = _dir.SubDir("scale-out");
        Assert.True(new ConvertMovieLens { BuildEngine = new FakeBuildEngine(), Dataset = "tiny", DatasetDir = raw, OutputDirectory = output }.Execute());
        Assert.True(new SplitRatings { BuildEngine = new FakeBuildEngine(), RatingsFile = Path.Combine(output, "ratings.parquet"), OutputDirectory = output }.Execute());
        foreach (string file in new[] { "ratings.parquet", "train.parquet", "validation.parquet", "test.parquet" })
        {
            Assert.Equal(AutoRec.Data.RatingScale.WholeStars, AutoRec.Data.ParquetTables.ReadRatingScale(Path.Combine(output, file)));
        }
    }

    [Fact]
    public void SplitWritesTheSplitFiles()
    {
        TinyDataset.Write(_raw);
        Assert.True(Convert().Result);
        (bool ok, FakeBuildEngine engine, SplitRatings task) = Split();
        Assert.True(ok);
        Assert.Empty(engine.Errors);
        Assert.Equal(SplitOutputs.Select(f => Path.Combine(_out, f)).Order(), task.WrittenFiles.Select(i => i.ItemSpec).Order());

        Rating[] train = ParquetTables.ReadRatings(Path.Combine(_out, "train.parquet"));
        Rating[] validation = ParquetTables.ReadRatings(Path.Combine(_out, "validation.parquet"));
        Rating[] test = ParquetTables.ReadRatings(Path.Combine(_out, "test.parquet"));
        // 10 ratings a user: 1 test, round(0.9) = 1 validation, 8 train.
        Assert.Equal(TinyDataset.Users, test.Length);
        Assert.Equal(TinyDataset.Users, validation.Length);
        Assert.Equal(TinyDataset.Users * 8, train.Length);

        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_out, "split.json")));
        Assert.Equal(999613182, json.RootElement.GetProperty("seed").GetInt64());
        Assert.Equal(train.Length, json.RootElement.GetProperty("counts").GetProperty("train").GetInt32());
        Assert.Equal(TinyDataset.Users, json.RootElement.GetProperty("counts").GetProperty("users").GetInt32());
        Assert.Empty(Directory.GetFiles(_dir.Root, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void SplitWithTheSameSeedRewritesNothing()
    {
        TinyDataset.Write(_raw);
        Assert.True(Convert().Result);
        Assert.True(Split().Result);
        var longAgo = new DateTime(2022, 2, 3, 4, 5, 6, DateTimeKind.Utc);
        foreach (string file in Directory.GetFiles(_out))
        {
            File.SetLastWriteTimeUtc(file, longAgo);
        }

        Assert.True(Convert().Result);
        Assert.True(Split().Result);
        Assert.All(Directory.GetFiles(_out), file => Assert.Equal(longAgo, File.GetLastWriteTimeUtc(file)));
    }

    /// <summary>Code, 1-based line of ratings.dat to replace, and the bad line put there.</summary>
    public static TheoryData<string, int, string> BadRatings => new()
    {
        { DataErrorCodes.DuplicatePair, 57, "2::18::3::978399999" }, // line 12 is 2::18 (see TinyDataset)
        { DataErrorCodes.FieldCount, 33, "4::5::3" },
        { DataErrorCodes.BadId, 10, "1::x::3::978300000" },
        { DataErrorCodes.BadId, 1, "0::1::3::978300000" },
        { DataErrorCodes.BadRating, 100, "10::5::6::978300000" },
        { DataErrorCodes.BadRating, 101, "11::5::4.5::978300000" },
        { DataErrorCodes.BadField, 6, "1::99::3::yesterday" },
    };

    [Theory]
    [MemberData(nameof(BadRatings))]
    public void ConvertOfBadRatingsLogsOneErrorAndKeepsTheOldFiles(string code, int line, string badLine)
    {
        TinyDataset.Write(_raw);
        Assert.True(Convert().Result);
        Assert.True(Split().Result);
        Dictionary<string, byte[]> before = Snapshot();
        Assert.Equal(7, before.Count);

        List<string> lines = TinyDataset.RatingLines();
        lines[line - 1] = badLine;
        TinyDataset.Write(_raw, lines);
        (bool ok, FakeBuildEngine engine, ConvertMovieLens task) = Convert();

        Assert.False(ok);
        BuildErrorEventArgs error = Assert.Single(engine.Errors);
        Assert.Equal(code, error.Code);
        Assert.Equal(Path.Combine(_raw, "ratings.dat"), error.File);
        Assert.Equal(line, error.LineNumber);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
        Assert.DoesNotContain(error.File, error.Message!, StringComparison.Ordinal); // the location is in File/LineNumber, not repeated
        if (code == DataErrorCodes.DuplicatePair)
        {
            Assert.Contains("first on line 12", error.Message, StringComparison.Ordinal);
        }

        Assert.Empty(task.WrittenFiles);
        AssertUnchanged(before);
    }

    [Fact]
    public void ConvertOfATruncatedLastLineReportsIt()
    {
        TinyDataset.Write(_raw);
        Assert.True(Convert().Result);
        Dictionary<string, byte[]> before = Snapshot();

        string ratings = Path.Combine(_raw, "ratings.dat");
        File.WriteAllText(ratings, string.Join("\n", TinyDataset.RatingLines()) + "\n3::5::");
        (bool ok, FakeBuildEngine engine, _) = Convert();

        Assert.False(ok);
        BuildErrorEventArgs error = Assert.Single(engine.Errors);
        Assert.Equal(DataErrorCodes.FieldCount, error.Code);
        Assert.Equal(ratings, error.File);
        Assert.Equal((TinyDataset.Users * TinyDataset.RatingsPerUser) + 1, error.LineNumber);
        AssertUnchanged(before);
    }

    [Fact]
    public void ConvertOfABadMoviesFileKeepsTheOldFiles()
    {
        TinyDataset.Write(_raw);
        Assert.True(Convert().Result);
        Dictionary<string, byte[]> before = Snapshot();

        string movies = Path.Combine(_raw, "movies.dat");
        File.AppendAllText(movies, "5::Duplicate id (1999)::Drama\n");
        (bool ok, FakeBuildEngine engine, _) = Convert();

        Assert.False(ok);
        BuildErrorEventArgs error = Assert.Single(engine.Errors);
        Assert.Equal(DataErrorCodes.BadId, error.Code);
        Assert.Equal(movies, error.File);
        Assert.Equal(TinyDataset.Movies + 2, error.LineNumber);
        AssertUnchanged(before);
    }

    [Fact]
    public void ConvertOfAMissingFileIsAR1001WithoutALine()
    {
        TinyDataset.Write(_raw);
        Assert.True(Convert().Result);
        Dictionary<string, byte[]> before = Snapshot();

        File.Delete(Path.Combine(_raw, "movies.dat"));
        (bool ok, FakeBuildEngine engine, _) = Convert();

        Assert.False(ok);
        BuildErrorEventArgs error = Assert.Single(engine.Errors);
        Assert.Equal(DataErrorCodes.MissingFile, error.Code);
        Assert.Equal(Path.Combine(_raw, "movies.dat"), error.File);
        Assert.Equal(0, error.LineNumber);
        AssertUnchanged(before);
    }

    [Fact]
    public void ConvertOfAFolderWithoutMovieLensFilesIsAR1008()
    {
        Directory.CreateDirectory(_raw);
        File.WriteAllText(Path.Combine(_raw, "notes.txt"), "nothing here\n");
        (bool ok, FakeBuildEngine engine, _) = Convert();
        Assert.False(ok);
        Assert.Equal(DataErrorCodes.UnknownFormat, Assert.Single(engine.Errors).Code);
        Assert.False(Directory.Exists(_out) && Directory.EnumerateFileSystemEntries(_out).Any());
    }

    [Fact]
    public void SplitOfABadParquetFileLogsOneErrorAndKeepsTheOldFiles()
    {
        TinyDataset.Write(_raw);
        Assert.True(Convert().Result);
        Assert.True(Split().Result);
        string ratings = Path.Combine(_out, "ratings.parquet");
        string movies = Path.Combine(_out, "movies.parquet");
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
        Directory.CreateDirectory(_out);
        (bool ok, FakeBuildEngine engine, _) = Split(ratings: Path.Combine(_out, "nothing.parquet"));
        Assert.False(ok);
        Assert.Equal(DataErrorCodes.MissingFile, Assert.Single(engine.Errors).Code);
        Assert.Empty(Directory.GetFiles(_out));
    }

    [Theory]
    [InlineData("abc", "0.1", "0.1", "AR1101")]
    [InlineData("1.5", "0.1", "0.1", "AR1101")]
    [InlineData("1", "1", "0.1", "AR1102")]
    [InlineData("1", "-0.1", "0.1", "AR1102")]
    [InlineData("1", "0.1", "ten percent", "AR1102")]
    [InlineData("1", "0.1", "1.0", "AR1102")]
    public void SplitRejectsBadParameters(string seed, string test, string validation, string code)
    {
        TinyDataset.Write(_raw);
        Assert.True(Convert().Result);
        Dictionary<string, byte[]> before = Snapshot();
        (bool ok, FakeBuildEngine engine, _) = Split(seed, test, validation);
        Assert.False(ok);
        Assert.Equal(code, Assert.Single(engine.Errors).Code);
        AssertUnchanged(before);
    }

    [Fact]
    public void ConvertIntoAFolderThatCannotBeCreatedIsAR1012()
    {
        TinyDataset.Write(_raw);
        string blocker = _dir.Write("blocker", "a file, not a folder\n");
        var engine = new FakeBuildEngine();
        var task = new ConvertMovieLens { BuildEngine = engine, Dataset = "tiny", DatasetDir = _raw, OutputDirectory = Path.Combine(blocker, "data") };
        Assert.False(task.Execute());
        BuildErrorEventArgs error = Assert.Single(engine.Errors);
        Assert.Equal("AR1012", error.Code);
        string ratings = Path.Combine(blocker, "data", "ratings.parquet");
        Assert.Equal(ratings, error.File);
        Assert.StartsWith($"cannot read or write {ratings}: ", error.Message, StringComparison.Ordinal);
        Assert.Empty(task.WrittenFiles);
        Assert.Empty(Directory.GetFiles(_dir.Root, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void ConvertOfALockedRawFileIsAR1012AndKeepsTheOldFiles()
    {
        TinyDataset.Write(_raw);
        Assert.True(Convert().Result);
        Dictionary<string, byte[]> before = Snapshot();

        // .NET locks a file opened with FileShare.None against other opens, in this process too (flock on Unix).
        string movies = Path.Combine(_raw, "movies.dat");
        using (new FileStream(movies, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
        {
            (bool ok, FakeBuildEngine engine, ConvertMovieLens task) = Convert();
            Assert.False(ok);
            BuildErrorEventArgs error = Assert.Single(engine.Errors);
            Assert.Equal("AR1012", error.Code);
            Assert.Contains(movies, error.Message, StringComparison.Ordinal);
            Assert.Empty(task.WrittenFiles);
        }

        AssertUnchanged(before);
    }

    [Fact]
    public void SplitIntoAFolderThatCannotBeCreatedIsAR1012AndKeepsTheOldFiles()
    {
        TinyDataset.Write(_raw);
        Assert.True(Convert().Result);
        Assert.True(Split().Result);
        Dictionary<string, byte[]> before = Snapshot();
        string blocker = _dir.Write("blocker", "a file, not a folder\n");

        var engine = new FakeBuildEngine();
        var task = new SplitRatings { BuildEngine = engine, RatingsFile = Path.Combine(_out, "ratings.parquet"), OutputDirectory = Path.Combine(blocker, "data"), Seed = "7" };
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
        TinyDataset.Write(_raw);
        Assert.True(Convert().Result);
        Assert.True(Split().Result);
        string ratings = Path.Combine(_out, "ratings.parquet");
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

    [Fact]
    public void ResolveFindsTheGivenFolder()
    {
        TinyDataset.Write(_raw);
        var engine = new FakeBuildEngine();
        var task = new ResolveMovieLensDataset { BuildEngine = engine, Dataset = "tiny", DatasetDir = _raw };
        Assert.True(task.Execute());
        Assert.Empty(engine.Errors);
        Assert.Equal(_raw, task.ResolvedDir);
        Assert.Equal("DoubleColon", task.Format);
        Assert.True(task.HasUsers);
        Assert.Equal(
            [Path.Combine(_raw, "movies.dat"), Path.Combine(_raw, "ratings.dat"), Path.Combine(_raw, "users.dat")],
            task.RawFiles.Select(i => i.ItemSpec).Order());
    }

    [Fact]
    public void ResolveSearchesInOrderAndSkipsEmptyFolders()
    {
        string empty = _dir.PathOf("empty");
        Directory.CreateDirectory(empty);
        TinyDataset.Write(_raw);
        var engine = new FakeBuildEngine();
        var task = new ResolveMovieLensDataset
        {
            BuildEngine = engine,
            Dataset = "tiny",
            SearchDirectories = [new TaskItem(_dir.PathOf("absent")), new TaskItem(empty), new TaskItem(_raw)],
        };
        Assert.True(task.Execute());
        Assert.Equal(_raw, task.ResolvedDir);
    }

    [Fact]
    public void ResolveSkipsASearchedFolderWithoutACompleteDatasetAndGoesOn()
    {
        // An interrupted copy: ratings.dat but no movies.dat.
        string partial = _dir.PathOf("partial");
        TinyDataset.Write(partial);
        File.Delete(Path.Combine(partial, "movies.dat"));
        // A folder with no MovieLens files at all.
        string other = _dir.SubDir("other");
        File.WriteAllText(Path.Combine(other, "notes.txt"), "nothing here\n");
        TinyDataset.Write(_raw);

        var engine = new FakeBuildEngine();
        var task = new ResolveMovieLensDataset
        {
            BuildEngine = engine,
            Dataset = "tiny",
            SearchDirectories = [new TaskItem(partial), new TaskItem(other), new TaskItem(_raw)],
        };
        Assert.True(task.Execute());
        Assert.Empty(engine.Errors);
        Assert.Empty(engine.Warnings);
        Assert.Equal(_raw, task.ResolvedDir);
        Assert.True(task.HasUsers);
        BuildMessageEventArgs skipped = Assert.Single(engine.Messages, m => m.Message!.Contains(partial, StringComparison.Ordinal));
        Assert.Equal(MessageImportance.Low, skipped.Importance);
        Assert.Contains("movies.dat", skipped.Message, StringComparison.Ordinal);
        Assert.Equal(MessageImportance.Low, Assert.Single(engine.Messages, m => m.Message!.Contains(other, StringComparison.Ordinal)).Importance);
    }

    [Fact]
    public void ResolveFindingOnlyIncompleteFoldersFindsNothingSoTheBuildCanDownload()
    {
        string partial = _dir.PathOf("ml-1m");
        TinyDataset.Write(partial);
        File.Delete(Path.Combine(partial, "users.dat")); // optional
        File.Delete(Path.Combine(partial, "movies.dat")); // required

        var engine = new FakeBuildEngine();
        var task = new ResolveMovieLensDataset { BuildEngine = engine, Dataset = "ml-1m", SearchDirectories = [new TaskItem(partial), new TaskItem(_dir.PathOf("absent"))] };
        Assert.True(task.Execute());
        Assert.Empty(engine.Errors);
        Assert.Equal("", task.ResolvedDir);
        Assert.Empty(task.RawFiles);
        Assert.Contains(engine.Messages, m => m.Importance == MessageImportance.Low && m.Message!.Contains("skipping", StringComparison.Ordinal));
    }

    [Fact]
    public void ResolveOfAGivenIncompleteFolderIsStillALocatedError()
    {
        TinyDataset.Write(_raw);
        File.Delete(Path.Combine(_raw, "movies.dat"));
        TinyDataset.Write(_dir.PathOf("complete"));

        var engine = new FakeBuildEngine();
        var task = new ResolveMovieLensDataset
        {
            BuildEngine = engine,
            Dataset = "tiny",
            DatasetDir = _raw,
            SearchDirectories = [new TaskItem(_dir.PathOf("complete"))], // never searched when a folder is given
        };
        Assert.False(task.Execute());
        BuildErrorEventArgs error = Assert.Single(engine.Errors);
        Assert.Equal(DataErrorCodes.MissingFile, error.Code);
        Assert.Equal(Path.Combine(_raw, "movies.dat"), error.File);
        Assert.Equal("", task.ResolvedDir);
    }

    [Fact]
    public void ResolveFindingNothingIsNotAnError()
    {
        var engine = new FakeBuildEngine();
        var task = new ResolveMovieLensDataset { BuildEngine = engine, Dataset = "ml-1m", SearchDirectories = [new TaskItem(_dir.PathOf("absent"))] };
        Assert.True(task.Execute());
        Assert.Empty(engine.Errors);
        Assert.Equal("", task.ResolvedDir);
        Assert.Empty(task.RawFiles);
    }

    [Fact]
    public void ResolveOfAGivenFolderWithoutTheFilesIsAnError()
    {
        Directory.CreateDirectory(_raw);
        var engine = new FakeBuildEngine();
        var task = new ResolveMovieLensDataset { BuildEngine = engine, Dataset = "ml-1m", DatasetDir = _raw };
        Assert.False(task.Execute());
        BuildErrorEventArgs error = Assert.Single(engine.Errors);
        Assert.Equal(DataErrorCodes.MissingFile, error.Code);
        Assert.Equal(Path.Combine(_raw, "ratings.dat"), error.File);
    }
}
