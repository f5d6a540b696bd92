using System.Diagnostics;
using AutoRec.Data;
using AutoRec.Export;
using AutoRec.Training.Cli;
using AutoRec.Training.Configuration;
using AutoRec.Training.Data;
using AutoRec.Training.Training;

namespace AutoRec.Training.Tests;

/// <summary>What the tools do when things go wrong around them: a second run, damaged files, a full disk, a vanished build.</summary>
public sealed class FaultTests
{
    [Fact]
    public void A_second_run_on_a_locked_model_folder_fails_naming_the_holder()
    {
        using var temp = new TempDir();
        (string data, string config) = WriteRun(temp);
        string model = temp.PathOf("model");
        using (ModelFolderLock.Acquire(model, "autorec-train (the first run)"))
        {
            var error = Assert.Throws<CodedException>(() => Commands.Train(data, config, model, "tiny", new RecordingProgress()));
            Assert.Equal(ModelFolderLock.Code, error.Code);
            Assert.Contains("in use by autorec-train (the first run)", error.Message, StringComparison.Ordinal);
            Assert.Equal(Path.Combine(model, ".lock"), error.FilePath);
            Assert.Throws<CodedException>(() => Exporter.Export(model, data, new RecordingProgress()));
        }

        // Released with its holder: the next run trains.
        Assert.InRange(Commands.Train(data, config, model, "tiny", new RecordingProgress()).TestRmse, 0.1, 3);
        Assert.False(File.Exists(Path.Combine(model, ".lock.holder")));
    }

    [Theory]
    [InlineData("network-00003.bin")]
    [InlineData("optimizer-00003.bin")]
    [InlineData("state.json")]
    public void A_damaged_checkpoint_is_set_aside_with_a_warning_and_training_starts_over(string damaged)
    {
        using var temp = new TempDir();
        TrainingData data = SyntheticRatings.Data();
        ModelConfig config = SyntheticRatings.Config() with { Epochs = 5 };
        string checkpoint = temp.PathOf("checkpoint");
        TrainingOutcome straight = new Trainer(config, data, new RecordingProgress(), null).Run();

        using var cancel = new CancellationTokenSource();
        Assert.Throws<OperationCanceledException>(
            () => new Trainer(config, data, new RecordingProgress(cancel, cancelEpoch: 3), checkpoint).Run(cancel.Token));
        string file = Path.Combine(checkpoint, damaged);
        byte[] bytes = File.ReadAllBytes(file);
        File.WriteAllBytes(file, bytes[..(bytes.Length / 3)]);

        var progress = new RecordingProgress();
        TrainingOutcome rerun = new Trainer(config, data, progress, checkpoint).Run();
        string warning = Assert.Single(progress.Messages, m => m.Contains("warning AR2008", StringComparison.Ordinal));
        Assert.StartsWith($"{file}: warning AR2008: the checkpoint is unreadable", warning, StringComparison.Ordinal);
        Assert.True(Directory.Exists(checkpoint + ".damaged"));
        Assert.Equal([1, 2, 3, 4, 5], progress.Epochs.Select(e => e.Epoch));
        Assert.Equal(straight.Test, rerun.Test);
    }

    [Fact]
    public void A_config_that_cannot_fit_in_memory_is_a_located_config_error_before_any_allocation()
    {
        using var temp = new TempDir();
        (string data, _) = WriteRun(temp);
        string config = temp.PathOf("huge.json");
        File.WriteAllText(config, "{\n  \"kind\": \"user-based\",\n  \"layers\": [1000000000]\n}");
        var error = Assert.Throws<ConfigException>(() => Commands.Train(data, config, temp.PathOf("model"), "tiny", new RecordingProgress()));
        Assert.Equal(3, error.Line);
        Assert.Contains("layers [1000000000]", error.Message, StringComparison.Ordinal);
        Assert.Contains("of memory; this machine offers", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(temp.PathOf("model/checkpoint")));
    }

    [Fact]
    public void The_memory_estimate_of_the_default_model_fits_easily()
    {
        TrainingData data = SyntheticRatings.Data();
        long need = MemoryBudget.Estimate(SyntheticRatings.Config(), data);
        Assert.InRange(need, 1, 100_000_000);
        MemoryBudget.Check(SyntheticRatings.Config(), data, "c.json", availableBytes: need);
        Assert.Throws<ConfigException>(() => MemoryBudget.Check(SyntheticRatings.Config(), data, "c.json", availableBytes: need - 1));
    }

    [Fact]
    public void Temporary_files_an_interrupted_run_left_are_removed_when_training_starts()
    {
        using var temp = new TempDir();
        (string data, string config) = WriteRun(temp);
        string model = temp.PathOf("model");
        Directory.CreateDirectory(Path.Combine(model, "checkpoint"));
        string[] stale = [Path.Combine(model, $"model.onnx.{Guid.NewGuid():N}.tmp"), Path.Combine(model, "checkpoint", $"state.json.{Guid.NewGuid():N}.tmp")];
        foreach (string file in stale)
        {
            File.WriteAllText(file, "left by a kill");
        }

        var progress = new RecordingProgress();
        _ = Commands.Train(data, config, model, "tiny", progress);
        Assert.All(stale, file => Assert.False(File.Exists(file)));
        Assert.Contains(progress.Messages, m => m.StartsWith("removed 2 temporary file(s)", StringComparison.Ordinal));
    }

    [Fact]
    public void A_checkpoint_that_cannot_be_written_is_AR1012_naming_the_file()
    {
        using var temp = new TempDir();
        string blocker = temp.PathOf("blocker");
        File.WriteAllText(blocker, "a file where the checkpoint folder should be");
        string checkpoint = Path.Combine(blocker, "checkpoint");
        var error = Assert.Throws<CodedException>(
            () => new Trainer(SyntheticRatings.Config(), SyntheticRatings.Data(), new RecordingProgress(), checkpoint).Run());
        Assert.Equal("AR1012", error.Code);
        Assert.StartsWith(checkpoint, error.FilePath, StringComparison.Ordinal);
    }

    [Fact]
    public void Truncated_weights_fail_the_export_naming_the_file()
    {
        using var temp = new TempDir();
        (string data, string config) = WriteRun(temp);
        string model = temp.PathOf("model");
        _ = Commands.Train(data, config, model, "tiny", new RecordingProgress());
        string weights = Path.Combine(model, "weights.bin");
        byte[] bytes = File.ReadAllBytes(weights);
        File.WriteAllBytes(weights, bytes[..(bytes.Length / 2)]);

        var error = Assert.Throws<CodedException>(() => Exporter.Export(model, data, new RecordingProgress()));
        Assert.Equal("AR2102", error.Code);
        Assert.Equal(weights, error.FilePath);
        Assert.False(File.Exists(Path.Combine(model, "model.onnx")));
    }

    [Fact]
    public void The_build_watch_cancels_when_a_watched_process_ends()
    {
        using var child = Process.Start(new ProcessStartInfo("sleep", "1") { UseShellExecute = false })!;
        using BuildWatch watch = BuildWatch.Start($"{Environment.ProcessId},{child.Id}");
        Assert.False(watch.Token.IsCancellationRequested);
        child.WaitForExit();
        Assert.True(watch.Token.WaitHandle.WaitOne(TimeSpan.FromSeconds(5)), "the watch did not notice the process had ended");
        Assert.Equal(child.Id, watch.GonePid);
    }

    [Theory]
    [InlineData("12,abc")]
    [InlineData("-3")]
    public void The_build_watch_rejects_what_is_not_a_process_id(string pids) =>
        Assert.Throws<UsageException>(() => BuildWatch.Start(pids));

    [Fact]
    public void Nothing_to_watch_never_cancels()
    {
        using BuildWatch watch = BuildWatch.Start(null);
        Assert.False(watch.Token.IsCancellationRequested);
    }

    private static (string Data, string Config) WriteRun(TempDir temp)
    {
        RatingSplit split = RatingSplitter.Split(SyntheticRatings.Generate(), new SplitOptions(3));
        string dir = Path.Combine(temp.Root, "data");
        Directory.CreateDirectory(dir);
        ParquetTables.WriteRatings(Path.Combine(dir, "train.parquet"), split.Train);
        ParquetTables.WriteRatings(Path.Combine(dir, "validation.parquet"), split.Validation);
        ParquetTables.WriteRatings(Path.Combine(dir, "test.parquet"), split.Test);
        string config = temp.PathOf("config.json");
        File.WriteAllText(config, SyntheticRatings.Config().ToJson());
        return (dir, config);
    }
}
