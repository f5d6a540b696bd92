using AutoRec.Data;
using Microsoft.Build.Utilities;

namespace AutoRec.BuildTasks;

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
}
