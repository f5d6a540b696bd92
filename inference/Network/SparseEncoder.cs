using AutoRec.Inference.Numerics;

namespace AutoRec.Inference.Network;

/// <summary>
/// A network's hidden layers run on one sparse row: the first layer of each tower as a sum of its weight columns at
/// the row's known entries (each tower's W₁ transposed once, so a column is contiguous), the later layers dense, the
/// towers' last hidden values concatenated: the code the output layer reads. Exactly the graph's arithmetic for a
/// model that reads ratings as given (unknown = 0, <see cref="NetworkGraph.ReadsRatingsAsGiven"/>). Immutable;
/// thread-safe (callers bring the buffers).
/// </summary>
internal sealed class SparseEncoder
{
    private readonly IReadOnlyList<IReadOnlyList<DenseLayerWeights>> _towers;
    private readonly float[][] _columns;
    private readonly int _inputWidth;

    public SparseEncoder(NetworkGraph network, int inputWidth)
    {
        _inputWidth = inputWidth;
        _columns = [.. network.Towers.Select(tower => Transpose(tower[0].Weight, tower[0].Outputs, tower[0].Inputs))];

        // The first layers' own weights are not kept: their transposes replace them.
        _towers = [.. network.Towers.Select(tower => (IReadOnlyList<DenseLayerWeights>)[tower[0] with { Weight = [] }, .. tower.Skip(1)])];
        CodeWidth = network.CodeWidth;
        Widest = _towers.SelectMany(tower => tower).Max(layer => layer.Outputs);
    }

    /// <summary>The code's length.</summary>
    public int CodeWidth { get; }

    /// <summary>The length each of <see cref="Encode"/>'s two buffers needs.</summary>
    public int Widest { get; }

    /// <summary>Bytes held: the transposed first layers and the later layers.</summary>
    public long Bytes =>
        (_columns.Sum(c => c.LongLength) + _towers.SelectMany(tower => tower).Sum(layer => layer.Weight.LongLength + layer.Bias.LongLength)) * sizeof(float);

    /// <summary>The code of the row whose known entries are <paramref name="entries"/> (input columns and values) and side features <paramref name="side"/>.</summary>
    public void Encode<TEntries>(TEntries entries, ReadOnlySpan<float> side, Span<float> code, float[] first, float[] second)
        where TEntries : IEnumerable<(int Column, float Value)>
    {
        int offset = 0;
        for (int t = 0; t < _towers.Count; t++)
        {
            IReadOnlyList<DenseLayerWeights> layers = _towers[t];
            DenseLayerWeights layer0 = layers[0];
            Span<float> x = first.AsSpan(0, layer0.Outputs);
            layer0.Bias.CopyTo(x);
            foreach ((int column, float value) in entries)
            {
                Simd.MultiplyAdd(_columns[t].AsSpan(column * layer0.Outputs, layer0.Outputs), value, x);
            }

            for (int k = 0; k < side.Length; k++)
            {
                if (side[k] != 0)
                {
                    Simd.MultiplyAdd(_columns[t].AsSpan((_inputWidth + k) * layer0.Outputs, layer0.Outputs), side[k], x);
                }
            }

            ActivationMath.Apply(layer0.Activation, x);
            (float[] input, float[] output) = (first, second);
            for (int l = 1; l < layers.Count; l++)
            {
                DenseLayerWeights layer = layers[l];
                ReadOnlySpan<float> h = input.AsSpan(0, layer.Inputs);
                Span<float> y = output.AsSpan(0, layer.Outputs);
                for (int o = 0; o < layer.Outputs; o++)
                {
                    y[o] = Simd.Dot(layer.Weight.AsSpan(o * layer.Inputs, layer.Inputs), h) + layer.Bias[o];
                }

                ActivationMath.Apply(layer.Activation, y);
                (input, output) = (output, input);
            }

            int width = layers[^1].Outputs;
            input.AsSpan(0, width).CopyTo(code.Slice(offset, width));
            offset += width;
        }
    }

    private static float[] Transpose(float[] matrix, int rows, int columns)
    {
        var transposed = new float[matrix.Length];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                transposed[(c * rows) + r] = matrix[(r * columns) + c];
            }
        }

        return transposed;
    }
}
