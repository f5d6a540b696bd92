using AutoRec.Data;
using AutoRec.Training.Reporting;

namespace AutoRec.Training.Tests;

public sealed class CommandTests
{
    [Fact]
    public void Train_then_export_writes_every_model_file()
    {
        using var temp = new TempDir();
        string data = WriteSplit(temp);
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

        float difference = Commands.Export(model, data, progress);
        Assert.InRange(difference, 0f, Commands.Tolerance);
        Assert.True(File.Exists(Path.Combine(model, "model.onnx")));
        Assert.Empty(Directory.GetFiles(model, "*.tmp"));
    }

    [Fact]
    public void The_command_line_reports_a_bad_config_in_canonical_form()
    {
        using var temp = new TempDir();
        string data = WriteSplit(temp);
        string config = temp.PathOf("config.json");
        File.WriteAllText(config, "{\n  \"dropout\": 2\n}");
        var error = new StringWriter();
        TextWriter previous = Console.Error;
        Console.SetError(error);
        int exit;
        try
        {
            exit = CommandLine.Run(["train", "--data", data, "--config", config, "--out", temp.PathOf("m"), "--plain"]);
        }
        finally
        {
            Console.SetError(previous);
        }

        Assert.Equal(1, exit);
        Assert.StartsWith($"{config}: error AR2001: dropout must be in [0, 1)", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Metrics_of_a_split_without_validation_are_written_with_nan()
    {
        using var temp = new TempDir();
        string data = WriteSplit(temp, validationFraction: 0);
        string config = temp.PathOf("config.json");
        File.WriteAllText(config, SyntheticRatings.Config().ToJson());
        RunMetrics metrics = Commands.Train(data, config, Path.Combine(temp.Root, "model"), "tiny", new RecordingProgress());
        Assert.True(double.IsNaN(metrics.ValidationRmse));
        Assert.Contains("\"validation_rmse\": \"NaN\"", File.ReadAllText(Path.Combine(temp.Root, "model", "metrics.json")), StringComparison.Ordinal);
    }

    [Fact]
    public void Export_refuses_a_split_that_does_not_match_the_trained_model()
    {
        using var temp = new TempDir();
        string data = WriteSplit(temp);
        string config = temp.PathOf("config.json");
        File.WriteAllText(config, SyntheticRatings.Config().ToJson());
        string model = Path.Combine(temp.Root, "model");
        _ = Commands.Train(data, config, model, "tiny", new RecordingProgress());

        // Another dataset: different movies, so different columns.
        RatingSplit other = RatingSplitter.Split(SyntheticRatings.Generate(movies: 20), new SplitOptions(3));
        ParquetTables.WriteRatings(Path.Combine(data, "train.parquet"), other.Train);
        ParquetTables.WriteRatings(Path.Combine(data, "validation.parquet"), other.Validation);
        ParquetTables.WriteRatings(Path.Combine(data, "test.parquet"), other.Test);
        var error = Assert.Throws<DataFormatException>(() => Commands.Export(model, data, new RecordingProgress()));
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
        var error = Assert.Throws<DataFormatException>(() => Commands.Export(temp.Root, temp.Root, new RecordingProgress()));
        Assert.Equal("AR2102", error.Code);
        Assert.EndsWith("config.json", error.FilePath, StringComparison.Ordinal);
    }

    private static string WriteSplit(TempDir temp, double validationFraction = 0.1)
    {
        RatingSplit split = RatingSplitter.Split(SyntheticRatings.Generate(), new SplitOptions(3, ValidationFraction: validationFraction));
        string dir = Path.Combine(temp.Root, "data");
        Directory.CreateDirectory(dir);
        ParquetTables.WriteRatings(Path.Combine(dir, "train.parquet"), split.Train);
        ParquetTables.WriteRatings(Path.Combine(dir, "validation.parquet"), split.Validation);
        ParquetTables.WriteRatings(Path.Combine(dir, "test.parquet"), split.Test);
        return dir;
    }
}
