using System.Text.Json;
using System.Text.Json.Nodes;
using AutoRec.Training.Configuration;

namespace AutoRec.Training.Experiments;

/// <summary>
/// A suite's results (<c>docs/results/&lt;suite&gt;.json</c>): everything the report's table and figure are made
/// from, so that <c>experiment &lt;suite&gt; --report</c> rebuilds them without training.
/// </summary>
/// <param name="Suite">The suite's name.</param>
/// <param name="Title">What it compares.</param>
/// <param name="SeedSection">Where the seed report has it.</param>
/// <param name="Machine">Where it ran (cores, OS), and when it finished (UTC).</param>
/// <param name="Finished">When the last run finished, UTC, ISO 8601.</param>
/// <param name="Split">The data split the runs were trained on (split.json's seed and counts).</param>
/// <param name="Seconds">Seconds of training over all runs (reused runs count once, where they were trained).</param>
/// <param name="Runs">One entry per run, in the suite's order.</param>
public sealed record SuiteResults(
    string Suite, string Title, string SeedSection, string Machine, string Finished, string Split, double Seconds, IReadOnlyList<RunResult> Runs)
{
    /// <summary>As indented JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, ExperimentSuite.JsonOptions) + "\n";

    /// <summary>Reads a results file.</summary>
    /// <exception cref="ConfigException">The file is missing or is not a results file.</exception>
    public static SuiteResults Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new ConfigException(path, 0, "no results yet: run the suite first (autorec-train experiment <suite>)");
        }

        try
        {
            return JsonSerializer.Deserialize<SuiteResults>(File.ReadAllText(path), ExperimentSuite.JsonOptions)
                ?? throw new ConfigException(path, 0, "the results file is empty");
        }
        catch (JsonException e)
        {
            throw new ConfigException(path, e.LineNumber is long l ? (int)l + 1 : 0, e.Message);
        }
    }
}

/// <summary>
/// One run's numbers. Test RMSEs are of the best validation epoch (model selection on validation) and, as
/// "last epoch", of the weights after the last epoch (the seed's protocol: 500 epochs, no selection). With folds
/// the figures are means over folds (with <see cref="Sd"/>); with groups, all groups' predictions scored together.
/// </summary>
public sealed record RunResult
{
    /// <summary>The run's name.</summary>
    public required string Name { get; init; }

    /// <summary>Its row label.</summary>
    public required string Label { get; init; }

    /// <summary>The full model config the run trained.</summary>
    public required JsonObject Config { get; init; }

    /// <summary>The seed report's figures for the row.</summary>
    public SeedFigures? Seed { get; init; }

    /// <summary>The row's x in a sweep.</summary>
    public double? X { get; init; }

    /// <summary>The row's series in a sweep.</summary>
    public string? Series { get; init; }

    /// <summary>"sparse" or "dense".</summary>
    public required string Path { get; init; }

    /// <summary>Global test RMSE at the best epoch.</summary>
    public double TestRmse { get; init; }

    /// <summary>Mean of per-user test RMSEs at the best epoch (the seed's metric).</summary>
    public double TestRmseUserMean { get; init; }

    /// <summary>Global test RMSE after the last epoch.</summary>
    public double LastEpochTestRmse { get; init; }

    /// <summary>Mean of per-user test RMSEs after the last epoch.</summary>
    public double LastEpochTestRmseUserMean { get; init; }

    /// <summary>Global validation RMSE at the best epoch.</summary>
    public double ValidationRmse { get; init; }

    /// <summary>Global train RMSE at the best epoch.</summary>
    public double TrainRmse { get; init; }

    /// <summary>The best validation epoch (a mean over parts when there are several).</summary>
    public double BestEpoch { get; init; }

    /// <summary>Epochs trained.</summary>
    public int Epochs { get; init; }

    /// <summary>Seconds of training (all parts).</summary>
    public double Seconds { get; init; }

    /// <summary>Standard deviations over folds.</summary>
    public Spread? Sd { get; init; }

    /// <summary>The folds or groups, one entry each.</summary>
    public IReadOnlyList<PartResult>? Parts { get; init; }

    /// <summary>Learning curves of a single run.</summary>
    public Curves? History { get; init; }

    /// <summary>Where an identical run was taken from instead of training again ("suite/run").</summary>
    public string? ReusedFrom { get; init; }

    /// <summary>Why the run has no numbers (it diverged), or null.</summary>
    public string? Note { get; init; }

    /// <summary>The seed of the run's own split, when not the pipeline's.</summary>
    public long? SplitSeed { get; init; }

    /// <summary>The run whose config and best epoch this one retrained on train + validation (protocol B).</summary>
    public string? RefitOf { get; init; }

    /// <summary>The runs an ensemble or blend combines.</summary>
    public IReadOnlyList<string>? Members { get; init; }

    /// <summary>A blend's weights: the intercept, then one per member.</summary>
    public IReadOnlyList<double>? Weights { get; init; }
}

/// <summary>Standard deviations over folds (sample, n - 1).</summary>
/// <param name="TestRmse">Of the global test RMSE.</param>
/// <param name="TestRmseUserMean">Of the mean of per-user test RMSEs.</param>
/// <param name="LastEpochTestRmseUserMean">Of the last epoch's mean of per-user RMSEs.</param>
public sealed record Spread(double TestRmse, double TestRmseUserMean, double LastEpochTestRmseUserMean)
{
    /// <summary>The sample standard deviation (n − 1) of <paramref name="values"/>; 0 for fewer than two.</summary>
    public static double SampleSd(IEnumerable<double> values)
    {
        double[] v = [.. values];
        if (v.Length < 2)
        {
            return 0;
        }

        double mean = v.Average();
        return Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1));
    }
}

/// <summary>A fold or a group of a run.</summary>
public sealed record PartResult
{
    /// <summary>"fold-1", "group-M-25", "cluster-2".</summary>
    public required string Name { get; init; }

    /// <summary>Users scored.</summary>
    public int Users { get; init; }

    /// <summary>Test ratings scored.</summary>
    public int TestRatings { get; init; }

    /// <summary>Global test RMSE at the best epoch.</summary>
    public double TestRmse { get; init; }

    /// <summary>Mean of per-user test RMSEs at the best epoch.</summary>
    public double TestRmseUserMean { get; init; }

    /// <summary>Global test RMSE after the last epoch.</summary>
    public double LastEpochTestRmse { get; init; }

    /// <summary>Mean of per-user test RMSEs after the last epoch.</summary>
    public double LastEpochTestRmseUserMean { get; init; }

    /// <summary>Global validation RMSE at the best epoch.</summary>
    public double ValidationRmse { get; init; }

    /// <summary>Global train RMSE at the best epoch.</summary>
    public double TrainRmse { get; init; }

    /// <summary>The best validation epoch.</summary>
    public int BestEpoch { get; init; }

    /// <summary>Epochs trained.</summary>
    public int Epochs { get; init; }

    /// <summary>Seconds of training.</summary>
    public double Seconds { get; init; }

    /// <summary>The compared run's global test RMSE on the same users.</summary>
    public double? CompareTestRmse { get; init; }

    /// <summary>The compared run's mean of per-user test RMSEs on the same users.</summary>
    public double? CompareTestRmseUserMean { get; init; }
}

/// <summary>Per-epoch RMSEs, rounded to five decimals.</summary>
/// <param name="Train">Global train RMSE.</param>
/// <param name="Validation">Global validation RMSE.</param>
/// <param name="ValidationUserMean">Mean of per-user validation RMSEs.</param>
public sealed record Curves(IReadOnlyList<double> Train, IReadOnlyList<double> Validation, IReadOnlyList<double> ValidationUserMean);
