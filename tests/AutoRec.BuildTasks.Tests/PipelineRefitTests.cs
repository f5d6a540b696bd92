using AutoRec.Data;
using Xunit.Abstractions;

namespace AutoRec.BuildTasks.Tests;

/// <summary>
/// <c>-p:Protocol=refit</c> through real <c>dotnet build</c>s of the pipeline on a tiny dataset: protocol A as
/// always, then its refit twin in refit/ (train + validation as the training split, A's choices, the same gate),
/// for one model and for a blend config.
/// </summary>
[Collection(SerialPipelineBuilds.Name)]
public sealed class PipelineRefitTests : IDisposable
{
    private readonly ITestOutputHelper _output;
    private readonly TempDir _dir = new();

    public PipelineRefitTests(ITestOutputHelper output) => _output = output;

    public void Dispose() => _dir.Dispose();

    [Fact]
    [Trait("Category", "EndToEnd")]
    public void ARefitBuildShipsProtocolAAndItsRefitTwinEachThroughTheGate()
    {
        string raw = _dir.PathOf("tiny");
        string outDir = _dir.PathOf("out");
        string refitDir = Path.Combine(outDir, "refit");
        string config = _dir.PathOf("tiny-config.json");
        TinyDataset.Write(raw);
        File.WriteAllText(config, """
            { "name": "tiny", "kind": "item-based", "layers": [6], "learning_rate": 0.01, "batch_size": 8, "epochs": 8,
              "patience": 2, "threads": 1, "seed": 3 }
            """);

        (int code, string log) = Build(raw, outDir, $"-p:ModelConfig={config}", "-p:MaxTestRmse=4", "-p:Protocol=refit");
        Assert.True(code == 0, $"refit build failed ({code}):\n{log}");

        // The refit's data: A's train + validation to train on, nothing held out, A's test.
        Rating[] train = ParquetTables.ReadRatings(Path.Combine(outDir, "data", "train.parquet"));
        Rating[] validation = ParquetTables.ReadRatings(Path.Combine(outDir, "data", "validation.parquet"));
        Assert.NotEmpty(validation);
        Assert.Equal(
            [.. train.Concat(validation).Select(r => (r.UserId, r.MovieId, r.Value)).Order()],
            ParquetTables.ReadRatings(Path.Combine(refitDir, "data", "train.parquet")).Select(r => (r.UserId, r.MovieId, r.Value)).Order());
        Assert.Empty(ParquetTables.ReadRatings(Path.Combine(refitDir, "data", "validation.parquet")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(outDir, "data", "test.parquet")), File.ReadAllBytes(Path.Combine(refitDir, "data", "test.parquet")));
        Assert.Equal(train.Length + validation.Length, SplitSummary.Read(Path.Combine(refitDir, "data", "split.json")).Counts.Train);

        // The refit follows A's choice and says so; each model passed its own gate through ONNX Runtime.
        RunMetrics a = RunMetrics.Read(Path.Combine(outDir, "model", "metrics.json"));
        RunMetrics b = RunMetrics.Read(Path.Combine(refitDir, "model", "metrics.json"));
        Assert.Equal((RunMetrics.ProtocolA, RunMetrics.ProtocolRefit), (a.Protocol, b.Protocol));
        Assert.Equal(a.Selection, b.Selection);
        Assert.Equal(a.BestEpoch, b.Epochs);
        Assert.True(double.IsNaN(b.ValidationRmse));
        ValidationReport gateA = ValidationReport.Read(Path.Combine(outDir, "model", "validation.json"));
        ValidationReport gateB = ValidationReport.Read(Path.Combine(refitDir, "model", "validation.json"));
        Assert.Equal((RunMetrics.ProtocolA, true), (gateA.Protocol, gateA.Passed));
        Assert.Equal((RunMetrics.ProtocolRefit, true), (gateB.Protocol, gateB.Passed));
        Assert.InRange(Math.Abs(gateB.TestRmse - b.TestRmse), 0, 1e-4);
        Assert.True(File.Exists(Path.Combine(refitDir, "model", "model.onnx")));

        // Nothing changed: both passes skip every stage.
        (code, log) = Build(raw, outDir, $"-p:ModelConfig={config}", "-p:MaxTestRmse=4", "-p:Protocol=refit");
        Assert.True(code == 0, $"second refit build failed ({code}):\n{log}");
        Assert.Equal(2, CountOf(log, "AutoRec: train is up to date, skipped"));
        Assert.Equal(2, CountOf(log, "AutoRec: validate is up to date, skipped"));
        Assert.Contains("AutoRec: refit split is up to date, skipped", log, StringComparison.Ordinal);

        // Protocol A alone leaves the refit as it was; a bad protocol fails before any stage.
        (code, log) = Build(raw, outDir, $"-p:ModelConfig={config}", "-p:MaxTestRmse=4");
        Assert.True(code == 0, $"protocol A build failed ({code}):\n{log}");
        Assert.DoesNotContain("refit", log, StringComparison.Ordinal);
        (code, log) = Build(raw, outDir, $"-p:ModelConfig={config}", "-p:Protocol=B");
        Assert.True(code != 0, $"Protocol=B built:\n{log}");
        Assert.Contains("error AR1104: Protocol 'B' is not a protocol", log, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", "EndToEnd")]
    public void ABlendRefitRefitsEachMemberAndKeepsTheWeightsOfA()
    {
        string raw = _dir.PathOf("tiny");
        string outDir = _dir.PathOf("out");
        TinyDataset.Write(raw);
        string config = TinyBlend.Write(_dir.Root);

        (int code, string log) = Build(raw, outDir, $"-p:ModelConfig={config}", "-p:MaxTestRmse=4", "-p:Protocol=refit");
        Assert.True(code == 0, $"blend refit build failed ({code}):\n{log}");
        string refitDir = Path.Combine(outDir, "refit");
        foreach (string member in new[] { "item", "user" })
        {
            RunMetrics a = RunMetrics.Read(Path.Combine(outDir, "members", member, "model", "metrics.json"));
            RunMetrics b = RunMetrics.Read(Path.Combine(refitDir, "members", member, "model", "metrics.json"));
            Assert.Equal((RunMetrics.ProtocolRefit, a.Selection), (b.Protocol, b.Selection));
            Assert.False(Directory.Exists(Path.Combine(refitDir, "members", member, "data")), "a refit member made its own data");

            // Only the blend refits its members: a member's pipeline in A's pass does not refit itself (on A's data).
            Assert.False(Directory.Exists(Path.Combine(outDir, "members", member, "refit")), "a member of A ran a refit of its own");
        }

        BlendManifest chosen = BlendManifest.Read(Path.Combine(outDir, "model", "blend.json"));
        BlendManifest refit = BlendManifest.Read(Path.Combine(refitDir, "model", "blend.json"));
        Assert.Equal(chosen.Weights, refit.Weights);
        Assert.Equal((null, RunMetrics.ProtocolRefit), (chosen.Protocol, refit.Protocol));
        Assert.Equal(chosen.Members.Select(m => m.Model), refit.Members.Select(m => m.Model));
        Assert.NotEqual(chosen.Members.Select(m => m.Sha256), refit.Members.Select(m => m.Sha256)); // pinned to the refit members
        Assert.Contains("protocol A's weights", log, StringComparison.Ordinal);
        ValidationReport gate = ValidationReport.Read(Path.Combine(refitDir, "model", "validation.json"));
        Assert.Equal((RunMetrics.ProtocolRefit, true), (gate.Protocol, gate.Passed));
        // The refit blend's members are the refit models: their served test RMSE differs from A's blend.
        Assert.NotEqual(ValidationReport.Read(Path.Combine(outDir, "model", "validation.json")).TestRmse, gate.TestRmse);
    }

    private static int CountOf(string text, string value) => (text.Length - text.Replace(value, "", StringComparison.Ordinal).Length) / value.Length;

    private (int ExitCode, string Log) Build(string datasetDir, string outputDir, params string[] extra) =>
        new PipelineBuild(_output).Run(datasetDir, outputDir, "", extra);
}
