using AutoRec.Data;
using AutoRec.Export;
using AutoRec.Training.Cli;

namespace AutoRec.Training.Tests;

public sealed class CommandTests
{
    [Fact]
    public void Train_then_export_writes_every_model_file()
    {
        using var temp = new TempDir();
        string data = SyntheticRatings.WriteSplit(temp);
        string config = temp.PathOf("config.json");
        File.WriteAllText(config, SyntheticRatings.Config().ToJson());
        string model = Path.Combine(temp.Root, "model");

        var progress = new RecordingProgress();
        RunMetrics metrics = Commands.Train(data, config, model, "tiny", progress);
        Assert.Equal(5, progress.Epochs.Count);
        Assert.InRange(metrics.TestRmse, 0.1, 3);
        Assert.InRange(metrics.BestEpoch, 1, 5);
        foreach (string name in new[] { "config.json", "network.json", "weights.bin", "history.csv", "learning-curve.png", "metrics.json" })
        {
            Assert.True(File.Exists(Path.Combine(model, name)), name);
        }

        Assert.Equal(6, File.ReadAllLines(Path.Combine(model, "history.csv")).Length);
        Assert.Equal(metrics.TestRmse, RunMetrics.Read(Path.Combine(model, "metrics.json")).TestRmse);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(Path.Combine(model, "learning-curve.png")).Take(4).ToArray());

        float difference = Exporter.Export(model, data, progress);
        Assert.InRange(difference, 0f, Exporter.Tolerance);
        Assert.True(File.Exists(Path.Combine(model, "model.onnx")));
        Assert.Empty(Directory.GetFiles(model, "*.tmp"));
        using var report = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(model, "export.json")));
        Assert.Equal(Math.Min(Exporter.VerificationRows, 40), report.RootElement.GetProperty("rows_compared").GetInt32());
        Assert.Equal(difference, report.RootElement.GetProperty("max_abs_difference").GetSingle());
        Assert.Equal(Exporter.Tolerance, report.RootElement.GetProperty("tolerance").GetSingle());
        Assert.Equal(17, report.RootElement.GetProperty("opset").GetInt32());
    }

    [Fact]
    public void Export_writes_an_item_based_models_fold_in_graph_checked_against_the_library_and_none_for_user_based_models()
    {
        using var temp = new TempDir();
        string data = SyntheticRatings.WriteSplit(temp);
        string itemConfig = temp.PathOf("item.json");
        File.WriteAllText(itemConfig, (SyntheticRatings.Config(ModelKind.ItemBased) with { L2Decoder = 1 }).ToJson());
        string item = temp.PathOf("item");
        string userConfig = temp.PathOf("user.json");
        File.WriteAllText(userConfig, SyntheticRatings.Config().ToJson());
        string user = temp.PathOf("user");
        Commands.Train(data, itemConfig, item, "tiny", new RecordingProgress());
        Commands.Train(data, userConfig, user, "tiny", new RecordingProgress());
        File.WriteAllText(Path.Combine(user, Exporter.FoldInFile), "a fold-in of an earlier item-based model in this folder");

        var progress = new RecordingProgress();
        Exporter.Export(item, data, progress);
        Exporter.Export(user, data, new RecordingProgress());

        using var report = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(item, "export.json")));
        System.Text.Json.JsonElement foldIn = report.RootElement.GetProperty("foldin");
        Assert.True(foldIn.GetProperty("written").GetBoolean());
        Assert.InRange(foldIn.GetProperty("short_max_abs_difference").GetSingle(), 0f, FoldInExport.Tolerance);
        Assert.True(foldIn.GetProperty("short_profiles").GetInt32() > 0);
        Assert.True(File.Exists(Path.Combine(item, Exporter.FoldInFile)));
        Assert.Contains(progress.Messages, m => m.StartsWith($"exported {Exporter.FoldInFile}", StringComparison.Ordinal));
        Assert.Empty(Directory.GetFiles(item, "*.tmp"));

        Assert.False(File.Exists(Path.Combine(user, Exporter.FoldInFile)));
        using var userReport = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(user, "export.json")));
        Assert.False(userReport.RootElement.TryGetProperty("foldin", out _));
    }

    [Fact]
    public void The_command_line_reports_a_bad_config_in_canonical_form()
    {
        using var temp = new TempDir();
        string data = SyntheticRatings.WriteSplit(temp);
        string config = temp.PathOf("config.json");
        File.WriteAllText(config, "{\n  \"dropout\": 2\n}");
        (int exit, string error) = CaptureErrors(() => CommandLine.Run(["train", "--data", data, "--config", config, "--out", temp.PathOf("m"), "--plain"]));
        Assert.Equal(1, exit);
        Assert.StartsWith($"{config}: error AR2001: dropout must be in [0, 1)", error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_export_tool_reports_a_missing_model_in_canonical_form()
    {
        using var temp = new TempDir();
        (int exit, string error) = CaptureErrors(() => ExportCommandLine.Run(["--model", temp.Root, "--data", temp.Root]));
        Assert.Equal(1, exit);
        Assert.StartsWith($"{Path.Combine(temp.Root, "config.json")}: error AR2102: missing", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "--model", "m" }, "--data is required")]
    [InlineData(new[] { "--model" }, "--model needs a value")]
    [InlineData(new[] { "m", "d" }, "unexpected argument 'm'")]
    public void The_export_tool_reports_bad_arguments_with_its_usage(string[] args, string expected)
    {
        (int exit, string error) = CaptureErrors(() => ExportCommandLine.Run(args));
        Assert.Equal(1, exit);
        Assert.StartsWith($"error AR2004: {expected}", error, StringComparison.Ordinal);
        Assert.Contains("autorec-export --model DIR --data DIR", error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_trainer_points_export_to_the_export_tool()
    {
        (int exit, string error) = CaptureErrors(() => CommandLine.Run(["export", "--model", "m", "--data", "d"]));
        Assert.Equal(1, exit);
        Assert.StartsWith("error AR2004: export is autorec-export's command now", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_mismatching_export_is_reported_as_AR2101()
    {
        (int exit, string error) = CaptureErrors(() => ToolErrors.Run(["--model", "m"], "usage", _ => throw new ExportMismatchException("differ by 0.1")));
        Assert.Equal(1, exit);
        Assert.Equal("error AR2101: differ by 0.1", error.TrimEnd());
    }

    [Fact]
    public void Metrics_of_a_split_without_validation_are_written_with_nan()
    {
        using var temp = new TempDir();
        string data = SyntheticRatings.WriteSplit(temp, validationFraction: 0);
        string config = temp.PathOf("config.json");
        File.WriteAllText(config, SyntheticRatings.Config().ToJson());
        RunMetrics metrics = Commands.Train(data, config, Path.Combine(temp.Root, "model"), "tiny", new RecordingProgress());
        Assert.True(double.IsNaN(metrics.ValidationRmse));
        Assert.Contains("\"validation_rmse\": \"NaN\"", File.ReadAllText(Path.Combine(temp.Root, "model", "metrics.json")), StringComparison.Ordinal);
    }

    [Fact]
    public void A_refit_trains_again_for_the_epochs_protocol_a_chose_and_says_so()
    {
        using var temp = new TempDir();
        string data = SyntheticRatings.WriteSplit(temp);
        string config = temp.PathOf("config.json");
        File.WriteAllText(config, (SyntheticRatings.Config() with { Epochs = 8, Patience = 2 }).ToJson());
        RunMetrics chosen = Commands.Train(data, config, temp.PathOf("a"), "tiny", new RecordingProgress());
        Assert.Equal(RunMetrics.ProtocolA, chosen.Protocol);
        Assert.Equal(ModelSelection.Of(chosen.BestEpoch), chosen.Selection);

        // The refit's data as the pipeline writes it: A's train + validation to train on, nothing held out.
        string refitData = Directory.CreateDirectory(temp.PathOf("refit-data")).FullName;
        Rating[] merged = [.. ParquetTables.ReadRatings(Path.Combine(data, "train.parquet")), .. ParquetTables.ReadRatings(Path.Combine(data, "validation.parquet"))];
        ParquetTables.WriteRatings(Path.Combine(refitData, "train.parquet"), merged);
        ParquetTables.WriteRatings(Path.Combine(refitData, "validation.parquet"), ReadOnlySpan<Rating>.Empty);
        File.Copy(Path.Combine(data, "test.parquet"), Path.Combine(refitData, "test.parquet"));

        var progress = new RecordingProgress();
        RunMetrics refit = Commands.Train(refitData, config, temp.PathOf("b"), "tiny", progress, refitOf: Path.Combine(temp.PathOf("a"), "metrics.json"));
        Assert.Equal(RunMetrics.ProtocolRefit, refit.Protocol);
        Assert.Equal(chosen.Selection, refit.Selection);
        Assert.Equal(chosen.BestEpoch, progress.Epochs.Count); // no early stop, no more
        Assert.True(double.IsNaN(refit.ValidationRmse));
        Assert.True(double.IsFinite(refit.TestRmse));
        RunMetrics written = RunMetrics.Read(Path.Combine(temp.PathOf("b"), "metrics.json"));
        Assert.Equal((RunMetrics.ProtocolRefit, chosen.Selection), (written.Protocol, written.Selection));

        // A refit's metrics (or a file without a selection) is no protocol A to follow.
        var error = Assert.Throws<CodedException>(() => Commands.Train(refitData, config, temp.PathOf("c"), "tiny", new RecordingProgress(), refitOf: Path.Combine(temp.PathOf("b"), "metrics.json")));
        Assert.Equal(("AR2009", Path.Combine(temp.PathOf("b"), "metrics.json")), (error.Code, error.FilePath));
        Assert.Contains("must come from a protocol A model", error.Message, StringComparison.Ordinal);
        string old = temp.PathOf("old-metrics.json");
        File.WriteAllText(old, (chosen with { Selection = null }).ToJson());
        error = Assert.Throws<CodedException>(() => Commands.Train(refitData, config, temp.PathOf("c"), "tiny", new RecordingProgress(), refitOf: old));
        Assert.Contains("records no selection", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Export_refuses_a_split_that_does_not_match_the_trained_model()
    {
        using var temp = new TempDir();
        string data = SyntheticRatings.WriteSplit(temp);
        string config = temp.PathOf("config.json");
        File.WriteAllText(config, SyntheticRatings.Config().ToJson());
        string model = Path.Combine(temp.Root, "model");
        _ = Commands.Train(data, config, model, "tiny", new RecordingProgress());

        // Another dataset: different movies, so different columns.
        RatingSplit other = RatingSplitter.Split(SyntheticRatings.Generate(movies: 20), new SplitOptions(3));
        ParquetTables.WriteRatings(Path.Combine(data, "train.parquet"), other.Train);
        ParquetTables.WriteRatings(Path.Combine(data, "validation.parquet"), other.Validation);
        ParquetTables.WriteRatings(Path.Combine(data, "test.parquet"), other.Test);
        var error = Assert.Throws<DataFormatException>(() => Exporter.Export(model, data, new RecordingProgress()));
        Assert.Equal("AR2103", error.Code);
        Assert.False(File.Exists(Path.Combine(model, "model.onnx")));
    }

    [Fact]
    public void The_scale_stored_with_the_split_bounds_predictions_not_the_ratings_seen()
    {
        using var temp = new TempDir();
        // Half-star data in which nobody gave 0.5 or 5: the scale must still be 0.5..5.
        Rating[] ratings = SyntheticRatings.Generate().Select(r => r with { Value = Math.Clamp(r.Value, 1.5f, 4.5f) }).ToArray();
        RatingSplit split = RatingSplitter.Split(ratings, new SplitOptions(3));
        string dir = Path.Combine(temp.Root, "data");
        Directory.CreateDirectory(dir);
        ParquetTables.WriteRatings(Path.Combine(dir, "train.parquet"), split.Train, RatingScale.HalfStars);
        ParquetTables.WriteRatings(Path.Combine(dir, "validation.parquet"), split.Validation, RatingScale.HalfStars);
        ParquetTables.WriteRatings(Path.Combine(dir, "test.parquet"), split.Test, RatingScale.HalfStars);

        AutoRec.Training.Data.TrainingData data = AutoRec.Training.Data.TrainingData.Load(dir, SyntheticRatings.Config());
        Assert.Equal(0.5f, data.Scale.Min);
        Assert.Equal(5f, data.Scale.Max);
    }

    [Fact]
    public void Export_without_a_trained_model_names_the_missing_file()
    {
        using var temp = new TempDir();
        var error = Assert.Throws<DataFormatException>(() => Exporter.Export(temp.Root, temp.Root, new RecordingProgress()));
        Assert.Equal("AR2102", error.Code);
        Assert.EndsWith("config.json", error.FilePath, StringComparison.Ordinal);
    }

    [Fact]
    public void A_coded_failure_about_a_file_is_located_by_it()
    {
        (int exit, string error) = CaptureErrors(() => ToolErrors.Run(["x"], "usage", _ => throw new CodedException("AR2999", "busy", "/m/.lock")));
        Assert.Equal(1, exit);
        Assert.Equal("/m/.lock: error AR2999: busy", error.TrimEnd());
    }

    private static (int Exit, string Error) CaptureErrors(Func<int> run)
    {
        var error = new StringWriter();
        TextWriter previous = Console.Error;
        Console.SetError(error);
        try
        {
            return (run(), error.ToString());
        }
        finally
        {
            Console.SetError(previous);
        }
    }
}
