using System.Globalization;
using System.Text;
using AutoRec.Data;

namespace AutoRec.Training.Experiments;

/// <summary>
/// A suite's table (a generated section of <c>docs/experiments.md</c>, between markers, so that the prose around it
/// is kept) and its figure (<c>docs/experiments/&lt;suite&gt;.png</c>), made from its results only.
/// </summary>
public static class ExperimentReport
{
    /// <summary>The Markdown file <paramref name="suite"/>'s table goes to (<see cref="ExperimentSuite.Document"/>).</summary>
    public static string SectionOf(string docsDir, ExperimentSuite suite)
    {
        ArgumentNullException.ThrowIfNull(suite);
        return Path.Combine(docsDir, suite.Document);
    }

    /// <summary>The figure of <paramref name="suite"/>.</summary>
    public static string FigureOf(string docsDir, ExperimentSuite suite)
    {
        ArgumentNullException.ThrowIfNull(suite);
        return Path.Combine(docsDir, "experiments", suite.Name + ".png");
    }

    /// <summary>Writes the figure and replaces (or appends) the suite's section of the Markdown file.</summary>
    public static void Write(ExperimentSuite suite, SuiteResults results, string docsDir)
    {
        ArgumentNullException.ThrowIfNull(suite);
        ArgumentNullException.ThrowIfNull(results);
        string figure = FigureOf(docsDir, suite);
        Directory.CreateDirectory(Path.GetDirectoryName(figure)!);
        using (var writes = new AtomicFiles())
        {
            ExperimentPlots.Save(writes.Stage(figure), suite, results);
            writes.Commit();
        }

        string markdown = SectionOf(docsDir, suite);

        // Suites may run side by side: each replaces its own section, so reading and writing the shared file is one
        // step under an exclusive lock (a lock file beside it in the temp folder).
        using FileStream held = LockFor(markdown);
        string existing = File.Exists(markdown) ? File.ReadAllText(markdown) : "# Experiments\n";
        string updated = Replace(existing, suite.Name, Table(suite, results, Path.GetRelativePath(docsDir, figure).Replace('\\', '/')));
        using var write = new AtomicFiles();
        File.WriteAllText(write.Stage(markdown), updated);
        write.Commit();
    }

    /// <summary>The suite's section: its table, the parts of runs with several models, and the figure.</summary>
    public static string Table(ExperimentSuite suite, SuiteResults results, string figure)
    {
        ArgumentNullException.ThrowIfNull(suite);
        ArgumentNullException.ThrowIfNull(results);
        var md = new StringBuilder();
        md.Append(CultureInfo.InvariantCulture, $"Suite `{suite.Name}` ({suite.SeedSection}): `autorec-train experiment {suite.Name}`. ");
        md.Append(CultureInfo.InvariantCulture, $"{results.Runs.Count} of {suite.Runs.Count} runs finished, {results.Seconds / 60:F1} min of training; {results.Machine}; {results.Finished}.\n\n");
        md.Append("| run | seed: test | ours: test, best epoch | ours − seed | ours: test, last epoch | ours: global test, best epoch | seed: train | ours: train (global) | best / epochs | path | seconds |\n");
        md.Append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|\n");
        foreach (RunResult run in results.Runs)
        {
            string sd(double? value) => run.Sd is null || value is null ? "" : $" ± {value:F4}";
            double? difference = run.Seed?.Test is double seed ? run.TestRmseUserMean - seed : null;
            string note = run.Note is null ? "" : $" ({run.Note})";
            string reused = run.ReusedFrom is null ? "" : $" (same run as {run.ReusedFrom})";
            md.Append(CultureInfo.InvariantCulture, $"| {run.Label}{note} | {F(run.Seed?.Test)} | {F(run.TestRmseUserMean)}{sd(run.Sd?.TestRmseUserMean)} | {Signed(difference)} | ");
            md.Append(CultureInfo.InvariantCulture, $"{F(run.LastEpochTestRmseUserMean)}{sd(run.Sd?.LastEpochTestRmseUserMean)} | {F(run.TestRmse)}{sd(run.Sd?.TestRmse)} | {F(run.Seed?.Train)} | {F(run.TrainRmse)} | ");
            md.Append(CultureInfo.InvariantCulture, $"{run.BestEpoch:0.#} / {run.Epochs} | {run.Path} | {run.Seconds:F0}{reused} |\n");
        }

        md.Append("\nTest and seed figures are means of per-user RMSEs (the seed's metric) unless a column says global; \"best epoch\" is the epoch with the best validation RMSE (model selection on validation), \"last epoch\" the weights after the last epoch (the seed's protocol).\n");
        foreach (RunResult run in results.Runs.Where(r => r.Parts is not null))
        {
            bool compared = run.Parts!.Any(p => p.CompareTestRmseUserMean is not null);
            md.Append(CultureInfo.InvariantCulture, $"\n{run.Label}, part by part:\n\n");
            md.Append(compared
                ? "| part | users | test ratings | ours: test, best epoch | one global model, same users | ours: global test | global model: global test | best / epochs |\n|---|---:|---:|---:|---:|---:|---:|---:|\n"
                : "| part | users | test ratings | ours: test, best epoch | ours: test, last epoch | ours: global test | best / epochs |\n|---|---:|---:|---:|---:|---:|---:|\n");
            foreach (PartResult part in run.Parts!)
            {
                md.Append(compared
                    ? string.Create(CultureInfo.InvariantCulture, $"| {part.Name} | {part.Users:N0} | {part.TestRatings:N0} | {F(part.TestRmseUserMean)} | {F(part.CompareTestRmseUserMean)} | {F(part.TestRmse)} | {F(part.CompareTestRmse)} | {part.BestEpoch} / {part.Epochs} |\n")
                    : string.Create(CultureInfo.InvariantCulture, $"| {part.Name} | {part.Users:N0} | {part.TestRatings:N0} | {F(part.TestRmseUserMean)} | {F(part.LastEpochTestRmseUserMean)} | {F(part.TestRmse)} | {part.BestEpoch} / {part.Epochs} |\n"));
            }
        }

        if (suite.SummarizeSeries)
        {
            md.Append("\nBy series (mean ± sample standard deviation over its runs, e.g. over split seeds):\n\n");
            md.Append("| series | runs | global test | per-user mean test | validation (global) | seconds per run |\n|---|---:|---:|---:|---:|---:|\n");
            foreach (IGrouping<string, RunResult> series in results.Runs.Where(r => r.Series is not null).GroupBy(r => r.Series!))
            {
                RunResult[] runs = [.. series];
                md.Append(CultureInfo.InvariantCulture, $"| {series.Key} | {runs.Count(r => double.IsFinite(r.TestRmse))} | {MeanSd(runs.Select(r => r.TestRmse))} | {MeanSd(runs.Select(r => r.TestRmseUserMean))} | ");
                md.Append(CultureInfo.InvariantCulture, $"{MeanSd(runs.Select(r => r.ValidationRmse))} | {runs.Average(r => r.Seconds):F0} |\n");
            }
        }

        md.Append(CultureInfo.InvariantCulture, $"\n![{suite.Title}]({figure})\n");
        return md.ToString();
    }

    /// <summary>Replaces the text between the suite's markers in <paramref name="document"/>, or appends a section with them.</summary>
    public static string Replace(string document, string suite, string section)
    {
        ArgumentNullException.ThrowIfNull(document);
        string begin = $"<!-- results:{suite} (generated by `autorec-train experiment {suite} --report`; edit outside these markers) -->";
        string end = $"<!-- /results:{suite} -->";
        int start = document.IndexOf(begin, StringComparison.Ordinal);
        int stop = document.IndexOf(end, StringComparison.Ordinal);
        if (start >= 0 && stop > start)
        {
            return string.Concat(document.AsSpan(0, start + begin.Length), "\n", section, document.AsSpan(stop));
        }

        return document.TrimEnd() + $"\n\n## {suite}\n\n{begin}\n{section}{end}\n";
    }

    private static FileStream LockFor(string path)
    {
        string name = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(path))))[..16];
        string lockFile = Path.Combine(Path.GetTempPath(), $"autorec-report-{name}.lock");
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                return new FileStream(lockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (attempt < 600)
            {
                Thread.Sleep(100);
            }
        }
    }

    private static string MeanSd(IEnumerable<double> values)
    {
        double[] v = [.. values.Where(double.IsFinite)];
        if (v.Length == 0)
        {
            return "–";
        }

        return v.Length > 1 ? string.Create(CultureInfo.InvariantCulture, $"{v.Average():F4} ± {Spread.SampleSd(v):F4}") : F(v[0]);
    }

    private static string F(double? value) =>
        value is double v && double.IsFinite(v) ? v.ToString("F4", CultureInfo.InvariantCulture) : "–";

    private static string Signed(double? value) =>
        value is double v && double.IsFinite(v) ? v.ToString("+0.0000;−0.0000;0.0000", CultureInfo.InvariantCulture) : "";
}
