using System.Runtime.InteropServices;
using AutoRec.Contracts;
using Google.Protobuf;
using Onnx;

namespace AutoRec.Inference.Network;

/// <summary>One dense layer read from a model file: y = activation(W·x + b), W [Outputs, Inputs] row-major.</summary>
internal sealed record DenseLayerWeights(int Inputs, int Outputs, float[] Weight, float[] Bias, Activation Activation);

/// <summary>
/// The dense layers of an AutoRec model file, read from the ONNX graph itself: each layer's initializers
/// (<see cref="ModelGraph.LayerWeight"/>, <see cref="ModelGraph.LayerBias"/>), the Gemm that uses them and the
/// activation after it, checked to chain from the input to the clipped output (or, for a blend of towers, to chain
/// from the input in each tower, the towers' outputs concatenated before the output layer). This is what serves a model as
/// factors: an item-based model's movie codes (the last hidden layer's output) and its output layer's rows (one per
/// user), a user-based model's output rows (one per movie).
/// </summary>
internal sealed class NetworkGraph
{
    private readonly ModelProto _proto;
    private readonly Dictionary<string, NodeProto> _producers;

    private NetworkGraph(
        ModelProto proto, Dictionary<string, NodeProto> producers, IReadOnlyList<IReadOnlyList<DenseLayerWeights>> towers, DenseLayerWeights output, string codeValue,
        bool readsRatingsAsGiven)
    {
        _proto = proto;
        _producers = producers;
        Towers = towers;
        Output = output;
        CodeValue = codeValue;
        ReadsRatingsAsGiven = readsRatingsAsGiven;
    }

    /// <summary>
    /// The hidden layers, input side first, by tower: one tower for a plain autoencoder; a blend of towers (each
    /// reading the input) concatenates their last hidden values into the codes.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<DenseLayerWeights>> Towers { get; }

    /// <summary>The output layer: it reads the codes.</summary>
    public DenseLayerWeights Output { get; }

    /// <summary>The length of a code: the last hidden layer's width (the sum over the towers, for towers).</summary>
    public int CodeWidth => Output.Inputs;

    /// <summary>The graph value the output layer reads: the codes (the towers' concatenation, for towers).</summary>
    public string CodeValue { get; }

    /// <summary>
    /// Whether the first layer reads the ratings (and side features) as given, unknown entries 0: the graph fills
    /// nothing, so a row's first layer is a sparse sum over its known ratings.
    /// </summary>
    public bool ReadsRatingsAsGiven { get; }

    /// <summary>Reads the layers of the model in <paramref name="bytes"/>, whose widths the metadata gives.</summary>
    /// <exception cref="ModelFormatException">The file cannot be parsed (<see cref="ModelErrorCodes.NotLoadable"/>), or its graph is not a chain (or towers) of the named dense layers (<see cref="ModelErrorCodes.WrongSignature"/>).</exception>
    public static NetworkGraph Read(byte[] bytes, ModelMetadata metadata, string source)
    {
        ModelProto proto;
        try
        {
            proto = ModelProto.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new ModelFormatException(ModelErrorCodes.NotLoadable, source, $"cannot be parsed as an ONNX model: {e.Message}", e);
        }

        return new Reader(proto, metadata, source).Read();
    }

    /// <summary>
    /// A model of the graph's nodes that compute the codes, with the codes as its output (float32 [batch,
    /// <see cref="CodeWidth"/>]) and the same inputs: ONNX Runtime computes codes with whatever fill the graph has.
    /// </summary>
    public byte[] CodeGraph()
    {
        GraphProto graph = _proto.Graph;
        var needed = new HashSet<string>(StringComparer.Ordinal);
        var nodes = new HashSet<NodeProto>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<string>();
        pending.Push(CodeValue);
        while (pending.TryPop(out string? value))
        {
            if (needed.Add(value) && _producers.TryGetValue(value, out NodeProto? node) && nodes.Add(node))
            {
                foreach (string input in node.Input.Where(input => input.Length > 0))
                {
                    pending.Push(input);
                }
            }
        }

        var codes = new GraphProto { Name = "autorec-movie-codes" };
        codes.Input.AddRange(graph.Input);
        codes.Node.AddRange(graph.Node.Where(nodes.Contains)); // the original order is topological
        codes.Initializer.AddRange(graph.Initializer.Where(tensor => needed.Contains(tensor.Name)));
        codes.Output.Add(FloatMatrix(CodeValue, CodeWidth));
        var model = new ModelProto { IrVersion = _proto.IrVersion, ProducerName = "AutoRec.Inference", Graph = codes };
        model.OpsetImport.AddRange(_proto.OpsetImport);
        return model.ToByteArray();
    }

    private static ValueInfoProto FloatMatrix(string name, int width) => new()
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

    /// <summary>Walks the graph once, naming the first thing that is not as the exporter writes it.</summary>
    private sealed class Reader
    {
        private readonly ModelProto _proto;
        private readonly ModelMetadata _metadata;
        private readonly string _source;
        private readonly Dictionary<string, TensorProto> _initializers = new(StringComparer.Ordinal);
        private readonly Dictionary<string, NodeProto> _producers = new(StringComparer.Ordinal);
        private readonly Dictionary<string, List<NodeProto>> _consumers = new(StringComparer.Ordinal);

        public Reader(ModelProto proto, ModelMetadata metadata, string source)
        {
            _proto = proto;
            _metadata = metadata;
            _source = source;
            GraphProto graph = proto.Graph ?? throw Wrong("the model has no graph");
            foreach (TensorProto tensor in graph.Initializer)
            {
                _initializers.TryAdd(tensor.Name, tensor);
            }

            foreach (NodeProto node in graph.Node)
            {
                foreach (string output in node.Output)
                {
                    _producers[output] = node;
                }

                foreach (string input in node.Input)
                {
                    if (!_consumers.TryGetValue(input, out List<NodeProto>? list))
                    {
                        list = [];
                        _consumers[input] = list;
                    }

                    list.Add(node);
                }
            }
        }

        public NetworkGraph Read()
        {
            var layers = new List<DenseLayerWeights>();
            var towerStarts = new List<int>();
            var towerOutputs = new List<string>();
            int concatReader = -1;
            string? previousOutput = null;
            string firstInput = "";
            string codeValue = "";
            for (int i = 0; _initializers.ContainsKey(ModelGraph.LayerWeight(i)); i++)
            {
                NodeProto gemm = GemmOf(i);
                if (concatReader >= 0)
                {
                    throw Wrong($"layer {i} follows the output layer {concatReader}, which reads the towers' concatenated codes");
                }

                if (i == 0)
                {
                    firstInput = gemm.Input[0];
                    towerStarts.Add(0);
                }
                else if (gemm.Input[0] == firstInput)
                {
                    // Another tower: it reads the input, as the first layer does.
                    towerOutputs.Add(previousOutput!);
                    towerStarts.Add(i);
                }
                else if (gemm.Input[0] != previousOutput)
                {
                    if (towerStarts.Count < 2)
                    {
                        throw Wrong($"layer {i} reads '{gemm.Input[0]}', not layer {i - 1}'s output '{previousOutput}'");
                    }

                    if (!IsConcatOf(gemm.Input[0], [.. towerOutputs, previousOutput!]))
                    {
                        throw Wrong($"layer {i} reads '{gemm.Input[0]}', which is neither layer {i - 1}'s output nor the {towerStarts.Count} towers' outputs concatenated in order");
                    }

                    concatReader = i;
                }

                codeValue = gemm.Input[0];
                (Activation activation, string output) = ActivationAfter(gemm.Output[0], i);
                float[] bias = Floats(ModelGraph.LayerBias(i), out long[] biasDims);
                float[] weight = Floats(ModelGraph.LayerWeight(i), out long[] dims);
                if (dims.Length != 2 || biasDims.Length != 1 || biasDims[0] != dims[0])
                {
                    throw Wrong($"layer {i}'s weight [{string.Join(", ", dims)}] and bias [{string.Join(", ", biasDims)}] are not [outputs, inputs] and [outputs]");
                }

                layers.Add(new DenseLayerWeights((int)dims[1], (int)dims[0], weight, bias, activation));
                previousOutput = output;
            }

            if (layers.Count < 2)
            {
                throw Wrong($"expected dense layers with initializers '{ModelGraph.LayerWeight(0)}', '{ModelGraph.LayerWeight(1)}', ...; found {layers.Count}");
            }

            if (towerStarts.Count > 1 && concatReader != layers.Count - 1)
            {
                throw Wrong($"the graph has {towerStarts.Count} towers (layers {string.Join(", ", towerStarts)} read the input) but its last layer does not read their concatenated outputs");
            }

            CheckClip(previousOutput!);
            IReadOnlyList<DenseLayerWeights>[] towers = [.. towerStarts.Select((start, t) =>
                (IReadOnlyList<DenseLayerWeights>)layers.GetRange(start, (t + 1 < towerStarts.Count ? towerStarts[t + 1] : layers.Count - 1) - start))];
            CheckWidths(towers, layers[^1]);
            return new NetworkGraph(_proto, _producers, towers, layers[^1], codeValue, ReadsInputs(firstInput));
        }

        /// <summary>Whether <paramref name="value"/> is Concat(<paramref name="parts"/>) along the features.</summary>
        private bool IsConcatOf(string value, string[] parts) =>
            _producers.TryGetValue(value, out NodeProto? concat)
            && concat.OpType == "Concat"
            && concat.Input.SequenceEqual(parts)
            && Int(concat, "axis", 0) is 1 or -1;

        private NodeProto GemmOf(int layer)
        {
            string weight = ModelGraph.LayerWeight(layer);
            string bias = ModelGraph.LayerBias(layer);
            NodeProto? gemm = _consumers.GetValueOrDefault(weight)?.FirstOrDefault(node => node.OpType == "Gemm");
            if (gemm is null || gemm.Input.Count != 3 || gemm.Input[1] != weight || gemm.Input[2] != bias || gemm.Output.Count != 1)
            {
                throw Wrong($"no Gemm(x, {weight}, {bias}) computes layer {layer}");
            }

            // y = x·Wᵀ + b exactly: transB = 1, no transA, alpha = beta = 1.
            if (Int(gemm, "transB", 0) != 1 || Int(gemm, "transA", 0) != 0 || Float(gemm, "alpha", 1f) != 1f || Float(gemm, "beta", 1f) != 1f)
            {
                throw Wrong($"layer {layer}'s Gemm is not x·Wᵀ + b (transB = 1, alpha = beta = 1)");
            }

            return gemm;
        }

        /// <summary>The activation applied to <paramref name="linear"/> and the value it produces.</summary>
        private (Activation Activation, string Output) ActivationAfter(string linear, int layer)
        {
            List<NodeProto> consumers = _consumers.GetValueOrDefault(linear) ?? [];
            if (consumers.Count == 2
                && consumers.SingleOrDefault(n => n.OpType == "Sigmoid") is NodeProto gate
                && consumers.SingleOrDefault(n => n.OpType == "Mul") is NodeProto product
                && product.Input.Count == 2 && product.Input.Contains(linear) && product.Input.Contains(gate.Output[0]))
            {
                return (Activation.Swish, product.Output[0]);
            }

            if (consumers.Count != 1)
            {
                throw Wrong($"layer {layer}'s output '{linear}' feeds {consumers.Count} nodes; expected one activation");
            }

            NodeProto node = consumers[0];
            Activation? activation = node.OpType switch
            {
                "Gemm" or "Clip" or "Concat" => Activation.Identity,
                "Sigmoid" => Activation.Sigmoid,
                "Relu" => Activation.Relu,
                "Tanh" => Activation.Tanh,
                "Elu" when Close(Float(node, "alpha", 1f), 1f) => Activation.Elu,
                "Selu" when Close(Float(node, "alpha", 1.67326319f), Activations.SeluAlpha) && Close(Float(node, "gamma", 1.05070102f), Activations.SeluGamma) => Activation.Selu,
                "LeakyRelu" when Close(Float(node, "alpha", 0.01f), Activations.LeakyReluSlope) => Activation.LeakyRelu,
                _ => null,
            };
            return activation switch
            {
                null => throw Wrong($"layer {layer}'s activation {node.OpType} ({node.Name}) is not one AutoRec exports"),
                Activation.Identity => (Activation.Identity, linear),
                _ => (activation.Value, node.Output[0]),
            };
        }

        private void CheckClip(string output)
        {
            List<NodeProto> consumers = _consumers.GetValueOrDefault(output) ?? [];
            if (consumers.Count != 1 || consumers[0].OpType != "Clip" || consumers[0].Output[0] != ModelGraph.PredictionsOutput)
            {
                throw Wrong($"the output layer's value '{output}' is not clipped into '{ModelGraph.PredictionsOutput}'");
            }
        }

        private void CheckWidths(IReadOnlyList<DenseLayerWeights>[] towers, DenseLayerWeights output)
        {
            int inputs = _metadata.InputIds.Length + _metadata.SideFeatures.Length;
            if (towers.Any(tower => tower[0].Inputs != inputs) || output.Outputs != _metadata.OutputIds.Length)
            {
                throw Wrong($"the layers map {towers[0][0].Inputs} inputs to {output.Outputs} outputs; the metadata says {inputs} and {_metadata.OutputIds.Length}");
            }

            foreach (IReadOnlyList<DenseLayerWeights> tower in towers)
            {
                for (int i = 1; i < tower.Count; i++)
                {
                    if (tower[i].Inputs != tower[i - 1].Outputs)
                    {
                        throw Wrong($"a layer takes {tower[i].Inputs} values but the layer before it gives {tower[i - 1].Outputs}");
                    }
                }
            }

            int codes = towers.Sum(tower => tower[^1].Outputs);
            if (output.Inputs != codes)
            {
                throw Wrong($"the output layer takes {output.Inputs} values but the hidden layers give {codes}");
            }
        }

        /// <summary>Whether the first layer reads the graph's inputs unchanged: ratings, or Concat(ratings, side) along the features.</summary>
        private bool ReadsInputs(string firstInput)
        {
            if (_metadata.SideFeatures.Length == 0)
            {
                return firstInput == ModelGraph.RatingsInput;
            }

            return _producers.TryGetValue(firstInput, out NodeProto? concat)
                && concat.OpType == "Concat"
                && concat.Input.SequenceEqual([ModelGraph.RatingsInput, ModelGraph.SideInput])
                && Int(concat, "axis", 0) is 1 or -1;
        }

        private float[] Floats(string name, out long[] dims)
        {
            TensorProto tensor = _initializers[name];
            dims = [.. tensor.Dims];
            if (tensor.DataType != (int)TensorProto.Types.DataType.Float || tensor.DataLocation == TensorProto.Types.DataLocation.External)
            {
                throw Wrong($"initializer '{name}' is not an embedded float32 tensor");
            }

            long count = dims.Aggregate(1L, (product, d) => product * d);
            if (tensor.RawData.Length > 0 && tensor.RawData.Length == count * sizeof(float) && BitConverter.IsLittleEndian)
            {
                // raw_data is little-endian by the ONNX spec.
                return MemoryMarshal.Cast<byte, float>(tensor.RawData.Span).ToArray();
            }

            if (tensor.RawData.Length == 0 && tensor.FloatData.Count == count)
            {
                return [.. tensor.FloatData];
            }

            throw Wrong($"initializer '{name}' holds {Math.Max(tensor.RawData.Length / sizeof(float), tensor.FloatData.Count)} values, not the {count} of its shape");
        }

        private static long Int(NodeProto node, string name, long fallback) =>
            node.Attribute.FirstOrDefault(a => a.Name == name) is AttributeProto attribute ? attribute.I : fallback;

        private static float Float(NodeProto node, string name, float fallback) =>
            node.Attribute.FirstOrDefault(a => a.Name == name) is AttributeProto attribute ? attribute.F : fallback;

        private static bool Close(float x, float y) => MathF.Abs(x - y) <= 1e-6f * MathF.Max(1f, MathF.Abs(y));

        private ModelFormatException Wrong(string reason) => new(ModelErrorCodes.WrongSignature, _source, $"cannot be served as factors: {reason}");
    }
}
