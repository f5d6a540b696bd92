using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using AutoRec.Contracts;
using AutoRec.Data;
using AutoRec.Training.Baselines;
using AutoRec.Training.Configuration;

namespace AutoRec.Training.Experiments;

/// <summary>Where a suite reads and writes.</summary>
/// <param name="DataDir">The pipeline's split files.</param>
/// <param name="OutputDir">Run folders go to <c>OutputDir/&lt;suite&gt;/&lt;run&gt;/</c>.</param>
/// <param name="DocsDir">Results go to <c>DocsDir/results/&lt;suite&gt;.json</c>, figures to <c>DocsDir/experiments/</c>, tables into <c>DocsDir/experiments.md</c>.</param>
/// <param name="SuitesDir">The suite files.</param>
/// <param name="ConfigsDir">The base configs suites name.</param>
public sealed record ExperimentOptions(string DataDir, string OutputDir, string DocsDir, string SuitesDir, string ConfigsDir);

/// <summary>
/// Runs a suite: each run (or each of its folds or groups) is trained unless a finished identical one exists, in
/// this suite's folder or another suite's; after each run the results file and the report are brought up to date,
/// so an interrupted suite loses at most the model in training, which resumes from its checkpoint.
/// </summary>
public sealed class ExperimentRunner(ExperimentOptions options, TextWriter output)
{
    private static readonly string[] Sections =
        ["activations", "defaults", "regularization", "architectures", "noise", "hybrid", "groups", "future-work", "item-based"];

    /// <summary>Where a suite comes in the seed report (unknown suites last), for <c>experiment all</c>.</summary>
    public static int SectionOrder(string suite)
    {
        int index = Array.IndexOf(Sections, suite);
        return index < 0 ? Sections.Length : index;
    }

    /// <summary>The suites in <see cref="ExperimentOptions.SuitesDir"/>, with their titles.</summary>
    public IReadOnlyList<ExperimentSuite> List() =>
        [.. Directory.EnumerateFiles(options.SuitesDir, "*.json").Order(StringComparer.Ordinal).Select(Load)];

    /// <summary>Loads a suite by name.</summary>
    /// <exception cref="ConfigException">No such suite, or it is not valid.</exception>
    public ExperimentSuite Load(string nameOrPath)
    {
        ArgumentNullException.ThrowIfNull(nameOrPath);
        string path = File.Exists(nameOrPath) ? nameOrPath : Path.Combine(options.SuitesDir, nameOrPath + ".json");
        if (!File.Exists(path))
        {
            string known = Directory.Exists(options.SuitesDir)
                ? string.Join(", ", Directory.EnumerateFiles(options.SuitesDir, "*.json").Select(Path.GetFileNameWithoutExtension).Order())
                : "none";
            throw new ConfigException(path, 0, $"no suite '{nameOrPath}' (suites: {known})");
        }

        return ExperimentSuite.Load(path, options.ConfigsDir);
    }

    /// <summary>Rebuilds the report of a suite from its results file, without training.</summary>
    public void Report(string name)
    {
        ExperimentSuite suite = Load(name);
        SuiteResults results = SuiteResults.Read(ResultsPath(suite));

        // Labels, series, x values and the seed's figures are the suite's words: take them from its file as it is now.
        var specs = suite.Runs.ToDictionary(r => r.Name);
        results = results with
        {
            Runs = [.. results.Runs.Select(r => specs.TryGetValue(r.Name, out RunSpec? spec)
                ? r with { Label = spec.Label, Series = spec.Series, X = spec.X, Seed = spec.Seed }
                : r)],
        };
        ExperimentReport.Write(suite, results, options.DocsDir);
        output.WriteLine($"report of {suite.Name} rebuilt from {ResultsPath(suite)}: {ExperimentReport.SectionOf(options.DocsDir, suite)}, {ExperimentReport.FigureOf(options.DocsDir, suite)}");
    }

    /// <summary>Runs (or resumes) every run of a suite and writes its results and report.</summary>
    public SuiteResults Run(string name, CancellationToken cancellation = default)
    {
        ExperimentSuite suite = Load(name);
        var data = ExperimentData.Load(options.DataDir);
        output.WriteLine($"suite {suite.Name}: {suite.Runs.Count} runs on {data.Description}");
        var clock = Stopwatch.StartNew();
        var results = new List<RunResult>();
        var finished = new Dictionary<string, PartOutcome>();
        var splitSeeds = new Dictionary<string, long?>();
        double trainedSeconds = 0;
        for (int i = 0; i < suite.Runs.Count; i++)
        {
            RunSpec run = suite.Runs[i];
            string prefix = $"{suite.Name} {i + 1}/{suite.Runs.Count} {run.Name}";
            string folder = Path.Combine(options.OutputDir, suite.Name, run.Name);
            (RunResult result, double seconds, PartOutcome? single) = run switch
            {
                { Combines: true } => Combine(suite, run, data, splitSeeds, results),
                { Folds: int folds } => Folds(run, suite.ConfigOf(run, options.ConfigsDir, suite.Name), folds, data, folder, prefix, cancellation),
                { Groups: string groups } => Groups(run, suite.ConfigOf(run, options.ConfigsDir, suite.Name), groups, data, folder, prefix, finished, cancellation),
                { RefitOf: string of } => Refit(suite, run, finished[of], splitSeeds[of], data, folder, prefix, cancellation),
                { Mf: MatrixFactorizationConfig mf } => MatrixFactorization(run, mf, data, folder, prefix, cancellation),
                _ => Single(run, suite.ConfigOf(run, options.ConfigsDir, suite.Name), data, folder, prefix, cancellation),
            };
            if (single is not null)
            {
                finished[run.Name] = single;
                splitSeeds[run.Name] = run.SplitSeed ?? (run.RefitOf is string a ? splitSeeds[a] : null);
            }

            trainedSeconds += seconds;
            results.Add(result);
            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"[{prefix}] test RMSE {result.TestRmse:F4}, per-user mean {result.TestRmseUserMean:F4} (last epoch {result.LastEpochTestRmseUserMean:F4}); seed {Format(result.Seed?.Test)}; {result.Seconds:F0} s"));
            Publish(suite, data, results);
        }

        output.WriteLine($"suite {suite.Name} done in {clock.Elapsed.TotalMinutes:F1} min ({trainedSeconds:F0} s of training): {ResultsPath(suite)}, {ExperimentReport.SectionOf(options.DocsDir, suite)}");
        return SuiteResults.Read(ResultsPath(suite));
    }

    private string ResultsPath(ExperimentSuite suite) => Path.Combine(options.DocsDir, "results", suite.Name + ".json");

    /// <summary>
    /// Writes the results file and the report: the runs of this invocation, and for runs it has not reached yet
    /// their rows of the results file as it was (so a failure half-way loses no published row).
    /// </summary>
    private void Publish(ExperimentSuite suite, ExperimentData data, List<RunResult> done)
    {
        Dictionary<string, RunResult> earlier = [];
        try
        {
            earlier = SuiteResults.Read(ResultsPath(suite)).Runs.ToDictionary(r => r.Name);
        }
        catch (ConfigException)
        {
            // No results yet (or unreadable ones): nothing to keep.
        }

        var byName = done.ToDictionary(r => r.Name);
        List<RunResult> runs = [.. suite.Runs.Select(r => byName.GetValueOrDefault(r.Name) ?? earlier.GetValueOrDefault(r.Name)).OfType<RunResult>()];
        string machine = $"{Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.ProcessArchitecture}";
        var results = new SuiteResults(
            suite.Name, suite.Title, suite.SeedSection, machine, DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture),
            data.Description, Math.Round(runs.Where(r => r.ReusedFrom is null && r.Members is null).Sum(r => r.Seconds)), [.. runs]);
        string path = ResultsPath(suite);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using (var writes = new AtomicFiles())
        {
            File.WriteAllText(writes.Stage(path), results.ToJson());
            writes.Commit();
        }

        ExperimentReport.Write(suite, results, options.DocsDir);
    }

    private (RunResult, double, PartOutcome?) Single(RunSpec run, ModelConfig config, ExperimentData data, string folder, string prefix, CancellationToken cancellation)
    {
        string key = PartTrainer.Key(config, data.Fingerprint, run.SplitSeed is long seed ? $"split seed {seed}" : "split");
        string? reusedFrom = null;
        double seconds = 0;
        PartOutcome? outcome = PartTrainer.TryRead(folder, key, config.ToJson());
        if (outcome is null && FindElsewhere(key, folder) is string other)
        {
            PartTrainer.Copy(other, folder);
            outcome = PartTrainer.TryRead(folder, key, config.ToJson());
            reusedFrom = Path.GetRelativePath(options.OutputDir, other);
            output.WriteLine($"[{prefix}] the same config on the same split was trained in {reusedFrom}: reused");
        }

        if (outcome is null)
        {
            outcome = PartTrainer.Train(folder, key, "split", config, data.ForSplit(config, run.SplitSeed, refit: false), new RunProgress(output, prefix, 50), cancellation);
            seconds = outcome.Result.Seconds;
        }
        else if (reusedFrom is null)
        {
            output.WriteLine($"[{prefix}] finished earlier: skipped ({folder})");
        }

        return (ResultOf(run, config, outcome, [outcome.Result]) with { History = outcome.History, ReusedFrom = reusedFrom, SplitSeed = run.SplitSeed }, seconds, outcome);
    }

    /// <summary>Protocol B: the config of <paramref name="of"/>'s run on its train and validation ratings, for its best epoch count.</summary>
    private (RunResult, double, PartOutcome?) Refit(
        ExperimentSuite suite, RunSpec run, PartOutcome of, long? splitSeed, ExperimentData data, string folder, string prefix, CancellationToken cancellation)
    {
        RunSpec source = suite.Runs.Single(r => r.Name == run.RefitOf);
        if (source.Mf is MatrixFactorizationConfig mf)
        {
            return MatrixFactorization(run, mf, data, folder, prefix, cancellation, splitSeed, of.Result.BestEpoch);
        }

        ModelConfig config = suite.ConfigOf(source, options.ConfigsDir, suite.Name);
        if (config.Towers is not null)
        {
            throw new ConfigException(suite.Name, 0, $"run '{run.Name}' refits '{source.Name}', a blend of towers fit on validation: refit each tower as a run of its own and blend the refits (\"blend\" with \"weights_from\")");
        }

        if (config.LrDecayPatience > 0)
        {
            throw new ConfigException(suite.Name, 0, $"run '{run.Name}' refits '{source.Name}', whose learning rate follows validation (lr_decay_patience): a refit has no validation to follow; use a fixed schedule (lr_schedule)");
        }

        int epochs = of.Result.BestEpoch;
        if (epochs < 1)
        {
            throw new ConfigException(suite.Name, 0, $"run '{run.Name}' refits '{source.Name}', which has no best epoch ({of.Note ?? "no validation"}): nothing to refit");
        }

        string key = PartTrainer.Key(config, data.Fingerprint, $"{(splitSeed is long seed ? $"split seed {seed}" : "split")}, train + validation, {epochs} epochs");
        PartOutcome? outcome = PartTrainer.TryRead(folder, key, config.ToJson());
        double seconds = 0;
        if (outcome is null)
        {
            output.WriteLine($"[{prefix}] refit of {source.Name}: its config on train + validation for its best epoch count, {epochs}");
            outcome = PartTrainer.Train(folder, key, "refit", config, data.ForSplit(config, splitSeed, refit: true), new RunProgress(output, prefix, 50), cancellation, epochs);
            seconds = outcome.Result.Seconds;
        }
        else
        {
            output.WriteLine($"[{prefix}] finished earlier: skipped ({folder})");
        }

        return (ResultOf(run, config, outcome, [outcome.Result]) with { History = outcome.History, SplitSeed = splitSeed, RefitOf = source.Name, ValidationRmse = double.NaN }, seconds, outcome);
    }

    /// <summary>
    /// Biased matrix factorisation on the run's split; with <paramref name="refitSweeps"/>, protocol B: that many
    /// sweeps on train + validation of the split <paramref name="refitSeed"/>.
    /// </summary>
    private (RunResult, double, PartOutcome?) MatrixFactorization(
        RunSpec run, MatrixFactorizationConfig mf, ExperimentData data, string folder, string prefix, CancellationToken cancellation,
        long? refitSeed = null, int? refitSweeps = null)
    {
        bool refit = refitSweeps is not null;
        long? seed = refit ? refitSeed : run.SplitSeed;
        string json = System.Text.Json.JsonSerializer.Serialize(mf);
        string part = $"biased MF {json}, {(seed is long s ? $"split seed {s}" : "split")}{(refit ? $", train + validation, {refitSweeps} sweeps" : "")}";
        string key = PartTrainer.Hash(part + "|" + data.Fingerprint);
        PartOutcome? outcome = PartTrainer.TryRead(folder, key, json + "\n");
        double seconds = 0;
        if (outcome is null)
        {
            ModelConfig layout = new() { Kind = ModelKind.UserBased };
            outcome = PartTrainer.TrainMatrixFactorization(
                folder, key, refit ? "refit" : "split", mf, data.ForSplit(layout, seed, refit), new RunProgress(output, prefix, 5), cancellation, refitSweeps);
            seconds = outcome.Result.Seconds;
        }
        else
        {
            output.WriteLine($"[{prefix}] finished earlier: skipped ({folder})");
        }

        // A matrix factorisation has no last-epoch scores (PartTrainer records NaN) and a refit no validation.
        RunResult result = ResultOf(run, JsonNode.Parse(json)!.AsObject(), outcome, [outcome.Result]) with
        {
            ValidationRmse = refit ? double.NaN : outcome.Result.ValidationRmse,
            History = outcome.History,
            SplitSeed = seed,
            RefitOf = run.RefitOf,
        };
        return (result, seconds, outcome);
    }

    /// <summary>An ensemble (mean) or a blend (least squares on validation) of earlier runs' predictions on one split.</summary>
    private (RunResult, double, PartOutcome?) Combine(
        ExperimentSuite suite, RunSpec run, ExperimentData data, Dictionary<string, long?> splitSeeds, List<RunResult> results)
    {
        IReadOnlyList<string> names = run.Members ?? run.Blend!;
        long?[] seeds = [.. names.Select(n => splitSeeds.TryGetValue(n, out long? seed) ? seed
            : throw new ConfigException(suite.Name, 0, $"run '{run.Name}': '{n}' is not a single run (only single and refit runs can be combined)"))];
        if (seeds.Distinct().Count() != 1)
        {
            throw new ConfigException(suite.Name, 0, $"run '{run.Name}' combines runs of different splits");
        }

        RatingSplit split = data.SplitOf(seeds[0]);
        var validation = new List<float[]>();
        var test = new List<float[]>();
        foreach (string name in names)
        {
            RunResult member = results.Single(r => r.Name == name);
            int validationCount = member.RefitOf is null ? split.Validation.Length : 0;
            (float[] Validation, float[] Test) predictions = PartTrainer.ReadPredictions(Path.Combine(options.OutputDir, suite.Name, name), validationCount, split.Test.Length)
                ?? throw new ConfigException(suite.Name, 0, $"run '{run.Name}': '{name}' kept no predictions (train it again: delete its folder)");
            validation.Add(predictions.Validation);
            test.Add(predictions.Test);
        }

        bool validated = validation.All(v => v.Length == split.Validation.Length);
        double[] weights = run.Members is not null
            ? [0, .. names.Select(_ => 1.0 / names.Count)]
            : run.WeightsFrom is string from ? [.. results.Single(r => r.Name == from).Weights ?? throw new ConfigException(suite.Name, 0, $"run '{run.Name}': '{from}' is not a blend")]
            : validated ? Blending.FitLeastSquares(validation, [.. split.Validation.Select(r => r.Value)])
            : throw new ConfigException(suite.Name, 0, $"run '{run.Name}': a blend of runs without validation predictions needs weights_from");
        if (weights.Length != names.Count + 1)
        {
            throw new ConfigException(suite.Name, 0, $"run '{run.Name}': {weights.Length - 1} weights for {names.Count} members");
        }

        RatingScale scale = data.Scale;
        RmseResult testRmse = Blending.Score(test, weights, split.Test, scale);
        RmseResult validationRmse = validated ? Blending.Score(validation, weights, split.Validation, scale) : new RmseResult(double.NaN, double.NaN, 0);
        RunResult[] members = [.. names.Select(n => results.Single(r => r.Name == n))];
        var result = new RunResult
        {
            Name = run.Name,
            Label = run.Label,
            Config = [],
            Seed = run.Seed,
            X = run.X,
            Series = run.Series,
            Path = string.Join("+", members.Select(m => m.Path).Distinct()),
            TestRmse = testRmse.Global,
            TestRmseUserMean = testRmse.UserMean,
            LastEpochTestRmse = double.NaN,
            LastEpochTestRmseUserMean = double.NaN,
            ValidationRmse = validationRmse.Global,
            TrainRmse = double.NaN,
            BestEpoch = members.Average(m => m.BestEpoch),
            Epochs = members.Max(m => m.Epochs),
            Seconds = Math.Round(members.Sum(m => m.Seconds), 1),
            SplitSeed = seeds[0],
            Members = names,
            Weights = [.. weights.Select(w => Math.Round(w, 6))],
        };
        output.WriteLine($"[{suite.Name} {run.Name}] {(run.Members is not null ? "mean" : "blend")} of {string.Join(", ", names)}");
        return (result, 0, null);
    }

    private (RunResult, double, PartOutcome?) Folds(RunSpec run, ModelConfig config, int folds, ExperimentData data, string folder, string prefix, CancellationToken cancellation)
    {
        var parts = new List<PartOutcome>();
        double seconds = 0;
        for (int f = 0; f < folds; f++)
        {
            string name = $"fold-{f + 1}";
            string key = PartTrainer.Key(config, data.Fingerprint, $"fold {f + 1} of {folds}");
            string partFolder = Path.Combine(folder, name);
            PartOutcome? part = PartTrainer.TryRead(partFolder, key, config.ToJson());
            if (part is null)
            {
                part = PartTrainer.Train(partFolder, key, name, config, data.ForFold(config, folds, f), new RunProgress(output, $"{prefix} {name}/{folds}", 50), cancellation);
                seconds += part.Result.Seconds;
            }

            parts.Add(part);
        }

        PartResult[] results = [.. parts.Select(p => p.Result)];
        RunResult mean = ResultOf(run, config, parts[0], results) with
        {
            TestRmse = results.Average(p => p.TestRmse),
            TestRmseUserMean = results.Average(p => p.TestRmseUserMean),
            LastEpochTestRmse = results.Average(p => p.LastEpochTestRmse),
            LastEpochTestRmseUserMean = results.Average(p => p.LastEpochTestRmseUserMean),
            ValidationRmse = results.Average(p => p.ValidationRmse),
            TrainRmse = results.Average(p => p.TrainRmse),
            BestEpoch = results.Average(p => p.BestEpoch),
            Sd = new Spread(
                Spread.SampleSd(results.Select(p => p.TestRmse)), Spread.SampleSd(results.Select(p => p.TestRmseUserMean)),
                Spread.SampleSd(results.Select(p => p.LastEpochTestRmseUserMean))),
        };
        return (Diverged(mean, parts), seconds, null);
    }

    private (RunResult, double, PartOutcome?) Groups(
        RunSpec run, ModelConfig config, string spec, ExperimentData data, string folder, string prefix, Dictionary<string, PartOutcome> finished, CancellationToken cancellation)
    {
        IReadOnlyDictionary<int, string> partition = UserGroups.Of(spec, data.Users, data.Train, data.SplitSeed);
        PartOutcome? compare = run.Compare is null ? null
            : finished.TryGetValue(run.Compare, out PartOutcome? c) ? c
            : throw new ConfigException(run.Compare, 0, $"run '{run.Name}' compares with '{run.Compare}', which must be a single run listed before it");
        var groups = partition.GroupBy(p => p.Value).OrderBy(g => g.Key, StringComparer.Ordinal).ToArray();
        var parts = new List<PartOutcome>();
        var all = new Dictionary<int, (double Sum, int Count)>();
        double seconds = 0;
        for (int g = 0; g < groups.Length; g++)
        {
            var users = groups[g].Select(p => p.Key).ToHashSet();
            string name = groups[g].Key.StartsWith("cluster-", StringComparison.Ordinal) ? groups[g].Key : $"group-{groups[g].Key}";
            string members = PartTrainer.Hash(string.Join(",", users.Order()))[..16];
            string key = PartTrainer.Key(config, data.Fingerprint, $"{spec} {name}: {users.Count} users {members}");
            string partFolder = Path.Combine(folder, name);
            PartOutcome? part = PartTrainer.TryRead(partFolder, key, config.ToJson());
            if (part is null)
            {
                part = PartTrainer.Train(
                    partFolder, key, name, config, data.For(config, users), new RunProgress(output, $"{prefix} {name} ({g + 1}/{groups.Length}, {users.Count} users)", 100), cancellation);
                seconds += part.Result.Seconds;
            }

            foreach ((int user, (double, int) errors) in part.UserErrors)
            {
                all[user] = errors;
            }

            PartResult result = part.Result;
            if (compare is not null)
            {
                (double global, double userMean) = Combine(compare.UserErrors.Where(e => users.Contains(e.Key)).Select(e => e.Value));
                result = result with { CompareTestRmse = global, CompareTestRmseUserMean = userMean };
            }

            parts.Add(part with { Result = result });
        }

        (double testRmse, double testUserMean) = Combine(all.Values);
        PartResult[] results = [.. parts.Select(p => p.Result)];
        int ratings = results.Sum(p => p.TestRatings);
        int userCount = results.Sum(p => p.Users);
        RunResult combined = ResultOf(run, config, parts[0], results) with
        {
            TestRmse = testRmse,
            TestRmseUserMean = testUserMean,
            LastEpochTestRmse = Math.Sqrt(results.Sum(p => p.LastEpochTestRmse * p.LastEpochTestRmse * p.TestRatings) / ratings),
            LastEpochTestRmseUserMean = results.Sum(p => p.LastEpochTestRmseUserMean * p.Users) / userCount,
            ValidationRmse = double.NaN,
            TrainRmse = double.NaN,
            BestEpoch = results.Average(p => p.BestEpoch),
        };
        return (Diverged(combined, parts), seconds, null);
    }

    private static RunResult ResultOf(RunSpec run, ModelConfig config, PartOutcome first, PartResult[] parts) =>
        ResultOf(run, JsonNode.Parse(config.ToJson())!.AsObject(), first, parts);

    private static RunResult ResultOf(RunSpec run, JsonObject config, PartOutcome first, PartResult[] parts) => new()
    {
        Name = run.Name,
        Label = run.Label,
        Config = config,
        Seed = run.Seed,
        X = run.X,
        Series = run.Series,
        Path = first.Path,
        TestRmse = first.Result.TestRmse,
        TestRmseUserMean = first.Result.TestRmseUserMean,
        LastEpochTestRmse = first.Result.LastEpochTestRmse,
        LastEpochTestRmseUserMean = first.Result.LastEpochTestRmseUserMean,
        ValidationRmse = first.Result.ValidationRmse,
        TrainRmse = first.Result.TrainRmse,
        BestEpoch = first.Result.BestEpoch,
        Epochs = parts.Max(p => p.Epochs),
        Seconds = Math.Round(parts.Sum(p => p.Seconds), 1),
        Parts = parts.Length > 1 ? parts : null,
        Note = first.Note,
    };

    /// <summary>A run of several models has no numbers when one of them diverged: the note names it.</summary>
    private static RunResult Diverged(RunResult result, List<PartOutcome> parts)
    {
        string[] notes = [.. parts.Where(p => p.Note is not null).Select(p => $"{p.Result.Name}: {p.Note}")];
        return notes.Length == 0 ? result : result with
        {
            TestRmse = double.NaN,
            TestRmseUserMean = double.NaN,
            LastEpochTestRmse = double.NaN,
            LastEpochTestRmseUserMean = double.NaN,
            Note = string.Join("; ", notes),
        };
    }

    /// <summary>A finished model with this key in another run folder of <see cref="ExperimentOptions.OutputDir"/>.</summary>
    private string? FindElsewhere(string key, string folder)
    {
        if (!Directory.Exists(options.OutputDir))
        {
            return null;
        }

        string self = Path.GetFullPath(folder);
        return Directory.EnumerateDirectories(options.OutputDir)
            .SelectMany(Directory.EnumerateDirectories)
            .Where(d => Path.GetFullPath(d) != self)
            .FirstOrDefault(d => PartTrainer.TryRead(d, key) is not null);
    }

    private static (double Global, double UserMean) Combine(IEnumerable<(double Sum, int Count)> users)
    {
        (double Sum, int Count)[] all = [.. users.Where(u => u.Count > 0)];
        if (all.Length == 0)
        {
            return (double.NaN, double.NaN);
        }

        return (Math.Sqrt(all.Sum(u => u.Sum) / all.Sum(u => u.Count)), all.Average(u => Math.Sqrt(u.Sum / u.Count)));
    }

    private static string Format(double? value) => value is double v ? v.ToString("F4", CultureInfo.InvariantCulture) : "-";
}
