using AutoRec.Onnx;

namespace AutoRec.Tests.Shared;

/// <summary>
/// The forward pass written out in plain C#, as training's InputPreparation and AutoencoderNetwork compute it:
/// fill unknown entries, append side features, dense layers with their activations, clip to the scale.
/// </summary>
internal static class ReferenceNetwork
{
    public static float[] Forward(AutoencoderWeights weights, OnnxExportSpec spec, float[] ratings, float[] side)
    {
        double[] x = Dense(weights, weights.Layers[^1], Code(weights, spec, ratings, side));
        return x.Select(v => (float)Math.Clamp(v, spec.RatingMin, spec.RatingMax)).ToArray();
    }

    /// <summary>
    /// The code of a row: the last hidden layer's output (what the output layer reads), in double precision; for a
    /// blend of towers, each tower's last hidden output in turn.
    /// </summary>
    public static double[] Code(AutoencoderWeights weights, OnnxExportSpec spec, float[] ratings, float[] side)
    {
        double[] input = [.. Fill(spec, ratings), .. side.Select(v => (double)v)];
        IReadOnlyList<int> starts = weights.TowerStarts;
        int last = weights.Layers.Count - 1;
        var code = new List<double>();
        for (int t = 0; t < starts.Count; t++)
        {
            double[] x = input;
            for (int l = starts[t]; l < (t + 1 < starts.Count ? starts[t + 1] : last); l++)
            {
                x = Dense(weights, weights.Layers[l], x);
            }

            code.AddRange(x);
        }

        return [.. code];
    }

    private static double[] Dense(AutoencoderWeights weights, DenseLayer layer, double[] x)
    {
        var y = new double[layer.Outputs];
        for (int o = 0; o < layer.Outputs; o++)
        {
            double sum = layer.Bias[o];
            for (int i = 0; i < layer.Inputs; i++)
            {
                sum += x[i] * WeightAt(weights, layer, o, i);
            }

            y[o] = Activate(sum, layer.Activation);
        }

        return y;
    }

    /// <summary>One activation in double precision.</summary>
    public static double Activate(double x, Activation activation) => activation switch
    {
        Activation.Identity => x,
        Activation.Sigmoid => 1 / (1 + Math.Exp(-x)),
        Activation.Relu => Math.Max(0, x),
        Activation.Elu => x > 0 ? x : Math.Exp(x) - 1,
        Activation.Selu => Activations.SeluGamma * (x > 0 ? x : Activations.SeluAlpha * (Math.Exp(x) - 1)),
        Activation.LeakyRelu => x > 0 ? x : Activations.LeakyReluSlope * x,
        Activation.Tanh => Math.Tanh(x),
        Activation.Swish => x / (1 + Math.Exp(-x)),
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "unknown activation"),
    };

    private static double WeightAt(AutoencoderWeights weights, DenseLayer layer, int output, int input)
    {
        if (layer.TiedTo is int owner)
        {
            // The owner's weight is [owner.Outputs, owner.Inputs] = [layer.Inputs, layer.Outputs]: used transposed.
            DenseLayer tied = weights.Layers[owner];
            return tied.Weight[(input * tied.Inputs) + output];
        }

        return layer.Weight[(output * layer.Inputs) + input];
    }

    private static double[] Fill(OnnxExportSpec spec, float[] ratings)
    {
        int known = ratings.Count(v => v != 0);
        double rowMean = known > 0 ? ratings.Sum(v => (double)v) / known : spec.GlobalMean;
        return ratings.Select((v, i) => v != 0 ? v : spec.Fill switch
        {
            DefaultFill.Zero => 0,
            DefaultFill.Constant => spec.FillConstant,
            DefaultFill.RowMean => rowMean,
            _ => spec.ColumnMeans[i],
        }).ToArray();
    }
}
