using AutoRec.Data;
using Microsoft.Build.Framework;

namespace AutoRec.BuildTasks.Tests;

/// <summary>ConvertMovieLens run directly: Parquet outputs, located errors, old files kept on failure.</summary>
public sealed class ConvertMovieLensTests : DataTaskTestBase
{
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

    [Fact]
    public void ConvertWritesParquetFiles()
    {
        TinyDataset.Write(Raw);
        (bool ok, FakeBuildEngine engine, ConvertMovieLens task) = Convert();
        Assert.True(ok);
        Assert.Empty(engine.Errors);
        Assert.Empty(engine.Warnings);
        Assert.Equal(ConvertOutputs.Select(f => Path.Combine(Out, f)).Order(), task.WrittenFiles.Select(i => i.ItemSpec).Order());
        Assert.Contains(engine.Messages, m => m.Importance == MessageImportance.High && m.Message!.Contains("converted tiny", StringComparison.Ordinal));

        Rating[] ratings = ParquetTables.ReadRatings(Path.Combine(Out, "ratings.parquet"));
        Assert.Equal(TinyDataset.Users * TinyDataset.RatingsPerUser, ratings.Length);
        Assert.Equal(TinyDataset.Users, ParquetTables.ReadUsers(Path.Combine(Out, "users.parquet")).Length);
        Movie[] movies = ParquetTables.ReadMovies(Path.Combine(Out, "movies.parquet"));
        Assert.Equal(TinyDataset.Movies + 1, movies.Length);
        Assert.Equal("Misérables, Les (1995)", movies[^1].Title);
        Assert.Empty(Directory.GetFiles(Dir.Root, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void ConvertWithoutUsersWritesNoUsersFile()
    {
        TinyDataset.Write(Raw);
        File.Delete(Path.Combine(Raw, "users.dat"));
        (bool ok, FakeBuildEngine engine, ConvertMovieLens task) = Convert();
        Assert.True(ok);
        Assert.Empty(engine.Errors);
        Assert.Equal(2, task.WrittenFiles.Length);
        Assert.False(File.Exists(Path.Combine(Out, "users.parquet")));
    }

    [Fact]
    public void ConvertOfADatasetWithoutUsersRemovesAnEarlierUsersFile()
    {
        TinyDataset.Write(Raw);
        Assert.True(Convert().Result);
        Assert.True(File.Exists(Path.Combine(Out, "users.parquet")));

        // The same output folder, now fed a release without users.dat (as when DatasetDir changes).
        File.Delete(Path.Combine(Raw, "users.dat"));
        (bool ok, FakeBuildEngine engine, ConvertMovieLens task) = Convert();
        Assert.True(ok);
        Assert.Empty(engine.Errors);
        Assert.Equal(2, task.WrittenFiles.Length);
        Assert.False(File.Exists(Path.Combine(Out, "users.parquet")), "a users.parquet from the earlier dataset was left beside the new ratings");
    }

    [Theory]
    [MemberData(nameof(BadRatings))]
    public void ConvertOfBadRatingsLogsOneErrorAndKeepsTheOldFiles(string code, int line, string badLine)
    {
        TinyDataset.Write(Raw);
        Assert.True(Convert().Result);
        Assert.True(Split().Result);
        Dictionary<string, byte[]> before = Snapshot();
        Assert.Equal(7, before.Count);

        List<string> lines = TinyDataset.RatingLines();
        lines[line - 1] = badLine;
        TinyDataset.Write(Raw, lines);
        (bool ok, FakeBuildEngine engine, ConvertMovieLens task) = Convert();

        Assert.False(ok);
        BuildErrorEventArgs error = Assert.Single(engine.Errors);
        Assert.Equal(code, error.Code);
        Assert.Equal(Path.Combine(Raw, "ratings.dat"), error.File);
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
        TinyDataset.Write(Raw);
        Assert.True(Convert().Result);
        Dictionary<string, byte[]> before = Snapshot();

        string ratings = Path.Combine(Raw, "ratings.dat");
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
        TinyDataset.Write(Raw);
        Assert.True(Convert().Result);
        Dictionary<string, byte[]> before = Snapshot();

        string movies = Path.Combine(Raw, "movies.dat");
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
        TinyDataset.Write(Raw);
        Assert.True(Convert().Result);
        Dictionary<string, byte[]> before = Snapshot();

        File.Delete(Path.Combine(Raw, "movies.dat"));
        (bool ok, FakeBuildEngine engine, _) = Convert();

        Assert.False(ok);
        BuildErrorEventArgs error = Assert.Single(engine.Errors);
        Assert.Equal(DataErrorCodes.MissingFile, error.Code);
        Assert.Equal(Path.Combine(Raw, "movies.dat"), error.File);
        Assert.Equal(0, error.LineNumber);
        AssertUnchanged(before);
    }

    [Fact]
    public void ConvertOfAFolderWithoutMovieLensFilesIsAR1008()
    {
        Directory.CreateDirectory(Raw);
        File.WriteAllText(Path.Combine(Raw, "notes.txt"), "nothing here\n");
        (bool ok, FakeBuildEngine engine, _) = Convert();
        Assert.False(ok);
        Assert.Equal(DataErrorCodes.UnknownFormat, Assert.Single(engine.Errors).Code);
        Assert.False(Directory.Exists(Out) && Directory.EnumerateFileSystemEntries(Out).Any());
    }

    [Fact]
    public void ConvertIntoAFolderThatCannotBeCreatedIsAR1012()
    {
        TinyDataset.Write(Raw);
        string blocker = Dir.Write("blocker", "a file, not a folder\n");
        var engine = new FakeBuildEngine();
        var task = new ConvertMovieLens { BuildEngine = engine, Dataset = "tiny", DatasetDir = Raw, OutputDirectory = Path.Combine(blocker, "data") };
        Assert.False(task.Execute());
        BuildErrorEventArgs error = Assert.Single(engine.Errors);
        Assert.Equal("AR1012", error.Code);
        string ratings = Path.Combine(blocker, "data", "ratings.parquet");
        Assert.Equal(ratings, error.File);
        Assert.StartsWith($"cannot read or write {ratings}: ", error.Message, StringComparison.Ordinal);
        Assert.Empty(task.WrittenFiles);
        Assert.Empty(Directory.GetFiles(Dir.Root, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void ConvertOfALockedRawFileIsAR1012AndKeepsTheOldFiles()
    {
        TinyDataset.Write(Raw);
        Assert.True(Convert().Result);
        Dictionary<string, byte[]> before = Snapshot();

        // .NET locks a file opened with FileShare.None against other opens, in this process too (flock on Unix).
        string movies = Path.Combine(Raw, "movies.dat");
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
}
