using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using AutoRec.Training.Baselines;
using AutoRec.Training.Configuration;

namespace AutoRec.Training.Experiments;

/// <summary>
/// A suite: the runs of one table (or figure) of the seed report, each a model config made of the suite's base config
/// and the run's changes. Loaded from <c>experiments/&lt;name&gt;.json</c> next to the trainer.
/// </summary>
public sealed record ExperimentSuite
{
    internal static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>The suite's name (its file name without .json).</summary>
    public string Name { get; init; } = "";

    /// <summary>What the suite compares, for the report's heading.</summary>
    public string Title { get; init; } = "";

    /// <summary>Where the seed report has it, e.g. "Table 2".</summary>
    public string SeedSection { get; init; } = "";

    /// <summary>The base config: a file name in the trainer's <c>configs/</c> folder (without .json).</summary>
    public string Base { get; init; } = "";

    /// <summary>The Markdown file in the docs folder that holds the suite's table.</summary>
    public string Document { get; init; } = "experiments.md";

    /// <summary>Whether the report adds a table of each series' mean and spread (runs repeated over split seeds).</summary>
    public bool SummarizeSeries { get; init; }

    /// <summary>The figure the suite draws.</summary>
    public PlotSpec Plot { get; init; } = new();

    /// <summary>The runs, in report order.</summary>
    public IReadOnlyList<RunSpec> Runs { get; init; } = [];

    /// <summary>Reads and checks a suite file, and every run's config.</summary>
    /// <exception cref="ConfigException">The file or one of its runs is not usable.</exception>
    public static ExperimentSuite Load(string path, string configsDir)
    {
        if (!File.Exists(path))
        {
            throw new ConfigException(path, 0, "suite file not found");
        }

        ExperimentSuite? suite;
        try
        {
            suite = JsonSerializer.Deserialize<ExperimentSuite>(File.ReadAllText(path), JsonOptions);
        }
        catch (JsonException e)
        {
            throw new ConfigException(path, e.LineNumber is long l ? (int)l + 1 : 0, e.Message);
        }

        if (suite is null || suite.Runs.Count == 0)
        {
            throw new ConfigException(path, 0, "a suite needs at least one run");
        }

        suite = suite with { Name = Path.GetFileNameWithoutExtension(path) };
        if (suite.Document.Length == 0 || Path.GetFileName(suite.Document) != suite.Document || !suite.Document.EndsWith(".md", StringComparison.Ordinal))
        {
            throw new ConfigException(path, 0, $"document '{suite.Document}' must be a Markdown file name (no folders)");
        }
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (RunSpec run in suite.Runs)
        {
            if (!names.Add(run.Name) || run.Name.Length == 0 || run.Name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')))
            {
                throw new ConfigException(path, 0, $"run name '{run.Name}' must be unique and made of letters, digits, '-', '_' and '.'");
            }

            if (run.Compare is not null && !suite.Runs.Any(r => r.Name == run.Compare))
            {
                throw new ConfigException(path, 0, $"run '{run.Name}': compare names no run of the suite ('{run.Compare}')");
            }

            string[] earlier = [.. suite.Runs.TakeWhile(r => r != run).Select(r => r.Name)];
            string?[] uses = [run.RefitOf, run.WeightsFrom, .. run.Members ?? [], .. run.Blend ?? []];
            foreach (string? name in uses)
            {
                if (name is not null && !earlier.Contains(name))
                {
                    throw new ConfigException(path, 0, $"run '{run.Name}' uses '{name}', which must be a run listed before it");
                }
            }

            if (run.RefitOf is string of && suite.Runs.First(r => r.Name == of) is { Folds: not null } or { Groups: not null } or { RefitOf: not null } or { Combines: true })
            {
                throw new ConfigException(path, 0, $"run '{run.Name}' refits '{of}', which is not a single trained run");
            }

            if (run.SplitSeed is not null && (run.Folds is not null || run.Groups is not null))
            {
                throw new ConfigException(path, 0, $"run '{run.Name}': split_seed applies to single runs only (folds and groups use the pipeline's split)");
            }

            int kinds = new[] { run.Folds is not null, run.Groups is not null, run.RefitOf is not null, run.Members is not null, run.Blend is not null }.Count(k => k);
            if (kinds > 1)
            {
                throw new ConfigException(path, 0, $"run '{run.Name}': folds, groups, refit_of, members and blend do not combine");
            }

            if (!run.Combines && run.Mf is null && run.RefitOf is null)
            {
                _ = suite.ConfigOf(run, configsDir, path);
            }

            if (run.Mf is { Factors: <= 0 } or { Sweeps: <= 0 } or { L2: < 0 })
            {
                throw new ConfigException(path, 0, $"run '{run.Name}': mf needs factors > 0, sweeps > 0 and l2 >= 0");
            }
        }

        return suite;
    }

    /// <summary>The model config of <paramref name="run"/>: the base config with the run's changes applied.</summary>
    /// <exception cref="ConfigException">The result is not a valid config.</exception>
    public ModelConfig ConfigOf(RunSpec run, string configsDir, string source)
    {
        ArgumentNullException.ThrowIfNull(run);
        string baseName = run.Base ?? Base;
        string basePath = Path.Combine(configsDir, baseName + ".json");
        if (!File.Exists(basePath))
        {
            throw new ConfigException(source, 0, $"base config '{baseName}' not found in {configsDir}");
        }

        JsonObject merged = JsonNode.Parse(File.ReadAllText(basePath), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip })!.AsObject();
        foreach ((string key, JsonNode? value) in run.Config ?? [])
        {
            merged[key] = value?.DeepClone();
        }

        merged["name"] = $"{Name}/{run.Name}";
        return ModelConfig.Parse(merged.ToJsonString(), $"{source} (run '{run.Name}')");
    }
}

/// <summary>One run of a suite.</summary>
public sealed record RunSpec
{
    /// <summary>The run's folder name.</summary>
    public string Name { get; init; } = "";

    /// <summary>The row label in the report (the seed's wording where it has one).</summary>
    public string Label { get; init; } = "";

    /// <summary>A base config of its own instead of the suite's.</summary>
    public string? Base { get; init; }

    /// <summary>Changes to the base config (snake_case keys, as in a config file).</summary>
    public JsonObject? Config { get; init; }

    /// <summary>The seed report's figures for this row, when it gives any.</summary>
    public SeedFigures? Seed { get; init; }

    /// <summary>The x value of the row in a sweep plot (λ, noise level).</summary>
    public double? X { get; init; }

    /// <summary>The series of the row in a sweep plot.</summary>
    public string? Series { get; init; }

    /// <summary>Train once per fold of a k-fold split of all ratings instead of on the pipeline's split (k ≥ 2).</summary>
    public int? Folds { get; init; }

    /// <summary>
    /// Train one model per group of users ("age-gender": the users' age and gender bands; "kmeans-K": K clusters of
    /// their rating vectors) and score all of them together.
    /// </summary>
    public string? Groups { get; init; }

    /// <summary>A run of the same suite whose per-user errors this run is compared with, group by group.</summary>
    public string? Compare { get; init; }

    /// <summary>Train on a fresh split of all the ratings with this seed (the pipeline's fractions) instead of the pipeline's split.</summary>
    public long? SplitSeed { get; init; }

    /// <summary>
    /// Protocol B: retrain the config of this earlier single run of the suite (same split seed) on its train and
    /// validation ratings together, for as many epochs as that run's best epoch, and score test once.
    /// </summary>
    public string? RefitOf { get; init; }

    /// <summary>An ensemble: the mean of these earlier single runs' predictions (all on one split).</summary>
    public IReadOnlyList<string>? Members { get; init; }

    /// <summary>A blend: these earlier runs' predictions weighted by least squares (with an intercept) fit on validation.</summary>
    public IReadOnlyList<string>? Blend { get; init; }

    /// <summary>With <see cref="Blend"/>: take the weights of this earlier blend instead of fitting (refit members have no validation ratings).</summary>
    public string? WeightsFrom { get; init; }

    /// <summary>Train biased matrix factorisation with these settings instead of an autoencoder (the suite's base config is not used).</summary>
    public MatrixFactorizationConfig? Mf { get; init; }

    /// <summary>Whether the run combines other runs' predictions instead of training.</summary>
    [JsonIgnore]
    public bool Combines => Members is not null || Blend is not null;
}

/// <summary>The seed report's numbers for a row: mean of per-user RMSEs on test and train.</summary>
/// <param name="Test">Test RMSE (mean of per-user RMSEs).</param>
/// <param name="Train">Train RMSE, where the report gives it.</param>
public sealed record SeedFigures(double? Test, double? Train);

/// <summary>The figure of a suite.</summary>
public sealed record PlotSpec
{
    /// <summary>"bars" (ours beside the seed's per row), "sweep" (test RMSE against each row's x, one line per series) or "curves" (validation RMSE per epoch of <see cref="Runs"/>).</summary>
    public string Kind { get; init; } = "bars";

    /// <summary>The x axis label of a sweep.</summary>
    public string? XLabel { get; init; }

    /// <summary>Whether a sweep's x axis is logarithmic.</summary>
    public bool LogX { get; init; }

    /// <summary>The runs whose learning curves are drawn.</summary>
    public IReadOnlyList<string>? Runs { get; init; }
}
