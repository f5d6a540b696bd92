using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace AutoRec.BuildTasks;

/// <summary>
/// Runs one of the TorchSharp apps (<c>autorec-train</c>, <c>autorec-export</c>) as a child process, so libtorch
/// never loads into MSBuild. Its canonical error lines (<c>file(line): error CODE: message</c>) become MSBuild errors with that
/// code and location; epoch lines are logged at normal importance, other lines at high.
/// </summary>
public abstract partial class AutoRecToolTask : ToolTask
{
    /// <summary>Path to the app's assembly (<c>autorec-train.dll</c> or <c>autorec-export.dll</c>).</summary>
    [Required]
    public string ToolAssembly { get; set; } = "";

    /// <inheritdoc />
    protected override string ToolName => OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";

    /// <inheritdoc />
    protected override MessageImportance StandardErrorLoggingImportance => MessageImportance.High;

    /// <inheritdoc />
    protected override MessageImportance StandardOutputLoggingImportance => MessageImportance.High;

    /// <summary>The arguments after the assembly (e.g. <c>train --data ...</c>).</summary>
    protected abstract void AppendArguments(CommandLineBuilder builder);

    /// <inheritdoc />
    protected override string GenerateFullPathToTool() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : ToolName;

    /// <inheritdoc />
    protected override string GenerateCommandLineCommands()
    {
        var builder = new CommandLineBuilder();
        builder.AppendFileNameIfNotNull(ToolAssembly);
        AppendArguments(builder);
        IReadOnlyList<int> build = BuildProcesses.ToWatch();
        if (build.Count > 0)
        {
            // The app stops (its checkpoint lets the next build resume) when the build that started it is gone.
            builder.AppendSwitchIfNotNull("--watch-pids ", string.Join(",", build.Select(id => id.ToString(CultureInfo.InvariantCulture))));
        }

        return builder.ToString();
    }

    /// <inheritdoc />
    protected override bool ValidateParameters()
    {
        if (File.Exists(ToolAssembly))
        {
            return true;
        }

        TaskLogging.LogCodedError(Log, "AR2005", ToolAssembly, $"{Path.GetFileName(ToolAssembly)} is not built (build the training/ projects)");
        return false;
    }

    /// <inheritdoc />
    protected override void LogEventsFromTextOutput(string singleLine, MessageImportance messageImportance)
    {
        Match canonical = CanonicalLine().Match(singleLine);
        if (canonical.Success)
        {
            string? file = canonical.Groups["file"].Success ? canonical.Groups["file"].Value : null;
            int line = canonical.Groups["line"].Success ? int.Parse(canonical.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
            if (canonical.Groups["kind"].Value == "warning")
            {
                Log.LogWarning(
                    subcategory: null, warningCode: canonical.Groups["code"].Value, helpKeyword: null, file: file, lineNumber: line,
                    columnNumber: 0, endLineNumber: 0, endColumnNumber: 0, message: canonical.Groups["message"].Value);
            }
            else
            {
                Log.LogError(
                    subcategory: null, errorCode: canonical.Groups["code"].Value, helpKeyword: null, file: file, lineNumber: line,
                    columnNumber: 0, endLineNumber: 0, endColumnNumber: 0, message: canonical.Groups["message"].Value);
            }

            return;
        }

        bool epoch = singleLine.StartsWith("epoch ", StringComparison.Ordinal);
        Log.LogMessage(epoch ? MessageImportance.Normal : messageImportance, $"AutoRec: {singleLine}");
    }

    /// <inheritdoc />
    protected override bool HandleTaskExecutionErrors()
    {
        if (!Log.HasLoggedErrors)
        {
            TaskLogging.LogCodedError(Log, "AR2000", ToolAssembly, $"{Path.GetFileNameWithoutExtension(ToolAssembly)} failed with exit code {ExitCode}");
        }

        return false;
    }

    [GeneratedRegex(@"^(?:(?<file>.+?)(?:\((?<line>\d+)\))?: )?(?<kind>error|warning) (?<code>AR\d{4}): (?<message>.*)$")]
    private static partial Regex CanonicalLine();
}
