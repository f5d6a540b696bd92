using AutoRec.Data;
using AutoRec.Training.Configuration;
using AutoRec.Training.Experiments;

namespace AutoRec.Training.Tests;

/// <summary>
/// The experiment runner on a small split: every kind of run (single, folds, groups compared with a global model),
/// results, table and figure, skipping finished runs, reusing identical runs of other suites, resuming an interrupted
/// suite, and rebuilding the report from the results alone.
/// </summary>
public sealed class ExperimentTests
{
    private const string BaseConfig = """
        { "kind": "user-based", "layers": [8], "hidden_activation": "sigmoid", "output_activation": "identity",
          "learning_rate": 0.01, "batch_size": 8, "epochs": 3, "threads": 1, "seed": 7 }
        """;

    private const string Suite = """
        {
          // a comment, as in the shipped suites
          "title": "Tiny", "seed_section": "Table 0", "base": "tiny",
          "plot": { "kind": "sweep", "x_label": "λ", "log_x": true },
          "runs": [
            { "name": "global", "label": "global", "x": 0.001, "seed": { "test": 0.9, "train": 0.8 } },
            { "name": "l2", "label": "more L2", "x": 0.1, "config": { "l2_encoder": 0.1, "l2_decoder": 0.1 } },
            { "name": "folds", "label": "two folds", "folds": 2 },
            { "name": "genders", "label": "per gender and age", "groups": "age-gender", "compare": "global" },
            { "name": "clusters", "label": "per cluster", "groups": "kmeans-2", "compare": "global" }
          ]
        }
        """;

    [Fact]
    public void A_suite_trains_every_kind_of_run_and_writes_results_table_and_figure()
    {
        using var temp = new TempDir();
        ExperimentOptions options = Fixture(temp);
        var log = new StringWriter();
        SuiteResults results = new ExperimentRunner(options, log).Run("tiny");

        Assert.Equal(["global", "l2", "folds", "genders", "clusters"], results.Runs.Select(r => r.Name));
        Assert.All(results.Runs, r => Assert.InRange(r.TestRmseUserMean, 0.1, 4));
        RunResult global = results.Runs[0];
        Assert.Equal(3, global.Epochs);
        Assert.Equal("sparse", global.Path);
        Assert.Equal(3, global.History!.Validation.Count);
        Assert.Equal(0.9, global.Seed!.Test);

        RunResult folds = results.Runs[2];
        Assert.Equal(2, folds.Parts!.Count);
        Assert.NotNull(folds.Sd);
        Assert.Equal(folds.Parts.Average(p => p.TestRmse), folds.TestRmse, 12);

        // Groups: one model per group, every user scored once, each group beside the global model on its users.
        RunResult genders = results.Runs[3];
        Assert.Equal(4, genders.Parts!.Count);
        Assert.Equal(global.Parts?.Sum(p => p.Users) ?? 40, genders.Parts.Sum(p => p.Users));
        Assert.All(genders.Parts, p => Assert.NotNull(p.CompareTestRmseUserMean));
        Assert.Equal(2, results.Runs[4].Parts!.Count);

        string markdown = File.ReadAllText(Path.Combine(options.DocsDir, "experiments.md"));
        Assert.Contains("<!-- results:tiny", markdown, StringComparison.Ordinal);
        Assert.Contains("| global | 0.9000 |", markdown, StringComparison.Ordinal);
        Assert.Contains("per gender and age, part by part", markdown, StringComparison.Ordinal);
        Assert.True(new FileInfo(Path.Combine(options.DocsDir, "experiments", "tiny.png")).Length > 1000);
        Assert.True(File.Exists(Path.Combine(options.DocsDir, "results", "tiny.json")));
        Assert.True(File.Exists(Path.Combine(options.OutputDir, "tiny", "folds", "fold-2", "part.json")));
        Assert.False(Directory.Exists(Path.Combine(options.OutputDir, "tiny", "global", "checkpoint")));
        foreach (string file in new[] { "config.json", "history.csv", "learning-curve.png", "part.json", "test-users.csv", "predictions.bin" })
        {
            Assert.True(File.Exists(Path.Combine(options.OutputDir, "tiny", "global", file)), file);
        }

        Assert.Equal([8], ModelConfig.Load(Path.Combine(options.OutputDir, "tiny", "global", "config.json")).Layers);
    }

    [Fact]
    public void A_finished_run_is_skipped_a_changed_one_retrained_and_an_identical_one_elsewhere_reused()
    {
        using var temp = new TempDir();
        ExperimentOptions options = Fixture(temp, suite: """
            { "title": "T", "seed_section": "S", "base": "tiny", "runs": [ { "name": "a", "label": "a" }, { "name": "b", "label": "b", "config": { "dropout": 0.2 } } ] }
            """);
        SuiteResults first = new ExperimentRunner(options, new StringWriter()).Run("tiny");
        DateTime written = File.GetLastWriteTimeUtc(Path.Combine(options.OutputDir, "tiny", "a", "part.json"));

        var again = new StringWriter();
        SuiteResults second = new ExperimentRunner(options, again).Run("tiny");
        Assert.Equal(2, again.ToString().Split("finished earlier: skipped").Length - 1);
        Assert.Equal(first.Runs.Select(r => r.TestRmse), second.Runs.Select(r => r.TestRmse));
        Assert.Equal(written, File.GetLastWriteTimeUtc(Path.Combine(options.OutputDir, "tiny", "a", "part.json")));

        // Another suite with run a's config (under another name) takes it; run b's changed config trains.
        File.WriteAllText(Path.Combine(options.SuitesDir, "other.json"), """
            { "title": "O", "seed_section": "S", "base": "tiny", "runs": [ { "name": "same", "label": "same" }, { "name": "changed", "label": "changed", "config": { "dropout": 0.3 } } ] }
            """);
        var other = new StringWriter();
        SuiteResults third = new ExperimentRunner(options, other).Run("other");
        Assert.Contains("trained in tiny/a: reused", other.ToString(), StringComparison.Ordinal);
        Assert.Equal("tiny/a", third.Runs[0].ReusedFrom);
        Assert.Equal(first.Runs[0].TestRmse, third.Runs[0].TestRmse);
        Assert.Contains("[other 2/2 changed] epoch 3/3", other.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_interrupted_suite_resumes_and_keeps_its_finished_runs()
    {
        using var temp = new TempDir();
        ExperimentOptions options = Fixture(temp, suite: """
            { "title": "T", "seed_section": "S", "base": "tiny", "runs": [ { "name": "a", "label": "a" }, { "name": "b", "label": "b", "config": { "epochs": 60 } } ] }
            """);
        using var cancel = new CancellationTokenSource();
        var interrupted = new CancellingWriter("[tiny 2/2 b] epoch 50/60", cancel);
        Assert.Throws<OperationCanceledException>(() => new ExperimentRunner(options, interrupted).Run("tiny", cancel.Token));
        Assert.Single(SuiteResults.Read(Path.Combine(options.DocsDir, "results", "tiny.json")).Runs);

        var resumed = new StringWriter();
        SuiteResults results = new ExperimentRunner(options, resumed).Run("tiny");
        Assert.Contains("[tiny 1/2 a] finished earlier: skipped", resumed.ToString(), StringComparison.Ordinal);
        Assert.Contains("[tiny 2/2 b] resuming after epoch 50 of 60", resumed.ToString(), StringComparison.Ordinal);
        Assert.Equal(2, results.Runs.Count);
        Assert.Equal(60, results.Runs[1].Epochs);
    }

    [Fact]
    public void A_suite_that_fails_half_way_keeps_the_rows_it_published_before()
    {
        using var temp = new TempDir();
        ExperimentOptions options = Fixture(temp, suite: """
            { "title": "T", "seed_section": "S", "base": "tiny", "runs": [ { "name": "a", "label": "a" }, { "name": "b", "label": "b" }, { "name": "c", "label": "c" } ] }
            """);
        SuiteResults first = new ExperimentRunner(options, new StringWriter()).Run("tiny");

        // b changes and is interrupted: a (skipped) is republished, b and c keep their earlier rows.
        string suiteFile = Path.Combine(options.SuitesDir, "tiny.json");
        File.WriteAllText(suiteFile, File.ReadAllText(suiteFile).Replace("""{ "name": "b", "label": "b" }""", """{ "name": "b", "label": "b", "config": { "epochs": 60 } }""", StringComparison.Ordinal));
        using var cancel = new CancellationTokenSource();
        Assert.Throws<OperationCanceledException>(() => new ExperimentRunner(options, new CancellingWriter("[tiny 2/3 b] epoch 50/60", cancel)).Run("tiny", cancel.Token));

        SuiteResults kept = SuiteResults.Read(Path.Combine(options.DocsDir, "results", "tiny.json"));
        Assert.Equal(["a", "b", "c"], kept.Runs.Select(r => r.Name));
        Assert.Equal(first.Runs.Select(r => r.TestRmse), kept.Runs.Select(r => r.TestRmse));
    }

    [Fact]
    public void A_diverged_fold_leaves_the_run_without_numbers_and_says_which()
    {
        using var temp = new TempDir();
        ExperimentOptions options = Fixture(temp, suite: """
            { "title": "T", "seed_section": "S", "base": "tiny", "runs": [ { "name": "cv", "label": "cv", "folds": 2, "config": { "learning_rate": 1e30 } } ] }
            """);
        RunResult cv = new ExperimentRunner(options, new StringWriter()).Run("tiny").Runs.Single();
        Assert.True(double.IsNaN(cv.TestRmse));
        Assert.Contains("fold-1: diverged at epoch", cv.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void The_report_is_rebuilt_from_the_results_alone_and_keeps_the_prose_around_it()
    {
        using var temp = new TempDir();
        ExperimentOptions options = Fixture(temp);
        _ = new ExperimentRunner(options, new StringWriter()).Run("tiny");
        string markdown = Path.Combine(options.DocsDir, "experiments.md");
        string figure = Path.Combine(options.DocsDir, "experiments", "tiny.png");
        string generated = File.ReadAllText(markdown);
        File.WriteAllText(markdown, "# Our prose before\n\n" + generated.Replace("# Experiments\n", "", StringComparison.Ordinal) + "\nProse after.\n");
        File.Delete(figure);
        Directory.Delete(options.OutputDir, recursive: true);
        string suiteFile = Path.Combine(options.SuitesDir, "tiny.json");
        File.WriteAllText(suiteFile, File.ReadAllText(suiteFile).Replace("\"label\": \"global\"", "\"label\": \"one global model\"", StringComparison.Ordinal));

        new ExperimentRunner(options, new StringWriter()).Report("tiny");

        string rebuilt = File.ReadAllText(markdown);
        Assert.StartsWith("# Our prose before", rebuilt, StringComparison.Ordinal);
        Assert.EndsWith("Prose after.\n", rebuilt, StringComparison.Ordinal);
        Assert.Single(rebuilt.Split("<!-- /results:tiny -->").Skip(1));
        Assert.Contains("| one global model | 0.9000 |", rebuilt, StringComparison.Ordinal); // labels come from the suite file
        Assert.True(File.Exists(figure));
    }

    [Fact]
    public void Split_seeds_refits_ensembles_and_blends_follow_the_two_protocols()
    {
        using var temp = new TempDir();
        ExperimentOptions options = Fixture(temp, suite: """
            { "title": "T", "seed_section": "S", "base": "tiny", "summarize_series": true, "document": "accuracy.md", "runs": [
                { "name": "a", "label": "a", "series": "cosine", "split_seed": 5, "config": { "epochs": 6, "lr_schedule": "cosine" } },
                { "name": "b", "label": "b", "split_seed": 5, "config": { "epochs": 6, "lr_schedule": "cosine", "seed": 8, "layers": [6] } },
                { "name": "a-refit", "label": "a, refit", "refit_of": "a" },
                { "name": "b-refit", "label": "b, refit", "refit_of": "b" },
                { "name": "mean", "label": "mean", "members": ["a", "b"] },
                { "name": "blend", "label": "blend", "blend": ["a", "b"] },
                { "name": "refit-mean", "label": "refit mean", "members": ["a-refit", "b-refit"] },
                { "name": "refit-blend", "label": "refit blend", "blend": ["a-refit", "b-refit"], "weights_from": "blend" },
                { "name": "mf", "label": "biased MF", "split_seed": 5, "mf": { "factors": 2, "l2": 0.05, "sweeps": 4 } },
                { "name": "mf-refit", "label": "biased MF, refit", "refit_of": "mf" },
                { "name": "with-mf", "label": "a + b + MF", "blend": ["a", "b", "mf"] },
                { "name": "other", "label": "other split", "series": "cosine", "split_seed": 6, "config": { "epochs": 6, "lr_schedule": "cosine" } } ] }
            """);
        var log = new StringWriter();
        SuiteResults results = new ExperimentRunner(options, log).Run("tiny");
        RunResult Run(string name) => results.Runs.Single(r => r.Name == name);

        Assert.Equal(5, Run("a").SplitSeed);
        Assert.NotEqual(Run("a").TestRmse, Run("other").TestRmse);
        Assert.Equal("a", Run("a-refit").RefitOf);
        Assert.Equal(Run("a").BestEpoch, Run("a-refit").Epochs);
        Assert.True(double.IsNaN(Run("a-refit").ValidationRmse));
        Assert.Contains("refit of a: its config on train + validation", log.ToString(), StringComparison.Ordinal);

        // The mean ensemble is the mean of the members' kept predictions, scored like any run.
        var data = ExperimentData.Load(options.DataDir);
        RatingSplit split = data.SplitOf(5);
        float[] a = PartTrainer.ReadPredictions(Path.Combine(options.OutputDir, "tiny", "a"), split.Validation.Length, split.Test.Length)!.Value.Test;
        float[] b = PartTrainer.ReadPredictions(Path.Combine(options.OutputDir, "tiny", "b"), split.Validation.Length, split.Test.Length)!.Value.Test;
        var expected = new RmseAccumulator();
        for (int i = 0; i < split.Test.Length; i++)
        {
            expected.Add(split.Test[i].UserId, Math.Clamp((a[i] + b[i]) / 2.0, 1, 5), split.Test[i].Value);
        }

        Assert.Equal(expected.Result().Global, Run("mean").TestRmse, 6);
        Assert.Equal(["a", "b"], Run("mean").Members!);

        // Least squares on validation: at least as good there as either member (up to clipping).
        RunResult blend = Run("blend");
        Assert.Equal(3, blend.Weights!.Count);
        Assert.True(blend.ValidationRmse <= Math.Min(Run("a").ValidationRmse, Run("b").ValidationRmse) + 0.01);
        Assert.Equal(blend.Weights, Run("refit-blend").Weights);
        Assert.True(double.IsFinite(Run("refit-mean").TestRmse));

        string markdown = File.ReadAllText(Path.Combine(options.DocsDir, "accuracy.md"));
        Assert.Contains($"| cosine | 2 | {(Run("a").TestRmse + Run("other").TestRmse) / 2:F4} ± ", markdown, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(options.DocsDir, "experiments.md")));

        Assert.Equal("als", Run("mf").Path);
        Assert.Equal(Run("mf").BestEpoch, Run("mf-refit").Epochs);
        Assert.Equal(4, Run("with-mf").Weights!.Count);
        Assert.True(Run("with-mf").ValidationRmse <= blend.ValidationRmse + 1e-9);
    }

    [Theory]
    [InlineData("""{ "name": "x", "label": "x", "members": ["a", "c"] }""", "combines runs of different splits")]
    [InlineData("""{ "name": "x", "label": "x", "blend": ["a-refit"] }""", "needs weights_from")]
    [InlineData("""{ "name": "x", "label": "x", "refit_of": "d" }""", "a refit has no validation to follow")]
    public void Combinations_that_cannot_be_made_fail_naming_the_run(string bad, string expected)
    {
        using var temp = new TempDir();
        ExperimentOptions options = Fixture(temp, suite: $$"""
            { "title": "T", "seed_section": "S", "base": "tiny", "runs": [
                { "name": "a", "label": "a", "split_seed": 5 },
                { "name": "c", "label": "c", "split_seed": 6 },
                { "name": "d", "label": "d", "config": { "lr_decay_patience": 1 } },
                { "name": "a-refit", "label": "a, refit", "refit_of": "a" },
                {{bad}} ] }
            """);
        ConfigException e = Assert.Throws<ConfigException>(() => new ExperimentRunner(options, new StringWriter()).Run("tiny"));
        Assert.Contains("run 'x'", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "title": "T", "base": "tiny", "runs": [] }""", "at least one run")]
    [InlineData("""{ "title": "T", "base": "tiny", "runs": [ { "name": "a b", "label": "x" } ] }""", "run name 'a b'")]
    [InlineData("""{ "title": "T", "base": "nope", "runs": [ { "name": "a", "label": "x" } ] }""", "base config 'nope' not found")]
    [InlineData("""{ "title": "T", "base": "tiny", "runs": [ { "name": "a", "label": "x", "config": { "dropout": 2 } } ] }""", "dropout must be in [0, 1)")]
    [InlineData("""{ "title": "T", "base": "tiny", "runs": [ { "name": "a", "label": "x", "compare": "b" } ] }""", "compare names no run")]
    [InlineData("""{ "title": "T", "base": "tiny", "runs": [ { "name": "a", "label": "x", "extra": 1 } ] }""", "extra")]
    [InlineData("""{ "title": "T", "base": "tiny", "runs": [ { "name": "a", "label": "x", "members": ["b"] }, { "name": "b", "label": "y" } ] }""", "must be a run listed before it")]
    [InlineData("""{ "title": "T", "base": "tiny", "document": "../x.md", "runs": [ { "name": "a", "label": "x" } ] }""", "must be a Markdown file name")]
    [InlineData("""{ "title": "T", "base": "tiny", "runs": [ { "name": "a", "label": "x", "folds": 2 }, { "name": "b", "label": "y", "refit_of": "a" } ] }""", "not a single trained run")]
    [InlineData("""{ "title": "T", "base": "tiny", "runs": [ { "name": "a", "label": "x", "folds": 2, "split_seed": 3 } ] }""", "split_seed applies to single runs only")]
    [InlineData("""{ "title": "T", "base": "tiny", "runs": [ { "name": "a", "label": "x" }, { "name": "b", "label": "y", "refit_of": "a", "folds": 2 } ] }""", "do not combine")]
    public void Bad_suites_fail_naming_the_file_and_the_problem(string json, string expected)
    {
        using var temp = new TempDir();
        ExperimentOptions options = Fixture(temp, suite: json);
        ConfigException e = Assert.Throws<ConfigException>(() => new ExperimentRunner(options, new StringWriter()).Load("tiny"));
        Assert.Contains("tiny.json", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_shipped_suites_load_and_cover_the_seed_reports_experiments()
    {
        string tool = AppContext.BaseDirectory;
        var runner = new ExperimentRunner(
            new ExperimentOptions("unused", "unused", "unused", Path.Combine(tool, "experiments"), Path.Combine(tool, "configs")), TextWriter.Null);
        IReadOnlyList<ExperimentSuite> suites = runner.List();
        Assert.Equal(
            ["accuracy", "activations", "architectures", "defaults", "future-work", "groups", "hybrid", "item-based", "noise", "regularization"],
            suites.Select(s => s.Name));
        Assert.Equal(9, suites.Single(s => s.Name == "activations").Runs.Count);
        Assert.Contains(suites.Single(s => s.Name == "future-work").Runs, r => r.Folds == 5);
        Assert.Contains(suites.Single(s => s.Name == "groups").Runs, r => r.Groups == "age-gender");
    }

    [Fact]
    public void Kmeans_separates_users_of_opposite_tastes_the_same_way_every_time()
    {
        // Users 1-10 love movies 1-5 and hate 6-10; users 11-20 the opposite (each also gives one middle rating).
        var ratings = new List<Rating>();
        for (int user = 1; user <= 20; user++)
        {
            for (int movie = 1; movie <= 10; movie++)
            {
                bool likes = (user <= 10) == (movie <= 5);
                ratings.Add(new Rating(user, movie, likes ? 5 : 1 + (user % 2), 0));
            }
        }

        int[] clusters = UserGroups.KMeans(ratings, 2, seed: 3, out int[] users);
        int[] again = UserGroups.KMeans(ratings, 2, seed: 3, out _);
        Assert.Equal(Enumerable.Range(1, 20), users);
        Assert.Equal(clusters, again);
        Assert.Single(clusters.Take(10).Distinct());
        Assert.Single(clusters.Skip(10).Distinct());
        Assert.NotEqual(clusters[0], clusters[10]);
    }

    private static ExperimentOptions Fixture(TempDir temp, string suite = Suite)
    {
        string data = Path.Combine(temp.Root, "data");
        Directory.CreateDirectory(data);
        RatingSplit split = RatingSplitter.Split(SyntheticRatings.Generate(), new SplitOptions(3));
        ParquetTables.WriteRatings(Path.Combine(data, "train.parquet"), split.Train);
        ParquetTables.WriteRatings(Path.Combine(data, "validation.parquet"), split.Validation);
        ParquetTables.WriteRatings(Path.Combine(data, "test.parquet"), split.Test);
        ParquetTables.WriteUsers(
            Path.Combine(data, "users.parquet"),
            [.. Enumerable.Range(1, 40).Select(u => new User(u, u % 2 == 0 ? "F" : "M", u % 4 < 2 ? 18 : 25, "0", "00000"))]);

        string configs = Path.Combine(temp.Root, "configs");
        string suites = Path.Combine(temp.Root, "suites");
        Directory.CreateDirectory(configs);
        Directory.CreateDirectory(suites);
        File.WriteAllText(Path.Combine(configs, "tiny.json"), BaseConfig);
        File.WriteAllText(Path.Combine(suites, "tiny.json"), suite);
        return new ExperimentOptions(data, Path.Combine(temp.Root, "out"), Path.Combine(temp.Root, "docs"), suites, configs);
    }

    /// <summary>Cancels when a line starting with the given text is written (the runner checks between batches).</summary>
    private sealed class CancellingWriter(string trigger, CancellationTokenSource cancel) : StringWriter
    {
        public override void WriteLine(string? value)
        {
            base.WriteLine(value);
            if (value?.StartsWith(trigger, StringComparison.Ordinal) == true)
            {
                cancel.Cancel();
            }
        }
    }
}
