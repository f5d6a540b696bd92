using System.Globalization;
using System.Text.RegularExpressions;
using AutoRec.Training.Cli;
using AutoRec.Training.Configuration;
using AutoRec.Training.Data;
using AutoRec.Training.Training;

namespace AutoRec.Training.Tests;

/// <summary>Which configs train on which path, the line that says so, and the bench command that compares the paths.</summary>
public sealed partial class TrainingPathTests
{
    public static TheoryData<string, string?> Configs() => new()
    {
        // config change, what the dense path's log line names (null: the sparse path serves it)
        { "default", null },
        { "item-based", null },
        { "deep", null },
        { "dropout", null },
        { "masking_noise", null },
        { "constant", null },
        { "user-mean", null },
        { "item-mean", null },
        { "side_information", null },
        { "masked-sse", null },
        { "l2", null },
        { "tied_weights", "tied_weights" },
        { "gaussian_noise", null },
        { "input_dropout", null },
        { "input_dropout+user-mean", "input_dropout > 0 with a non-zero default" },
        { "input_dropout+masking_noise", "input_dropout and masking_noise together" },
        { "dense_refeeding", "dense_refeeding" },
    };

    [Theory]
    [MemberData(nameof(Configs))]
    public void Each_config_takes_the_path_that_serves_it_and_says_why(string change, string? denseBecause)
    {
        ModelConfig config = Changed(SyntheticRatings.Config() with { Epochs = 1 }, change);
        TrainingPathChoice choice = TrainingPath.Choose(config);
        Assert.Equal(denseBecause is null ? TrainingPathKind.Sparse : TrainingPathKind.Dense, choice.Kind);

        TrainingData data = change == "side_information"
            ? SyntheticRatings.Data(side: SideFeatures.ForUsers(SparseGradientTests.Users()))
            : SyntheticRatings.Data(config.Kind);
        var progress = new RecordingProgress();
        var trainer = new Trainer(config, data, progress, null);
        Assert.Equal(choice, trainer.Path);
        _ = trainer.Run();
        string line = Assert.Single(progress.Messages, m => m.StartsWith("training path: ", StringComparison.Ordinal));
        if (denseBecause is null)
        {
            Assert.Equal("training path: sparse (only the observed ratings are computed on)", line);
            Assert.False(data.HasDenseMatrix);
        }
        else
        {
            Assert.StartsWith($"training path: dense (the sparse path cannot serve {denseBecause}", line, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_bench_path_option_forces_a_path_or_refuses_one_that_cannot_serve_the_config()
    {
        ModelConfig plain = SyntheticRatings.Config();
        Assert.Equal(TrainingPathKind.Dense, TrainingPath.Resolve(plain, "dense").Kind);
        Assert.Equal(TrainingPathKind.Sparse, TrainingPath.Resolve(plain, "sparse").Kind);
        Assert.Equal(TrainingPath.Choose(plain), TrainingPath.Resolve(plain, "auto"));

        var refused = Assert.Throws<UsageException>(() => TrainingPath.Resolve(plain with { TiedWeights = true }, "sparse"));
        Assert.Equal("--path sparse: the sparse path cannot serve tied_weights (the decoder shares the encoder's weights)", refused.Message);
        Assert.Contains("must be dense, sparse or auto", Assert.Throws<UsageException>(() => TrainingPath.Resolve(plain, "fast")).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("dense")]
    [InlineData("sparse")]
    [InlineData("auto")]
    public void Bench_prints_seconds_validation_rmse_and_memory_per_epoch_then_the_mean(string path)
    {
        using var temp = new TempDir();
        string data = SyntheticRatings.WriteSplit(temp);
        string config = temp.PathOf("config.json");
        File.WriteAllText(config, SyntheticRatings.Config().ToJson());
        var output = new StringWriter();
        Commands.Bench(data, config, 4, output, path);

        string[] lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains($"# training path: {(path == "dense" ? "dense" : "sparse")} (", lines.Single(l => l.Contains("training path", StringComparison.Ordinal)), StringComparison.Ordinal);
        string[] epochs = [.. lines.Where(l => !l.StartsWith('#'))];
        Assert.Equal(5, epochs.Length);
        var seconds = new List<double>();
        for (int e = 0; e < 4; e++)
        {
            Match match = EpochLine().Match(epochs[e]);
            Assert.True(match.Success, epochs[e]);
            Assert.Equal($"{e + 1}/4", match.Groups["epoch"].Value);
            seconds.Add(double.Parse(match.Groups["seconds"].Value, CultureInfo.InvariantCulture));
            Assert.InRange(double.Parse(match.Groups["rmse"].Value, CultureInfo.InvariantCulture), 0.1, 5);
            Assert.True(int.Parse(match.Groups["rss"].Value, CultureInfo.InvariantCulture) > 0);
        }

        Match mean = MeanLine().Match(epochs[4]);
        Assert.True(mean.Success, epochs[4]);
        Assert.Equal(seconds.Skip(1).Average(), double.Parse(mean.Groups["mean"].Value, CultureInfo.InvariantCulture), 1e-3);
        Assert.Equal(epochs[4], lines[^1]);
    }

    [Fact]
    public void Bench_on_the_command_line_reports_a_path_it_cannot_take_as_a_usage_error()
    {
        using var temp = new TempDir();
        string data = SyntheticRatings.WriteSplit(temp);
        string config = temp.PathOf("config.json");
        File.WriteAllText(config, (SyntheticRatings.Config() with { TiedWeights = true }).ToJson());
        var error = new StringWriter();
        TextWriter previous = Console.Error;
        Console.SetError(error);
        try
        {
            Assert.Equal(1, CommandLine.Run(["bench", "--data", data, "--config", config, "--path", "sparse"]));
        }
        finally
        {
            Console.SetError(previous);
        }

        Assert.StartsWith("error AR2004: --path sparse: the sparse path cannot serve tied_weights", error.ToString(), StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^epoch (?<epoch>\d+/\d+) seconds=(?<seconds>\d+\.\d{3}) validation_rmse=(?<rmse>\d+\.\d{4}) rss_mb=(?<rss>\d+)$")]
    private static partial Regex EpochLine();

    [GeneratedRegex(@"^mean s/epoch: (?<mean>\d+\.\d{3})$")]
    private static partial Regex MeanLine();

    private static ModelConfig Changed(ModelConfig config, string change) => change switch
    {
        "default" => config,
        "item-based" => config with { Kind = ModelKind.ItemBased },
        "deep" => config with { Layers = [6, 3, 6], HiddenActivation = Activation.Selu },
        "dropout" => config with { Dropout = 0.5 },
        "masking_noise" => config with { MaskingNoise = 0.2 },
        "constant" => config with { Default = DefaultRating.Constant },
        "user-mean" => config with { Default = DefaultRating.UserMean },
        "item-mean" => config with { Default = DefaultRating.ItemMean },
        "side_information" => config with { SideInformation = true },
        "masked-sse" => config with { Loss = LossKind.MaskedSse },
        "l2" => config with { L2Encoder = 0.1, L2Decoder = 0.2 },
        "tied_weights" => config with { TiedWeights = true },
        "gaussian_noise" => config with { GaussianNoise = 0.1 },
        "input_dropout" => config with { InputDropout = 0.1 },
        "input_dropout+user-mean" => config with { InputDropout = 0.1, Default = DefaultRating.UserMean },
        "input_dropout+masking_noise" => config with { InputDropout = 0.1, MaskingNoise = 0.1 },
        "dense_refeeding" => config with { DenseRefeeding = true },
        _ => throw new ArgumentOutOfRangeException(nameof(change), change, "no such change"),
    };
}
