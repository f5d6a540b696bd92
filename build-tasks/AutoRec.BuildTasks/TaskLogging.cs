using AutoRec.Data;
using Microsoft.Build.Utilities;

namespace AutoRec.BuildTasks;

/// <summary>The error codes the tasks themselves raise (the data and model libraries' codes pass through as-is).</summary>
internal static class TaskErrorCodes
{
    /// <summary>A file or folder cannot be read or written (disk full, no permission, locked, a file where a folder should be).</summary>
    public const string CannotReadOrWrite = "AR1012";

    /// <summary>A downloaded dataset cannot be installed: its destination already exists and is not an empty folder.</summary>
    public const string DestinationExists = "AR1013";

    /// <summary>The training's metrics.json is missing or malformed.</summary>
    public const string BadMetrics = "AR3104";
}

/// <summary>Reports errors in MSBuild's canonical <c>file(line): error CODE: message</c> form.</summary>
internal static class TaskLogging
{
    public static void LogDataError(this TaskLoggingHelper log, DataFormatException error) =>
        log.LogError(
            subcategory: null, errorCode: error.Code, helpKeyword: null, file: error.FilePath,
            lineNumber: error.Line, columnNumber: 0, endLineNumber: 0, endColumnNumber: 0,
            message: error.Reason);

    public static void LogCodedError(this TaskLoggingHelper log, string code, string? file, string message) =>
        log.LogError(
            subcategory: null, errorCode: code, helpKeyword: null, file: file,
            lineNumber: 0, columnNumber: 0, endLineNumber: 0, endColumnNumber: 0, message: message);

    /// <summary>Whether <paramref name="error"/> is a failure of the file system rather than of the data.</summary>
    public static bool IsFileSystemError(Exception error) => error is IOException or UnauthorizedAccessException;

    /// <summary>
    /// Reports a file-system failure (<see cref="IOException"/> or <see cref="UnauthorizedAccessException"/>) as
    /// AR1012, located at <paramref name="file"/> when the caller knows which file it was working on.
    /// </summary>
    public static void LogFileSystemError(this TaskLoggingHelper log, string? file, Exception error)
    {
        file ??= (error as FileNotFoundException)?.FileName;
        log.LogCodedError(
            TaskErrorCodes.CannotReadOrWrite, file,
            file is null ? $"cannot read or write a file: {error.Message}" : $"cannot read or write {file}: {error.Message}");
    }
}
