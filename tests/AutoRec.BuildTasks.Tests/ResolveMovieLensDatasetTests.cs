using AutoRec.Data;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace AutoRec.BuildTasks.Tests;

/// <summary>ResolveMovieLensDataset: the given folder, the search order, incomplete folders.</summary>
public sealed class ResolveMovieLensDatasetTests : DataTaskTestBase
{
    [Fact]
    public void ResolveFindsTheGivenFolder()
    {
        TinyDataset.Write(Raw);
        var engine = new FakeBuildEngine();
        var task = new ResolveMovieLensDataset { BuildEngine = engine, Dataset = "tiny", DatasetDir = Raw };
        Assert.True(task.Execute());
        Assert.Empty(engine.Errors);
        Assert.Equal(Raw, task.ResolvedDir);
        Assert.Equal("DoubleColon", task.Format);
        Assert.True(task.HasUsers);
        Assert.Equal(
            [Path.Combine(Raw, "movies.dat"), Path.Combine(Raw, "ratings.dat"), Path.Combine(Raw, "users.dat")],
            task.RawFiles.Select(i => i.ItemSpec).Order());
    }

    [Fact]
    public void ResolveSearchesInOrderAndSkipsEmptyFolders()
    {
        string empty = Dir.PathOf("empty");
        Directory.CreateDirectory(empty);
        TinyDataset.Write(Raw);
        var engine = new FakeBuildEngine();
        var task = new ResolveMovieLensDataset
        {
            BuildEngine = engine,
            Dataset = "tiny",
            SearchDirectories = [new TaskItem(Dir.PathOf("absent")), new TaskItem(empty), new TaskItem(Raw)],
        };
        Assert.True(task.Execute());
        Assert.Equal(Raw, task.ResolvedDir);
    }

    [Fact]
    public void ResolveSkipsASearchedFolderWithoutACompleteDatasetAndGoesOn()
    {
        // An interrupted copy: ratings.dat but no movies.dat.
        string partial = Dir.PathOf("partial");
        TinyDataset.Write(partial);
        File.Delete(Path.Combine(partial, "movies.dat"));
        // A folder with no MovieLens files at all.
        string other = Dir.SubDir("other");
        File.WriteAllText(Path.Combine(other, "notes.txt"), "nothing here\n");
        TinyDataset.Write(Raw);

        var engine = new FakeBuildEngine();
        var task = new ResolveMovieLensDataset
        {
            BuildEngine = engine,
            Dataset = "tiny",
            SearchDirectories = [new TaskItem(partial), new TaskItem(other), new TaskItem(Raw)],
        };
        Assert.True(task.Execute());
        Assert.Empty(engine.Errors);
        Assert.Empty(engine.Warnings);
        Assert.Equal(Raw, task.ResolvedDir);
        Assert.True(task.HasUsers);
        BuildMessageEventArgs skipped = Assert.Single(engine.Messages, m => m.Message!.Contains(partial, StringComparison.Ordinal));
        Assert.Equal(MessageImportance.Low, skipped.Importance);
        Assert.Contains("movies.dat", skipped.Message, StringComparison.Ordinal);
        Assert.Equal(MessageImportance.Low, Assert.Single(engine.Messages, m => m.Message!.Contains(other, StringComparison.Ordinal)).Importance);
    }

    [Fact]
    public void ResolveFindingOnlyIncompleteFoldersFindsNothingSoTheBuildCanDownload()
    {
        string partial = Dir.PathOf("ml-1m");
        TinyDataset.Write(partial);
        File.Delete(Path.Combine(partial, "users.dat")); // optional
        File.Delete(Path.Combine(partial, "movies.dat")); // required

        var engine = new FakeBuildEngine();
        var task = new ResolveMovieLensDataset { BuildEngine = engine, Dataset = "ml-1m", SearchDirectories = [new TaskItem(partial), new TaskItem(Dir.PathOf("absent"))] };
        Assert.True(task.Execute());
        Assert.Empty(engine.Errors);
        Assert.Equal("", task.ResolvedDir);
        Assert.Empty(task.RawFiles);
        Assert.Contains(engine.Messages, m => m.Importance == MessageImportance.Low && m.Message!.Contains("skipping", StringComparison.Ordinal));
    }

    [Fact]
    public void ResolveOfAGivenIncompleteFolderIsStillALocatedError()
    {
        TinyDataset.Write(Raw);
        File.Delete(Path.Combine(Raw, "movies.dat"));
        TinyDataset.Write(Dir.PathOf("complete"));

        var engine = new FakeBuildEngine();
        var task = new ResolveMovieLensDataset
        {
            BuildEngine = engine,
            Dataset = "tiny",
            DatasetDir = Raw,
            SearchDirectories = [new TaskItem(Dir.PathOf("complete"))], // never searched when a folder is given
        };
        Assert.False(task.Execute());
        BuildErrorEventArgs error = Assert.Single(engine.Errors);
        Assert.Equal(DataErrorCodes.MissingFile, error.Code);
        Assert.Equal(Path.Combine(Raw, "movies.dat"), error.File);
        Assert.Equal("", task.ResolvedDir);
    }

    [Fact]
    public void ResolveFindingNothingIsNotAnError()
    {
        var engine = new FakeBuildEngine();
        var task = new ResolveMovieLensDataset { BuildEngine = engine, Dataset = "ml-1m", SearchDirectories = [new TaskItem(Dir.PathOf("absent"))] };
        Assert.True(task.Execute());
        Assert.Empty(engine.Errors);
        Assert.Equal("", task.ResolvedDir);
        Assert.Empty(task.RawFiles);
    }

    [Fact]
    public void ResolveOfAGivenFolderWithoutTheFilesIsAnError()
    {
        Directory.CreateDirectory(Raw);
        var engine = new FakeBuildEngine();
        var task = new ResolveMovieLensDataset { BuildEngine = engine, Dataset = "ml-1m", DatasetDir = Raw };
        Assert.False(task.Execute());
        BuildErrorEventArgs error = Assert.Single(engine.Errors);
        Assert.Equal(DataErrorCodes.MissingFile, error.Code);
        Assert.Equal(Path.Combine(Raw, "ratings.dat"), error.File);
    }
}
