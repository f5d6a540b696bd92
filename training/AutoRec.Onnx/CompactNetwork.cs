using AutoRec.Contracts;

namespace AutoRec.Onnx;

/// <summary>
/// A network's compact form as a network of its own, for runtimes without the inference library: the same hidden
/// layers, then a linear projection z = Bᵀ(h − μ) of their (concatenated) code onto the compact basis, then the
/// output layer's rows projected on it, w·μ added to their biases (the library's <c>CompactBasis</c>). Its predictions
/// are what the library serves over compact.bin, rounding aside; it is written as compact.onnx with the model's
/// signature and metadata (<see cref="OnnxModelBuilder"/>).
/// </summary>
public static class CompactNetwork
{
    /// <summary>The compact network of <paramref name="full"/> over <paramref name="basis"/> (width x rank, row-major) and <paramref name="mean"/>.</summary>
    /// <param name="full">The full network.</param>
    /// <param name="mean">μ, one value per code entry.</param>
    /// <param name="basis">B, code width x <paramref name="rank"/>, row-major, orthonormal columns.</param>
    /// <param name="rank">The compact width.</param>
    /// <param name="outputRows">The output layer's rows projected (outputs x rank, row-major: W B).</param>
    /// <param name="outputBias">The output layer's biases moved by W μ.</param>
    public static AutoencoderWeights Of(AutoencoderWeights full, float[] mean, float[] basis, int rank, float[] outputRows, float[] outputBias)
    {
        ArgumentNullException.ThrowIfNull(full);
        DenseLayer output = full.Layers[^1];
        int width = output.Inputs;
        if (mean.Length != width || basis.Length != width * rank || outputRows.Length != output.Outputs * rank || outputBias.Length != output.Outputs || output.Activation != Activation.Identity)
        {
            throw new ArgumentException($"a compact network of code width {width} needs a mean of {width}, a {width} x {rank} basis, {output.Outputs} x {rank} output rows and biases, and a linear output layer");
        }

        // The projection as a layer y = x Pᵀ + c: P = Bᵀ (rank x width), c = −Bᵀμ.
        var projection = new float[rank * width];
        var offset = new float[rank];
        for (int k = 0; k < width; k++)
        {
            for (int j = 0; j < rank; j++)
            {
                float b = basis[(k * rank) + j];
                projection[(j * width) + k] = b;
                offset[j] -= b * mean[k];
            }
        }

        return full with
        {
            Layers = [.. full.Layers.Take(full.Layers.Count - 1), new DenseLayer(width, rank, projection, offset, Activation.Identity), new DenseLayer(rank, output.Outputs, outputRows, outputBias, Activation.Identity)],
            HeadStart = full.Layers.Count - 1,
        };
    }
}
