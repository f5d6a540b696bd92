using AutoRec.Data;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using Task = Microsoft.Build.Utilities.Task;

namespace AutoRec.BuildTasks;

/// <summary>
/// A task over the data files (finding, converting and splitting a dataset; the refit's split). Each reports the
/// same two failures the same way: a malformed file as its own located, coded error (<see cref="DataFormatException"/>),
/// and a file-system failure as AR1012 at the file or folder it was working on (<see cref="CurrentPath"/>). The tasks
/// that write stage their files with <see cref="AtomicFiles"/>, so on either failure before the commit the earlier
/// outputs are as they were.
/// </summary>
public abstract class DataTask : Task
{
    private readonly List<string> _written = [];

    /// <summary>The file or folder the task is working on: what a file-system error is reported against.</summary>
    protected string? CurrentPath { get; set; }

    /// <summary>
    /// Stages the output <paramref name="name"/> in <paramref name="directory"/>: returns the temporary path to write
    /// it to (the file itself is replaced by <see cref="Commit"/>) and makes the file the one errors name.
    /// </summary>
    protected string Stage(AtomicFiles files, string directory, string name)
    {
        ArgumentNullException.ThrowIfNull(files);
        string path = Path.GetFullPath(Path.Combine(directory, name));
        CurrentPath = path;
        _written.Add(path);
        return files.Stage(path);
    }

    /// <summary>Puts every staged output in place together; returns them, for the task's <c>WrittenFiles</c>.</summary>
    protected ITaskItem[] Commit(AtomicFiles files, string directory)
    {
        ArgumentNullException.ThrowIfNull(files);
        CurrentPath = Path.GetFullPath(directory); // the commit renames several files there
        files.Commit();
        return [.. _written.Select(path => (ITaskItem)new TaskItem(path))];
    }

    /// <inheritdoc />
    public sealed override bool Execute()
    {
        try
        {
            return Run();
        }
        catch (DataFormatException e)
        {
            Log.LogDataError(e);
            return false;
        }
        catch (Exception e) when (TaskLogging.IsFileSystemError(e))
        {
            Log.LogFileSystemError(CurrentPath, e);
            return false;
        }
    }

    /// <summary>The task's work; false when it logged an error of its own.</summary>
    protected abstract bool Run();
}
