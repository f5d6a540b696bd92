using AutoRec.Data;
using Microsoft.Build.Framework;

namespace AutoRec.BuildTasks.Tests;

/// <summary>InstallDirectory: the download's unzipped folder moved into place with one rename.</summary>
public sealed class InstallDirectoryTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly string _source;
    private readonly string _destination;

    public InstallDirectoryTests()
    {
        _source = _dir.PathOf(Path.Combine(".download", "ml-10M100K"));
        _dir.Write(Path.Combine(".download", "ml-10M100K", "ratings.dat"), "1::2::3::4\n");
        _dir.Write(Path.Combine(".download", "ml-10M100K", "movies.dat"), "2::Movie (1999)::Drama\n");
        _dir.Write(Path.Combine(".download", "ml-10M100K", "extra", "readme.txt"), "nested\n");
        _destination = _dir.PathOf(Path.Combine("raw", "ml-10m"));
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void MovesTheFolderIntoPlace()
    {
        (bool ok, FakeBuildEngine engine) = Install();
        Assert.True(ok);
        Assert.Empty(engine.Errors);
        Assert.False(Directory.Exists(_source));
        Assert.Equal("1::2::3::4\n", File.ReadAllText(Path.Combine(_destination, "ratings.dat")));
        Assert.Equal("nested\n", File.ReadAllText(Path.Combine(_destination, "extra", "readme.txt")));
        Assert.Equal(3, Directory.GetFiles(_destination, "*", SearchOption.AllDirectories).Length);
    }

    [Fact]
    public void ReplacesAnEmptyDestinationFolder()
    {
        Directory.CreateDirectory(_destination);
        (bool ok, FakeBuildEngine engine) = Install(_destination + Path.DirectorySeparatorChar);
        Assert.True(ok, string.Join("\n", engine.Errors.Select(e => e.Message)));
        Assert.True(File.Exists(Path.Combine(_destination, "movies.dat")));
        Assert.False(Directory.Exists(_source));
    }

    [Fact]
    public void RefusesANonEmptyDestinationAndTouchesNothing()
    {
        _dir.Write(Path.Combine("raw", "ml-10m", "ratings.dat"), "half a copy");
        (bool ok, FakeBuildEngine engine) = Install();
        Assert.False(ok);
        BuildErrorEventArgs error = Assert.Single(engine.Errors);
        Assert.Equal("AR1013", error.Code);
        Assert.Equal(_destination, error.File);
        Assert.Contains("not an empty folder", error.Message, StringComparison.Ordinal);
        Assert.Equal(["ratings.dat"], Directory.GetFileSystemEntries(_destination).Select(Path.GetFileName));
        Assert.Equal("half a copy", File.ReadAllText(Path.Combine(_destination, "ratings.dat")));
        Assert.Equal(3, Directory.GetFiles(_source, "*", SearchOption.AllDirectories).Length);
    }

    [Fact]
    public void RefusesADestinationWithOnlyAnEmptySubfolder()
    {
        Directory.CreateDirectory(Path.Combine(_destination, "sub"));
        (bool ok, FakeBuildEngine engine) = Install();
        Assert.False(ok);
        Assert.Equal("AR1013", Assert.Single(engine.Errors).Code);
        Assert.True(Directory.Exists(Path.Combine(_destination, "sub")));
    }

    [Fact]
    public void RefusesADestinationThatIsAFile()
    {
        _dir.Write(Path.Combine("raw", "ml-10m"), "a file");
        (bool ok, FakeBuildEngine engine) = Install();
        Assert.False(ok);
        Assert.Equal("AR1013", Assert.Single(engine.Errors).Code);
        Assert.Equal("a file", File.ReadAllText(_destination));
        Assert.True(Directory.Exists(_source));
    }

    [Fact]
    public void AMissingSourceIsAR1001()
    {
        Directory.Delete(_source, recursive: true);
        (bool ok, FakeBuildEngine engine) = Install();
        Assert.False(ok);
        BuildErrorEventArgs error = Assert.Single(engine.Errors);
        Assert.Equal(DataErrorCodes.MissingFile, error.Code);
        Assert.Equal(_source, error.File);
        Assert.False(Directory.Exists(_destination));
    }

    [Fact]
    public void ADestinationThatCannotBeCreatedIsAR1012()
    {
        string blocker = _dir.Write("blocker", "a file, not a folder\n");
        string destination = Path.Combine(blocker, "ml-10m");
        (bool ok, FakeBuildEngine engine) = Install(destination);
        Assert.False(ok);
        BuildErrorEventArgs error = Assert.Single(engine.Errors);
        Assert.Equal("AR1012", error.Code);
        Assert.Equal(destination, error.File);
        Assert.True(Directory.Exists(_source));
    }

    private (bool Result, FakeBuildEngine Engine) Install(string? destination = null)
    {
        var engine = new FakeBuildEngine();
        var task = new InstallDirectory { BuildEngine = engine, Source = _source, Destination = destination ?? _destination };
        return (task.Execute(), engine);
    }
}
