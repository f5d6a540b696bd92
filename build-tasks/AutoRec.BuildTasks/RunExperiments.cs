using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace AutoRec.BuildTasks;

/// <summary>Runs an experiment suite of the seed report (<c>autorec-train experiment SUITE</c>) on the pipeline's split.</summary>
public sealed class RunExperiments : AutoRecToolTask
{
    /// <summary>The suite's name (see <c>autorec-train experiment --list</c>), or <c>all</c>.</summary>
    [Required]
    public string Suite { get; set; } = "";

    /// <summary>The folder with the pipeline's split Parquet files.</summary>
    [Required]
    public string DataDir { get; set; } = "";

    /// <summary>Where the run folders go.</summary>
    [Required]
    public string OutputDir { get; set; } = "";

    /// <summary>Where the results, tables and figures go.</summary>
    [Required]
    public string DocsDir { get; set; } = "";

    /// <summary>Rebuild the tables and figures from the results files only, without training.</summary>
    public bool ReportOnly { get; set; }

    /// <inheritdoc />
    public override void Cancel()
    {
        Log.LogMessage(MessageImportance.High, $"AutoRec: experiments cancelled; the next run of the suite resumes ({OutputDir})");
        base.Cancel();
    }

    /// <inheritdoc />
    protected override void AppendArguments(CommandLineBuilder builder)
    {
        builder.AppendSwitch("experiment");
        builder.AppendFileNameIfNotNull(Suite);
        builder.AppendSwitchIfNotNull("--data ", DataDir);
        builder.AppendSwitchIfNotNull("--out ", OutputDir);
        builder.AppendSwitchIfNotNull("--docs ", DocsDir);
        if (ReportOnly)
        {
            builder.AppendSwitch("--report");
        }
    }
}
