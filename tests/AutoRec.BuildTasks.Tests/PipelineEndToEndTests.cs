using System.Text.Json;
using Xunit.Abstractions;

namespace AutoRec.BuildTasks.Tests;

/// <summary>
/// Runs the real MSBuild pipeline (build-tasks/Pipeline, data stage only) as a child <c>dotnet build</c> on a tiny
/// ml-1m style dataset: outputs, incremental skips, a seed change, and a located error that keeps old outputs.
/// </summary>
[Collection(SerialPipelineBuilds.Name)]
public sealed class PipelineEndToEndTests : IDisposable
{
    private static readonly string[] DataFiles =
        ["ratings.parquet", "users.parquet", "movies.parquet", "train.parquet", "validation.parquet", "test.parquet", "split.json"];

    private readonly ITestOutputHelper _output;
    private readonly TempDir _dir = new();

    public PipelineEndToEndTests(ITestOutputHelper output) => _output = output;

    public void Dispose() => _dir.Dispose();

    [Fact]
    [Trait("Category", "EndToEnd")]
    public void DataStageRunsSkipsRerunsAndFailsCleanly()
    {
        string raw = _dir.PathOf("tiny");
        string outDir = _dir.PathOf("out");
        string dataDir = Path.Combine(outDir, "data");
        string ratings = Path.Combine(raw, "ratings.dat");
        TinyDataset.Write(raw);

        // 1. First run: converts and splits.
        (int code, string log) = Build(raw, outDir);
        Assert.True(code == 0, $"first build failed ({code}):\n{log}");
        foreach (string file in DataFiles)
        {
            Assert.True(File.Exists(Path.Combine(dataDir, file)), $"{file} was not written:\n{log}");
        }

        Assert.Contains("AutoRec: converted tiny", log, StringComparison.Ordinal);
        Assert.Equal(TinyDataset.Users * TinyDataset.RatingsPerUser, AutoRec.Data.ParquetTables.ReadRatings(Path.Combine(dataDir, "ratings.parquet")).Length);
        Dictionary<string, (byte[] Bytes, DateTime Time)> first = Snapshot(dataDir);

        // 2. The same build again: both stages are skipped and nothing is touched.
        (code, log) = Build(raw, outDir);
        Assert.True(code == 0, $"second build failed ({code}):\n{log}");
        Assert.Contains("convert is up to date, skipped", log, StringComparison.Ordinal);
        Assert.Contains("split is up to date, skipped", log, StringComparison.Ordinal);
        Assert.DoesNotContain("AutoRec: converted", log, StringComparison.Ordinal);
        AssertSame(first, Snapshot(dataDir), timestamps: true);

        // 3. Another seed: the split reruns, the conversion does not.
        (code, log) = Build(raw, outDir, "-p:SplitSeed=7");
        Assert.True(code == 0, $"build with SplitSeed=7 failed ({code}):\n{log}");
        Assert.Contains("convert is up to date, skipped", log, StringComparison.Ordinal);
        Assert.DoesNotContain("split is up to date", log, StringComparison.Ordinal);
        Assert.Contains("AutoRec: split 200 ratings (seed 7)", log, StringComparison.Ordinal);
        using (JsonDocument json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dataDir, "split.json"))))
        {
            Assert.Equal(7, json.RootElement.GetProperty("seed").GetInt64());
        }

        Dictionary<string, (byte[] Bytes, DateTime Time)> reseeded = Snapshot(dataDir);
        AssertSame(first.Where(f => !IsSplitOutput(f.Key)).ToDictionary(), reseeded, timestamps: true); // converted files untouched

        Assert.False(first["test.parquet"].Bytes.AsSpan().SequenceEqual(reseeded["test.parquet"].Bytes), "seed 7 gave the same test set");

        // 4. A duplicate (user, movie) pair on line 57: a located AR1005, a failed build, and the old files kept.
        TinyDataset.Write(raw, TinyDataset.WithDuplicate(57, 12));
        (code, log) = Build(raw, outDir, "-p:SplitSeed=7");
        Assert.True(code != 0, $"the build of a corrupt dataset succeeded:\n{log}");
        Assert.Contains($"{ratings}(57): error AR1005: ", log, StringComparison.Ordinal);
        Assert.Contains("first on line 12", log, StringComparison.Ordinal);
        AssertSame(reseeded, Snapshot(dataDir), timestamps: true);
        Assert.Empty(Directory.GetFiles(outDir, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    [Trait("Category", "EndToEnd")]
    public void WholePipelineTrainsExportsValidatesAndGates()
    {
        string raw = _dir.PathOf("tiny");
        string outDir = _dir.PathOf("out");
        string modelDir = Path.Combine(outDir, "model");
        string config = _dir.PathOf("tiny-config.json");
        TinyDataset.Write(raw);
        File.WriteAllText(config, """
            { "name": "tiny", "kind": "user-based", "layers": [8], "hidden_activation": "elu", "default": "user-mean",
              "learning_rate": 0.01, "batch_size": 8, "epochs": 5, "threads": 1, "seed": 3 }
            """);

        // 1. Every stage runs; a generous gate passes.
        (int code, string log) = BuildStages(raw, outDir, "validate", $"-p:ModelConfig={config}", "-p:MaxTestRmse=4");
        Assert.True(code == 0, $"pipeline build failed ({code}):\n{log}");
        foreach (string file in new[] { "model.onnx", "metrics.json", "history.csv", "learning-curve.png", "validation.json", "export.json" })
        {
            Assert.True(File.Exists(Path.Combine(modelDir, file)), $"{file} was not written:\n{log}");
        }

        Assert.Contains("ONNX Runtime matches TorchSharp", log, StringComparison.Ordinal);
        using (JsonDocument metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(modelDir, "metrics.json"))))
        using (JsonDocument validation = JsonDocument.Parse(File.ReadAllText(Path.Combine(modelDir, "validation.json"))))
        {
            double trained = metrics.RootElement.GetProperty("test_rmse").GetDouble();
            double validated = validation.RootElement.GetProperty("test_rmse").GetDouble();
            Assert.InRange(Math.Abs(trained - validated), 0, 1e-4);
        }

        // 2. Nothing changed: every stage says it is skipped.
        (code, log) = BuildStages(raw, outDir, "validate", $"-p:ModelConfig={config}", "-p:MaxTestRmse=4");
        Assert.True(code == 0, $"second build failed ({code}):\n{log}");
        foreach (string stage in new[] { "convert", "split", "train", "export", "validate" })
        {
            Assert.Contains($"AutoRec: {stage} is up to date, skipped", log, StringComparison.Ordinal);
        }

        // 3. A gate the model cannot meet fails the build with AR3101; only the validation reruns, and it keeps failing.
        for (int attempt = 0; attempt < 2; attempt++)
        {
            (code, log) = BuildStages(raw, outDir, "validate", $"-p:ModelConfig={config}", "-p:MaxTestRmse=0.01");
            Assert.True(code != 0, $"a model above MaxTestRmse passed the gate:\n{log}");
            Assert.Contains("error AR3101: test RMSE", log, StringComparison.Ordinal);
            Assert.Contains("AutoRec: train is up to date, skipped", log, StringComparison.Ordinal);
        }

        // 4. A bad config: the trainer's located error becomes an MSBuild error with its code, and the model stays.
        string badConfig = _dir.PathOf("bad-config.json");
        File.WriteAllText(badConfig, "{\n  \"kind\": \"user-based\",\n  \"dropout\": 2\n}");
        byte[] model = File.ReadAllBytes(Path.Combine(modelDir, "model.onnx"));
        (code, log) = BuildStages(raw, outDir, "validate", $"-p:ModelConfig={badConfig}", "-p:MaxTestRmse=4");
        Assert.True(code != 0, $"a bad config trained:\n{log}");
        Assert.Contains($"{badConfig} : error AR2001: dropout must be in [0, 1)", log, StringComparison.Ordinal);
        Assert.Equal(model, File.ReadAllBytes(Path.Combine(modelDir, "model.onnx")));
    }

    [Fact]
    [Trait("Category", "EndToEnd")]
    public void ABlendConfigBuildsEachMemberThenFitsValidatesAndGatesTheBlend()
    {
        string raw = _dir.PathOf("tiny");
        string outDir = _dir.PathOf("out");
        TinyDataset.Write(raw);
        string config = TinyBlend.Write(_dir.Root);

        // 1. Each member is a pipeline of its own on the blend's data, then the blend is fit and validated.
        (int code, string log) = BuildStages(raw, outDir, "", $"-p:ModelConfig={config}", "-p:MaxTestRmse=4");
        Assert.True(code == 0, $"blend build failed ({code}):\n{log}");
        foreach (string member in new[] { "item", "user" })
        {
            Assert.True(File.Exists(Path.Combine(outDir, "members", member, "model", "model.onnx")), $"member {member} has no model:\n{log}");
            Assert.False(Directory.Exists(Path.Combine(outDir, "members", member, "data")), "a member converted its own data");
        }

        Assert.Contains("AutoRec: blend tiny-blend fit on", log, StringComparison.Ordinal);
        BlendManifest manifest = BlendManifest.Read(Path.Combine(outDir, "model", "blend.json"));
        Assert.Equal(["item", "user"], manifest.Members.Select(m => m.Name));
        ValidationReport report = ValidationReport.Read(Path.Combine(outDir, "model", "validation.json"));
        Assert.True(report.Passed);
        Assert.InRange(report.TestRmse, 0, 4);
        Assert.InRange(report.MeanBaselineRmse, 0.01, 4); // a single model's report has it too (the members')
        Assert.InRange(ValidationReport.Read(Path.Combine(outDir, "members", "item", "model", "validation.json")).MeanBaselineRmse, 0.01, 4);

        // 2. Nothing changed: every stage of the blend and of its members is skipped.
        (code, log) = BuildStages(raw, outDir, "", $"-p:ModelConfig={config}", "-p:MaxTestRmse=4");
        Assert.True(code == 0, $"second blend build failed ({code}):\n{log}");
        Assert.Equal(2, CountOf(log, "AutoRec: train is up to date, skipped"));
        Assert.Contains("AutoRec: blend fit is up to date, skipped", log, StringComparison.Ordinal);
        Assert.Equal(3, CountOf(log, "AutoRec: validate is up to date, skipped"));

        // 2b. blend.json removed: the fit and the blend's gate run again, nothing else.
        File.Delete(Path.Combine(outDir, "model", "blend.json"));
        (code, log) = BuildStages(raw, outDir, "", $"-p:ModelConfig={config}", "-p:MaxTestRmse=4");
        Assert.True(code == 0, $"blend build after deleting blend.json failed ({code}):\n{log}");
        Assert.Contains("AutoRec: blend tiny-blend fit on", log, StringComparison.Ordinal);
        Assert.Contains("AutoRec: validated", log, StringComparison.Ordinal);
        Assert.Equal(2, CountOf(log, "AutoRec: train is up to date, skipped"));
        Assert.Equal(manifest.ToJson(), BlendManifest.Read(Path.Combine(outDir, "model", "blend.json")).ToJson());

        // 3. A gate the blend cannot meet fails the build with AR3101; the members, held to their own gates, stay.
        (code, log) = BuildStages(raw, outDir, "", $"-p:ModelConfig={config}", "-p:MaxTestRmse=0.01");
        Assert.True(code != 0, $"a blend above MaxTestRmse passed the gate:\n{log}");
        Assert.Contains("error AR3101: test RMSE", log, StringComparison.Ordinal);
        Assert.Equal(2, CountOf(log, "AutoRec: train is up to date, skipped"));

        // 4. A malformed blend config is a located AR2010 before anything runs.
        string bad = _dir.PathOf("bad-blend.json");
        File.WriteAllText(bad, """{ "blend": [ { "name": "item", "config": "item.json" } ] }""");
        (code, log) = BuildStages(raw, outDir, "", $"-p:ModelConfig={bad}");
        Assert.True(code != 0, $"a one-member blend built:\n{log}");
        Assert.Contains($"{bad} : error AR2010: \"blend\" must be an array of at least two members", log, StringComparison.Ordinal);

        // 5. A plain model built into the blend's folder: its model.onnx is served, so the old blend.json goes.
        (code, log) = BuildStages(raw, outDir, "", $"-p:ModelConfig={_dir.PathOf("user.json")}", "-p:MaxTestRmse=4");
        Assert.True(code == 0, $"plain build into the blend's folder failed ({code}):\n{log}");
        Assert.True(File.Exists(Path.Combine(outDir, "model", "model.onnx")));
        Assert.False(File.Exists(Path.Combine(outDir, "model", "blend.json")), "a stale blend.json would be served instead of the new model");
    }

    private static int CountOf(string text, string value) => (text.Length - text.Replace(value, "", StringComparison.Ordinal).Length) / value.Length;

    private static bool IsSplitOutput(string file) => file is "train.parquet" or "validation.parquet" or "test.parquet" or "split.json";

    private static Dictionary<string, (byte[] Bytes, DateTime Time)> Snapshot(string dir) =>
        DataFiles.ToDictionary(f => f, f => (File.ReadAllBytes(Path.Combine(dir, f)), File.GetLastWriteTimeUtc(Path.Combine(dir, f))));

    private static void AssertSame(
        Dictionary<string, (byte[] Bytes, DateTime Time)> expected, Dictionary<string, (byte[] Bytes, DateTime Time)> actual, bool timestamps)
    {
        foreach ((string file, (byte[] bytes, DateTime time)) in expected)
        {
            Assert.True(bytes.AsSpan().SequenceEqual(actual[file].Bytes), $"{file} changed");
            if (timestamps)
            {
                Assert.True(time == actual[file].Time, $"{file} was rewritten ({time:O} -> {actual[file].Time:O})");
            }
        }
    }

    [Fact]
    [Trait("Category", "EndToEnd")]
    public void ExperimentsTargetRunsASuiteOnTheDataStageAndSkipsItsFinishedRuns()
    {
        string raw = _dir.PathOf("tiny");
        string outDir = _dir.PathOf("out");
        string runs = _dir.PathOf("runs");
        string docs = _dir.PathOf("docs");
        string suite = _dir.PathOf("tiny-suite.json");
        TinyDataset.Write(raw);
        File.WriteAllText(suite, """
            { "title": "Tiny", "seed_section": "none", "base": "seed-autorec",
              "runs": [ { "name": "small", "label": "small", "config": { "layers": [8], "epochs": 2, "threads": 1 } },
                        { "name": "elu", "label": "elu", "config": { "layers": [8], "epochs": 2, "threads": 1, "hidden_activation": "elu" } } ] }
            """);
        string[] experiment = ["-t:Experiments", $"-p:Suite={suite}", $"-p:ExperimentsOutputDir={runs}", $"-p:ExperimentsDocsDir={docs}"];

        (int code, string log) = Build(raw, outDir, experiment);
        Assert.True(code == 0, $"experiments build failed ({code}):\n{log}");
        Assert.Contains("AutoRec: converted tiny", log, StringComparison.Ordinal);
        Assert.Contains("[tiny-suite 2/2 elu] epoch 2/2", log, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(docs, "results", "tiny-suite.json")), log);
        Assert.Contains("<!-- results:tiny-suite", File.ReadAllText(Path.Combine(docs, "experiments.md")), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(outDir, "model", "metrics.json")), "the Experiments target trained the pipeline's model");

        (code, log) = Build(raw, outDir, experiment);
        Assert.True(code == 0, $"second experiments build failed ({code}):\n{log}");
        Assert.Contains("[tiny-suite 1/2 small] finished earlier: skipped", log, StringComparison.Ordinal);
        Assert.Contains("[tiny-suite 2/2 elu] finished earlier: skipped", log, StringComparison.Ordinal);

        (code, log) = Build(raw, outDir, "-t:Experiments");
        Assert.True(code != 0, $"an Experiments build without a suite succeeded:\n{log}");
        Assert.Contains("error AR1020: -p:Suite=NAME is required", log, StringComparison.Ordinal);
    }

    private (int ExitCode, string Log) Build(string datasetDir, string outputDir, params string[] extra) =>
        BuildStages(datasetDir, outputDir, "data", extra);

    private (int ExitCode, string Log) BuildStages(string datasetDir, string outputDir, string stopAfter, params string[] extra) =>
        new PipelineBuild(_output).Run(datasetDir, outputDir, stopAfter, extra);
}
