using AutoRec.Data;
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
    /// <summary>The file or folder the task is working on: what a file-system error is reported against.</summary>
    protected string? CurrentPath { get; set; }

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
