using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using AutoRec.Data;
using AutoRec.Training.Configuration;
using AutoRec.Training.Data;
using AutoRec.Training.Model;

namespace AutoRec.Training.Training;

/// <summary>
/// The files from which an interrupted run resumes: network and optimizer state, the best parameters so far and
/// the trainer's state. A checkpoint only resumes a run with the same config, data and training code (its
/// fingerprint). Each save writes new files named after the epoch and then renames state.json, which names them,
/// into place: whatever moment a crash hits, state.json describes one complete, consistent set. Files no longer
/// named are deleted afterwards.
/// </summary>
public sealed class Checkpoint
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    private readonly string _dir;
    private readonly string _fingerprint;
    private readonly ModelConfig _config;
    private readonly TrainingData _data;

    /// <summary>A checkpoint in <paramref name="dir"/> for this config and data, trained on <paramref name="path"/>.</summary>
    public Checkpoint(string dir, ModelConfig config, TrainingData data, TrainingPathKind path = TrainingPathKind.Dense)
    {
        _dir = dir;
        _config = config;
        _data = data;

        // The optimizer files of the two paths differ, and so do their best-weight layouts: a checkpoint resumes
        // only on the path that wrote it.
        _fingerprint = Fingerprint(config, data, path);
    }

    /// <summary>Where a checkpoint that cannot be read is moved, out of the way of the next run.</summary>
    public string DamagedDir => _dir.TrimEnd(Path.DirectorySeparatorChar) + ".damaged";

    private string StatePath => Path.Combine(_dir, "state.json");

    /// <summary>
    /// Restores network, optimizer and state when a matching, readable checkpoint exists; otherwise null (and
    /// <paramref name="reason"/> says why, when there was one that could not be used).
    /// </summary>
    internal TrainerState? TryResume(ITrainingPath path, out string? reason)
    {
        reason = null;
        if (!File.Exists(StatePath))
        {
            return null;
        }

        SavedState? saved;
        try
        {
            saved = JsonSerializer.Deserialize<SavedState>(File.ReadAllText(StatePath), JsonOptions);
        }
        catch (JsonException e)
        {
            reason = SetAside(StatePath, e);
            return null;
        }

        if (saved is null || saved.Fingerprint != _fingerprint)
        {
            reason = "the checkpoint belongs to another config, data or trainer build; starting over";
            return null;
        }

        string[] files = [saved.NetworkFile, saved.OptimizerFile, .. saved.BestFile is null ? [] : new[] { saved.BestFile }];
        if (files.Any(f => !File.Exists(Path.Combine(_dir, f))))
        {
            reason = "the checkpoint is incomplete; starting over";
            return null;
        }

        // Every file is read into scratch copies first: a truncated or corrupt one must not leave the real network
        // half loaded. Such a checkpoint is set aside (named in a warning) and the run starts over.
        string current = saved.NetworkFile;
        float[][]? best;
        try
        {
            var scratch = new AutoencoderNetwork(_config, _data.ColumnCount + (_data.Side?.Width ?? 0), _data.ColumnCount);
            scratch.load(Path.Combine(_dir, current));
            current = saved.OptimizerFile;
            path.LoadOptimizer(Path.Combine(_dir, current), apply: false);
            current = saved.BestFile ?? current;
            best = saved.BestFile is null ? null : ReadArrays(Path.Combine(_dir, saved.BestFile));
            scratch.Dispose();
        }
        catch (Exception e) when (IsUnreadable(e))
        {
            reason = SetAside(Path.Combine(_dir, current), e);
            return null;
        }

        path.Network.load(Path.Combine(_dir, saved.NetworkFile));
        path.NetworkLoaded();
        path.LoadOptimizer(Path.Combine(_dir, saved.OptimizerFile), apply: true);
        saved.State.BestWeights = best is null ? new BestWeights() : BestWeights.Of(best);
        return saved.State;
    }

    private static bool IsUnreadable(Exception e) =>
        e is IOException or InvalidDataException or ArgumentException or InvalidOperationException or ExternalException or FormatException;

    /// <summary>Moves the checkpoint to <see cref="DamagedDir"/> and returns the warning that says so.</summary>
    private string SetAside(string file, Exception error)
    {
        if (Directory.Exists(DamagedDir))
        {
            Directory.Delete(DamagedDir, recursive: true);
        }

        Directory.Move(_dir, DamagedDir);
        return $"{file}: warning AR2008: the checkpoint is unreadable ({error.GetType().Name}: {error.Message}); set aside as {DamagedDir}, starting over";
    }

    /// <summary>
    /// Saves everything needed to resume after <paramref name="state"/>'s epoch, then collects the garbage the
    /// save made.
    /// </summary>
    /// <exception cref="CodedException">A checkpoint file cannot be written (AR1012, naming it).</exception>
    internal void Save(ITrainingPath path, TrainerState state)
    {
        string current = _dir;
        try
        {
            SaveFiles(path, state, file => current = file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CodedException("AR1012", $"cannot write the checkpoint file {current}: {e.Message}", current);
        }

        // TorchSharp serialises each tensor through a managed copy: tens of megabytes of large-object garbage per
        // checkpoint, which would otherwise pile up for several epochs before a full collection.
        GC.Collect();
    }

    private void SaveFiles(ITrainingPath path, TrainerState state, Action<string> writing)
    {
        Directory.CreateDirectory(_dir);
        string epoch = state.Epoch.ToString("D5", CultureInfo.InvariantCulture);
        string networkFile = $"network-{epoch}.bin";
        string optimizerFile = $"optimizer-{epoch}.bin";
        int bestEpoch = state.Plateau.BestEpoch;
        string? bestFile = state.BestWeights.HasSnapshot ? $"best-{bestEpoch.ToString("D5", CultureInfo.InvariantCulture)}.bin" : null;

        writing(Path.Combine(_dir, networkFile));
        AutoencoderNetwork network = path.SyncNetwork();
        AtomicFiles.Write(Path.Combine(_dir, networkFile), temporary => network.save(temporary));
        writing(Path.Combine(_dir, optimizerFile));
        AtomicFiles.Write(Path.Combine(_dir, optimizerFile), path.SaveOptimizer);
        // A new best is always written (a file of that name may be left from an unrelated run); an older best
        // was written by this run when it was new.
        if (bestFile is not null && (bestEpoch == state.Epoch || !File.Exists(Path.Combine(_dir, bestFile))))
        {
            writing(Path.Combine(_dir, bestFile));
            AtomicFiles.Write(Path.Combine(_dir, bestFile), temporary => WriteArrays(temporary, state.BestWeights.Arrays));
        }

        var saved = new SavedState(_fingerprint, state, networkFile, optimizerFile, bestFile);
        writing(StatePath);
        AtomicFiles.Write(StatePath, temporary => File.WriteAllText(temporary, JsonSerializer.Serialize(saved, JsonOptions)));

        string[] keep = ["state.json", networkFile, optimizerFile, bestFile ?? ""];
        foreach (string file in Directory.EnumerateFiles(_dir, "*.bin"))
        {
            if (!keep.Contains(Path.GetFileName(file)))
            {
                File.Delete(file);
            }
        }
    }

    private static string Fingerprint(ModelConfig config, TrainingData data, TrainingPathKind path)
    {
        // The training code's identity too (deterministic builds keep it while the code is unchanged): a fixed
        // trainer must not resume a run of the old one.
        var text = new StringBuilder(config.ToJson()).Append(typeof(Checkpoint).Assembly.ManifestModule.ModuleVersionId);
        text.Append(data.Kind).Append('|').Append(data.RowCount).Append('|').Append(data.ColumnCount).Append('|')
            .Append(data.TrainRatings.Length).Append('|').Append(data.Validation.Length).Append('|').Append(data.Test.Length);
        double checksum = 0;
        foreach (HeldOutRating r in data.TrainRatings)
        {
            checksum += (r.Row * 31.0) + (r.Column * 17.0) + r.Value;
        }

        text.Append('|').Append(checksum.ToString("R", CultureInfo.InvariantCulture)).Append('|').Append(path);
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private static void WriteArrays(string path, IReadOnlyList<float[]> arrays)
    {
        using var writer = new BinaryWriter(File.Create(path));
        writer.Write(arrays.Count);
        foreach (float[] array in arrays)
        {
            writer.Write(array.Length);
            writer.Write(MemoryMarshal.AsBytes(array.AsSpan()));
        }
    }

    private static float[][] ReadArrays(string path)
    {
        using var reader = new BinaryReader(File.OpenRead(path));
        var arrays = new float[reader.ReadInt32()][];
        for (int i = 0; i < arrays.Length; i++)
        {
            arrays[i] = new float[reader.ReadInt32()];
            reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(arrays[i].AsSpan()));
        }

        return arrays;
    }

    private sealed record SavedState(string Fingerprint, TrainerState State, string NetworkFile, string OptimizerFile, string? BestFile);
}
