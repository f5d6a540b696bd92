using AutoRec.Contracts;
using Google.Protobuf;
using Onnx;

namespace AutoRec.Onnx;

/// <summary>
/// Writes a trained autoencoder as a self-contained ONNX model with the <see cref="ModelGraph"/> signature: ratings
/// float32 [batch, n] with 0 for unknown (and side features [batch, k] when the model uses side information); the
/// graph fills the defaults, runs the dense layers (Gemm + activation, which ONNX Runtime fuses) and clips to the
/// rating scale. Opset 17, so no runtime code of ours is needed to use it. A network of towers
/// (<see cref="AutoencoderWeights.TowerStarts"/>) runs each tower from the input and concatenates their last hidden
/// values before the output layer.
/// </summary>
public static class OnnxModelBuilder
{
    /// <summary>The opset: at most 21 so that ONNX Runtime still fuses Gemm with Elu and Selu.</summary>
    public const int Opset = 17;

    /// <summary>Builds the model proto.</summary>
    public static ModelProto Build(AutoencoderWeights weights, OnnxExportSpec spec)
    {
        var graph = new GraphProto { Name = "autorec" };
        int columns = weights.Layers[^1].Outputs;
        graph.Input.Add(FloatMatrix(ModelGraph.RatingsInput, columns));
        if (spec.SideWidth > 0)
        {
            graph.Input.Add(FloatMatrix(ModelGraph.SideInput, spec.SideWidth));
        }

        var nodes = new NodeWriter(graph);
        string x = WriteFill(nodes, spec, columns);
        if (spec.SideWidth > 0)
        {
            x = nodes.Add("Concat", [x, ModelGraph.SideInput], "with_side", NodeWriter.Int("axis", 1));
        }

        IReadOnlyList<int> starts = weights.TowerStarts;
        int last = weights.Layers.Count - 1;
        int head = weights.HeadStart ?? last;
        if (head < 1 || head > last || starts.Count == 0 || starts[0] != 0 || starts.Zip(starts.Skip(1)).Any(p => p.Second <= p.First) || (starts.Count > 1 && starts[^1] >= head))
        {
            throw new ArgumentException($"tower starts [{string.Join(", ", starts)}] do not split {last} hidden layers into towers", nameof(weights));
        }

        string input = x;
        var towerOutputs = new List<string>();
        for (int i = 0; i < weights.Layers.Count; i++)
        {
            if (i > 0 && i < head && starts.Contains(i))
            {
                towerOutputs.Add(x);
                x = input; // a tower reads the (filled) input
            }

            if (i == head && starts.Count > 1)
            {
                towerOutputs.Add(x);
                x = nodes.Add("Concat", [.. towerOutputs], "tower_codes", NodeWriter.Int("axis", 1));
            }

            DenseLayer layer = weights.Layers[i];
            string bias = nodes.Constant(ModelGraph.LayerBias(i), layer.Bias, [layer.Outputs]);
            // Tied layers are written with their own (transposed) copy: simpler graphs, same numbers.
            string weight = nodes.Constant(ModelGraph.LayerWeight(i), layer.Weight, [layer.Outputs, layer.Inputs]);
            string y = nodes.Add("Gemm", [x, weight, bias], $"layer{i}.linear", NodeWriter.Int("transB", 1));

            x = WriteActivation(nodes, y, layer.Activation, $"layer{i}");
        }

        string min = nodes.Constant("rating_min", [spec.RatingMin], []);
        string max = nodes.Constant("rating_max", [spec.RatingMax], []);
        nodes.Add("Clip", [x, min, max], ModelGraph.PredictionsOutput);
        graph.Output.Add(FloatMatrix(ModelGraph.PredictionsOutput, columns));

        return NodeWriter.Model(
            graph, "Autoencoder recommender: input ratings (0 = unknown), output predicted ratings clipped to the scale.", spec.Metadata.ToProperties());
    }

    /// <summary>Writes the model to <paramref name="path"/> (as given: stage it for atomicity).</summary>
    public static void Write(ModelProto model, string path)
    {
        using FileStream stream = File.Create(path);
        model.WriteTo(stream);
    }

    private static string WriteFill(NodeWriter nodes, OnnxExportSpec spec, int columns)
    {
        if (spec.Fill == DefaultFill.Zero)
        {
            return ModelGraph.RatingsInput;
        }

        string zero = nodes.Constant("zero", [0f], []);
        string unknown = nodes.Add("Equal", [ModelGraph.RatingsInput, zero], "unknown");
        string fill = spec.Fill switch
        {
            DefaultFill.Constant => nodes.Constant("fill_constant", [spec.FillConstant], []),
            DefaultFill.ColumnMean => nodes.Constant("column_means", spec.ColumnMeans, [1, columns]),
            _ => WriteRowMean(nodes, spec, unknown),
        };
        return nodes.Add("Where", [unknown, fill, ModelGraph.RatingsInput], "filled");
    }

    private static string WriteRowMean(NodeWriter nodes, OnnxExportSpec spec, string unknown)
    {
        string axes = nodes.Int64Constant("axis1", [1]);
        string known = nodes.Add("Not", [unknown], "known");
        string knownFloat = nodes.Add("Cast", [known], "known_float", NodeWriter.Int("to", (long)TensorProto.Types.DataType.Float));
        string count = nodes.Add("ReduceSum", [knownFloat, axes], "count", NodeWriter.Int("keepdims", 1));
        string sum = nodes.Add("ReduceSum", [ModelGraph.RatingsInput, axes], "sum", NodeWriter.Int("keepdims", 1));
        string one = nodes.Constant("one", [1f], []);
        string mean = nodes.Add("Div", [sum, nodes.Add("Max", [count, one], "count_at_least_one")], "mean");
        string hasAny = nodes.Add("Greater", [count, nodes.Constant("zero_count", [0f], [])], "has_ratings");
        return nodes.Add("Where", [hasAny, mean, nodes.Constant("global_mean", [spec.GlobalMean], [])], "row_mean");
    }

    private static string WriteActivation(NodeWriter nodes, string x, Activation activation, string prefix) => activation switch
    {
        Activation.Identity => x,
        Activation.Sigmoid => nodes.Add("Sigmoid", [x], $"{prefix}.sigmoid"),
        Activation.Relu => nodes.Add("Relu", [x], $"{prefix}.relu"),
        Activation.Tanh => nodes.Add("Tanh", [x], $"{prefix}.tanh"),
        Activation.Elu => nodes.Add("Elu", [x], $"{prefix}.elu", NodeWriter.Float("alpha", 1f)),
        Activation.Selu => nodes.Add("Selu", [x], $"{prefix}.selu", NodeWriter.Float("alpha", Activations.SeluAlpha), NodeWriter.Float("gamma", Activations.SeluGamma)),
        Activation.LeakyRelu => nodes.Add("LeakyRelu", [x], $"{prefix}.leaky_relu", NodeWriter.Float("alpha", Activations.LeakyReluSlope)),
        Activation.Swish => nodes.Add("Mul", [x, nodes.Add("Sigmoid", [x], $"{prefix}.swish_gate")], $"{prefix}.swish"),
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "not an activation"),
    };

    /// <summary>A float32 [batch, <paramref name="width"/>] value with a dynamic batch dimension.</summary>
    public static ValueInfoProto FloatMatrix(string name, int width) => new()
    {
        Name = name,
        Type = new TypeProto
        {
            TensorType = new TypeProto.Types.Tensor
            {
                ElemType = (int)TensorProto.Types.DataType.Float,
                Shape = new TensorShapeProto
                {
                    Dim =
                    {
                        new TensorShapeProto.Types.Dimension { DimParam = "batch" },
                        new TensorShapeProto.Types.Dimension { DimValue = width },
                    },
                },
            },
        },
    };
}
