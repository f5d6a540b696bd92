using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AutoRec.Contracts;
using AutoRec.Data;
using AutoRec.Training.Baselines;
using AutoRec.Training.Composite;
using AutoRec.Training.Configuration;
using AutoRec.Training.Data;
using AutoRec.Training.Reporting;
using AutoRec.Training.Training;

namespace AutoRec.Training.Experiments;

/// <summary>A finished model of a run (the run itself, a fold or a group) and its per-user test errors.</summary>
/// <param name="Result">Its numbers.</param>
/// <param name="Path">"sparse" or "dense".</param>
/// <param name="History">Its learning curves.</param>
/// <param name="UserErrors">Per user: the sum of squared test errors (best epoch) and their count.</param>
/// <param name="Note">Why it has no numbers (it diverged), or null.</param>
public sealed record PartOutcome(
    PartResult Result, string Path, Curves History, IReadOnlyDictionary<int, (double Sum, int Count)> UserErrors, string? Note = null);

/// <summary>
/// Trains one model into a folder, or finds it there: <c>part.json</c> (written last) marks it finished, with a
/// key of its config, data and part, so a finished model is never trained twice and a changed one always is. An
/// interrupted model resumes from the folder's checkpoint.
/// </summary>
internal static class PartTrainer
{
    private const string PartFile = "part.json";
    private const string UserErrorsFile = "test-users.csv";
    private const string PredictionsFile = "predictions.bin";
    private const string ConfigFile = "config.json";
    private const int CheckpointEvery = 25;

    /// <summary>The key of <paramref name="config"/> trained on <paramref name="part"/> of the split <paramref name="fingerprint"/> names.</summary>
    public static string Key(ModelConfig config, string fingerprint, string part)
    {
        return Hash((config with { Name = "" }).ToJson() + "|" + fingerprint + "|" + part);
    }

    /// <summary>The SHA-256 of <paramref name="text"/> (UTF-8), as lower-case hex: what every key of a run is made of.</summary>
    public static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>
    /// The finished model in <paramref name="folder"/> when its key is <paramref name="key"/>, else null; with
    /// <paramref name="configJson"/>, writes the folder's config.json when it lacks one (folders of older runs).
    /// </summary>
    public static PartOutcome? TryRead(string folder, string key, string? configJson = null)
    {
        string file = System.IO.Path.Combine(folder, PartFile);
        if (!File.Exists(file))
        {
            return null;
        }

        try
        {
            PartRecord? record = JsonSerializer.Deserialize<PartRecord>(File.ReadAllText(file), ExperimentSuite.JsonOptions);
            if (record is null || record.Key != key)
            {
                return null;
            }

            string config = System.IO.Path.Combine(folder, ConfigFile);
            if (configJson is not null && !File.Exists(config))
            {
                using var writes = new AtomicFiles();
                File.WriteAllText(writes.Stage(config), configJson);
                writes.Commit();
            }

            return new PartOutcome(record.Result, record.Path, record.History, ReadUserErrors(System.IO.Path.Combine(folder, UserErrorsFile)), record.Note);
        }
        catch (Exception e) when (e is JsonException or IOException or FormatException or IndexOutOfRangeException or OverflowException)
        {
            return null; // unreadable: trained again
        }
    }

    /// <summary>Copies a finished model's files from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public static void Copy(string from, string to)
    {
        Directory.CreateDirectory(to);
        using var writes = new AtomicFiles();
        foreach (string name in new[] { "history.csv", "learning-curve.png", UserErrorsFile, PredictionsFile, ConfigFile, PartFile })
        {
            string source = System.IO.Path.Combine(from, name);
            if (File.Exists(source))
            {
                File.Copy(source, writes.Stage(System.IO.Path.Combine(to, name)), overwrite: true);
            }
        }

        writes.Commit();
    }

    /// <summary>
    /// The validation and test predictions (not clipped, in the split's order) of the finished model in
    /// <paramref name="folder"/>, or null when it has none (trained before predictions were kept).
    /// </summary>
    public static (float[] Validation, float[] Test)? ReadPredictions(string folder, int validationCount, int testCount)
    {
        string file = System.IO.Path.Combine(folder, PredictionsFile);
        if (!File.Exists(file) || new FileInfo(file).Length != ((long)validationCount + testCount) * sizeof(float))
        {
            return null;
        }

        float[] all = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(file)).ToArray();
        return (all[..validationCount], all[validationCount..]);
    }

    /// <summary>
    /// Trains <paramref name="config"/> on <paramref name="data"/> into <paramref name="folder"/> (resuming its
    /// checkpoint), stopping after <paramref name="lastEpoch"/> when given.
    /// </summary>
    public static PartOutcome Train(
        string folder, string key, string name, ModelConfig config, TrainingData data, IProgressSink progress, CancellationToken cancellation, int? lastEpoch = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        string path = TrainingPath.Choose(config).Name;
        return Train(folder, key, name, path, $"{config.Name} ({name})", config.ToJson(), data, progress, checkpoint =>
        {
            TrainingOutcome o = EnsembleTrainer.Run(config, data, progress, checkpoint, CheckpointEvery, lastEpoch, cancellation);
            return new TrainedPart(o.History, o.BestEpoch, o.Validation, o.Test, o.LastEpochTest, o.TrainSeconds, o.ValidationPredictions, o.TestPredictions);
        });
    }

    /// <summary>Trains biased matrix factorisation on <paramref name="data"/> (user-based layout) into <paramref name="folder"/>, for at most <paramref name="sweeps"/> sweeps when given.</summary>
    public static PartOutcome TrainMatrixFactorization(
        string folder, string key, string name, MatrixFactorizationConfig config, TrainingData data, IProgressSink progress, CancellationToken cancellation, int? sweeps = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        return Train(folder, key, name, "als", $"biased MF, {config.Factors} factors ({name})", System.Text.Json.JsonSerializer.Serialize(config) + "\n", data, progress, _ =>
        {
            TrainingOutcomeOfBaseline o = new BiasedMatrixFactorization(config with { Sweeps = sweeps ?? config.Sweeps }, data).Train(progress, cancellation);
            return new TrainedPart(o.History, o.BestEpoch, o.Validation, o.Test, new RmseResult(double.NaN, double.NaN, 0), o.TrainSeconds, o.ValidationPredictions, o.TestPredictions);
        });
    }

    private static PartOutcome Train(
        string folder, string key, string name, string path, string title, string configJson, TrainingData data, IProgressSink progress, Func<string, TrainedPart> train)
    {
        Directory.CreateDirectory(folder);
        using ModelFolderLock held = ModelFolderLock.Acquire(folder, "autorec-train experiment");
        string checkpoint = System.IO.Path.Combine(folder, "checkpoint");
        PartOutcome outcome;
        try
        {
            TrainedPart trained = train(checkpoint);
            var errors = new Dictionary<int, (double Sum, int Count)>();
            for (int i = 0; i < data.Test.Length; i++)
            {
                HeldOutRating r = data.Test[i];
                double error = Math.Clamp(trained.TestPredictions[i], data.Scale.Min, data.Scale.Max) - r.Value;
                errors[r.UserId] = errors.TryGetValue(r.UserId, out (double Sum, int Count) user) ? (user.Sum + (error * error), user.Count + 1) : (error * error, 1);
            }

            // An ensemble's best epoch is its members' mean and its history the first member's: that epoch may be missing.
            EpochResult? best = trained.History.FirstOrDefault(r => r.Epoch == trained.BestEpoch);
            var result = new PartResult
            {
                Name = name,
                Users = errors.Count,
                TestRatings = trained.Test.Count,
                TestRmse = trained.Test.Global,
                TestRmseUserMean = trained.Test.UserMean,
                LastEpochTestRmse = trained.LastEpochTest.Global,
                LastEpochTestRmseUserMean = trained.LastEpochTest.UserMean,
                ValidationRmse = trained.Validation.Global,
                TrainRmse = best?.TrainRmse ?? double.NaN,
                BestEpoch = trained.BestEpoch,
                Epochs = trained.History.Count,
                Seconds = Math.Round(trained.Seconds, 1),
            };
            outcome = new PartOutcome(result, path, CurvesOf(trained.History), errors);
            Write(folder, key, outcome, trained.History, title, configJson, [.. trained.ValidationPredictions, .. trained.TestPredictions]);
        }
        catch (TrainingDivergedException e)
        {
            progress.Message(e.Message);
            var result = new PartResult { Name = name, TestRmse = double.NaN, TestRmseUserMean = double.NaN, LastEpochTestRmse = double.NaN, LastEpochTestRmseUserMean = double.NaN, ValidationRmse = double.NaN, TrainRmse = double.NaN, Epochs = e.Epoch };
            outcome = new PartOutcome(result, path, new Curves([], [], []), new Dictionary<int, (double, int)>(), $"diverged at epoch {e.Epoch}");
            Write(folder, key, outcome, [], null, configJson, []);
        }

        // The checkpoint is only for resuming: a finished model is its part.json.
        if (Directory.Exists(checkpoint))
        {
            Directory.Delete(checkpoint, recursive: true);
        }

        return outcome;
    }

    private static void Write(string folder, string key, PartOutcome outcome, IReadOnlyList<EpochResult> history, string? title, string configJson, float[] predictions)
    {
        using var writes = new AtomicFiles();
        string Stage(string name) => writes.Stage(System.IO.Path.Combine(folder, name));
        File.WriteAllText(Stage(ConfigFile), configJson);
        File.WriteAllBytes(Stage(PredictionsFile), System.Runtime.InteropServices.MemoryMarshal.AsBytes(predictions.AsSpan()).ToArray());
        File.WriteAllText(Stage("history.csv"), RunReport.HistoryCsv(history));
        if (title is not null && history.Count > 0)
        {
            RunReport.SaveLearningCurve(Stage("learning-curve.png"), history, outcome.Result.BestEpoch, title);
        }

        var csv = new StringBuilder("user_id,squared_error_sum,count\n");
        foreach ((int user, (double sum, int count)) in outcome.UserErrors.OrderBy(e => e.Key))
        {
            csv.Append(CultureInfo.InvariantCulture, $"{user},{sum:R},{count}\n");
        }

        File.WriteAllText(Stage(UserErrorsFile), csv.ToString());
        var record = new PartRecord(key, outcome.Path, outcome.Result, outcome.History, outcome.Note);
        File.WriteAllText(Stage(PartFile), JsonSerializer.Serialize(record, ExperimentSuite.JsonOptions) + "\n");
        writes.Commit();
    }

    private static Dictionary<int, (double Sum, int Count)> ReadUserErrors(string path)
    {
        var errors = new Dictionary<int, (double Sum, int Count)>();
        foreach (string line in File.ReadLines(path).Skip(1))
        {
            string[] fields = line.Split(',');
            errors[int.Parse(fields[0], CultureInfo.InvariantCulture)] =
                (double.Parse(fields[1], CultureInfo.InvariantCulture), int.Parse(fields[2], CultureInfo.InvariantCulture));
        }

        return errors;
    }

    private static Curves CurvesOf(IReadOnlyList<EpochResult> history) => new(
        [.. history.Select(r => Math.Round(r.TrainRmse, 5))],
        [.. history.Select(r => Math.Round(r.ValidationRmse, 5))],
        [.. history.Select(r => Math.Round(r.ValidationRmseUserMean, 5))]);

    private sealed record PartRecord(string Key, string Path, PartResult Result, Curves History, string? Note);

    private sealed record TrainedPart(
        IReadOnlyList<EpochResult> History, int BestEpoch, RmseResult Validation, RmseResult Test, RmseResult LastEpochTest, double Seconds,
        float[] ValidationPredictions, float[] TestPredictions);
}
