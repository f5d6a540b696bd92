using static TorchSharp.torch;

namespace AutoRec.Training.Training;

/// <summary>
/// The parameters of the best epoch so far, copied out of the network so that later epochs can change it and the
/// best can be put back at the end (and checkpointed in between).
/// </summary>
public sealed class BestWeights
{
    private float[][]? _arrays;

    /// <summary>Whether a snapshot was taken (or restored from a checkpoint).</summary>
    public bool HasSnapshot => _arrays is not null;

    /// <summary>
    /// The snapshot, one array per parameter in the order and layout of the training path that captured it
    /// (<c>parameters()</c> for the dense path); empty before the first.
    /// </summary>
    public IReadOnlyList<float[]> Arrays => _arrays ?? [];

    /// <summary>A keeper holding <paramref name="arrays"/> (read from a checkpoint).</summary>
    public static BestWeights Of(float[][] arrays)
    {
        ArgumentNullException.ThrowIfNull(arrays);
        return new BestWeights { _arrays = arrays };
    }

    /// <summary>Copies <paramref name="parameters"/> out, replacing the previous snapshot.</summary>
    public void Capture(IReadOnlyList<Tensor> parameters) => Capture(new TensorParameterArrays(parameters));

    /// <summary>Copies <paramref name="parameters"/> out, replacing the previous snapshot.</summary>
    internal void Capture(IParameterArrays parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);

        // Reuses the previous snapshot's arrays: a fresh copy per improvement would be large-object garbage.
        float[][] snapshot = _arrays?.Length == parameters.Count ? _arrays : new float[parameters.Count][];
        for (int i = 0; i < parameters.Count; i++)
        {
            int length = parameters.LengthOf(i);
            if (snapshot[i]?.Length != length)
            {
                snapshot[i] = new float[length];
            }

            parameters.CopyOut(i, snapshot[i]);
        }

        _arrays = snapshot;
    }

    /// <summary>Copies the snapshot back into <paramref name="parameters"/> (same order and sizes as captured).</summary>
    /// <exception cref="InvalidOperationException">There is no snapshot.</exception>
    public void RestoreTo(IReadOnlyList<Tensor> parameters) => RestoreTo(new TensorParameterArrays(parameters));

    /// <summary>Copies the snapshot back into <paramref name="parameters"/> (same order and sizes as captured).</summary>
    /// <exception cref="InvalidOperationException">There is no snapshot.</exception>
    internal void RestoreTo(IParameterArrays parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        float[][] arrays = _arrays ?? throw new InvalidOperationException("no weights were captured");
        if (arrays.Length != parameters.Count)
        {
            throw new ArgumentException($"the snapshot has {arrays.Length} parameters, the network {parameters.Count}", nameof(parameters));
        }

        for (int i = 0; i < arrays.Length; i++)
        {
            if (arrays[i].Length != parameters.LengthOf(i))
            {
                throw new ArgumentException($"parameter {i} has {parameters.LengthOf(i)} values, the snapshot {arrays[i].Length}", nameof(parameters));
            }

            parameters.CopyIn(i, arrays[i]);
        }
    }
}
