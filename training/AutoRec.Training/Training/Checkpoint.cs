using System.Security.Cryptography;
using System.Text.Json;
using System.Text;
using AutoRec.Data;
using AutoRec.Training.Configuration;
using AutoRec.Training.Data;
using AutoRec.Training.Model;
using static TorchSharp.torch;

namespace AutoRec.Training.Training;

/// <summary>
/// The files from which an interrupted run resumes: network and optimizer state, the best parameters so far and
/// the trainer's state. A checkpoint only resumes a run with the same config, data and training code (its fingerprint); each
/// file is written to a temporary name and renamed, state.json last, so a crash mid-save leaves the previous
/// checkpoint usable.
/// </summary>
public sealed class Checkpoint
{
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };
    private readonly string _dir;
    private readonly string _fingerprint;

    /// <summary>A checkpoint in <paramref name="dir"/> for this config and data.</summary>
    public Checkpoint(string dir, ModelConfig config, TrainingData data)
    {
        _dir = dir;
        _fingerprint = Fingerprint(config, data);
    }

    private string StatePath => Path.Combine(_dir, "state.json");

    private string NetworkPath => Path.Combine(_dir, "network.bin");

    private string OptimizerPath => Path.Combine(_dir, "optimizer.bin");

    private string BestPath => Path.Combine(_dir, "best.bin");

    /// <summary>Restores network, optimizer and state when a matching checkpoint exists; otherwise null.</summary>
    public TrainerState? TryResume(AutoencoderNetwork network, TorchSharp.Modules.OptimizerHelper optimizer)
    {
        if (!File.Exists(StatePath))
        {
            return null;
        }

        var saved = JsonSerializer.Deserialize<SavedState>(File.ReadAllText(StatePath), JsonOptions);
        if (saved is null || saved.Fingerprint != _fingerprint)
        {
            return null; // a different config or data: start over
        }

        network.load(NetworkPath);
        optimizer.load_state_dict(OptimizerPath);
        saved.State.BestWeights = File.Exists(BestPath) ? ReadArrays(BestPath) : null;
        return saved.State;
    }

    /// <summary>Saves everything needed to resume after <paramref name="state"/>'s epoch.</summary>
    public void Save(AutoencoderNetwork network, TorchSharp.Modules.OptimizerHelper optimizer, TrainerState state)
    {
        Directory.CreateDirectory(_dir);
        AtomicFiles.Write(NetworkPath, temporary => network.save(temporary));
        AtomicFiles.Write(OptimizerPath, temporary => optimizer.save_state_dict(temporary));
        if (state.BestEpoch == state.Epoch && state.BestWeights is not null)
        {
            AtomicFiles.Write(BestPath, temporary => WriteArrays(temporary, state.BestWeights));
        }

        AtomicFiles.Write(StatePath, temporary => File.WriteAllText(temporary, JsonSerializer.Serialize(new SavedState(_fingerprint, state), JsonOptions)));
    }

    /// <summary>Removes the checkpoint (after a finished run).</summary>
    public void Delete()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private static string Fingerprint(ModelConfig config, TrainingData data)
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

        text.Append('|').Append(checksum.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private static void WriteArrays(string path, float[][] arrays)
    {
        using var writer = new BinaryWriter(File.Create(path));
        writer.Write(arrays.Length);
        foreach (float[] array in arrays)
        {
            writer.Write(array.Length);
            writer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(array.AsSpan()));
        }
    }

    private static float[][] ReadArrays(string path)
    {
        using var reader = new BinaryReader(File.OpenRead(path));
        var arrays = new float[reader.ReadInt32()][];
        for (int i = 0; i < arrays.Length; i++)
        {
            arrays[i] = new float[reader.ReadInt32()];
            reader.Read(System.Runtime.InteropServices.MemoryMarshal.AsBytes(arrays[i].AsSpan()));
        }

        return arrays;
    }

    private sealed record SavedState(string Fingerprint, TrainerState State);
}
