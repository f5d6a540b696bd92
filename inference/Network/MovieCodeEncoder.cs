using AutoRec.Inference.Numerics;
using AutoRec.Inference.Rows;
using Microsoft.ML.OnnxRuntime;

namespace AutoRec.Inference.Network;

/// <summary>
/// Computes an item-based model's movie codes: the last hidden layer's output for each movie's training column
/// (its ratings by every user; for a blend of towers, each tower's, side by side), what the output layer
/// multiplies by each user's row.
/// </summary>
/// <remarks>
/// Two ways, same numbers: when the graph fills nothing (zero default, the usual case) the first layer is a sparse
/// sum over the movie's ratings, W₁[:, users who rated it], computed here in C# (ML-1M: 0.8 M ratings x 500 units
/// instead of 3,706 x 6,040 x 500 for the dense first layer); any other fill (constant, row or column means) runs a
/// graph cut from the model at the codes (<see cref="NetworkGraph.CodeGraph"/>) through ONNX Runtime, so the
/// graph's own fill is what is computed.
/// </remarks>
internal static class MovieCodeEncoder
{
    /// <summary>How codes are computed: <see cref="Auto"/> picks <see cref="Sparse"/> when the graph allows it.</summary>
    internal enum Method
    {
        Auto,
        Sparse,
        Graph,
    }

    /// <summary>The codes of <paramref name="movieIds"/>, one row of <see cref="NetworkGraph.CodeWidth"/> each.</summary>
    public static float[] Encode(
        RecommenderModel model, NetworkGraph network, SparseRows rows, int[] movieIds, IReadOnlyDictionary<int, float[]>? sideFeatures, Method method)
    {
        bool sparse = method switch
        {
            Method.Sparse when !network.ReadsRatingsAsGiven => throw new InvalidOperationException("the graph fills unknown ratings: codes need the graph"),
            Method.Sparse => true,
            Method.Graph => false,
            _ => network.ReadsRatingsAsGiven,
        };
        return sparse
            ? Sparse(model, network, rows, movieIds, sideFeatures)
            : Graph(model, network, rows, movieIds, sideFeatures);
    }

    private static float[] Sparse(RecommenderModel model, NetworkGraph network, SparseRows rows, int[] movieIds, IReadOnlyDictionary<int, float[]>? sideFeatures)
    {
        IReadOnlyList<IReadOnlyList<DenseLayerWeights>> towers = network.Towers;
        int inputWidth = model.InputWidth;
        int width = network.CodeWidth;
        int widest = towers.SelectMany(tower => tower).Max(layer => layer.Outputs);

        // Each tower's W₁ transposed once, so that the column of each user who rated a movie is contiguous.
        float[][] columns = [.. towers.Select(tower => Transpose(tower[0].Weight, tower[0].Outputs, tower[0].Inputs))];
        float[][] side = movieIds.Select(id => sideFeatures is null ? [] : model.Checks.SideOf(sideFeatures, id, nameof(sideFeatures))).ToArray();
        var codes = new float[(long)movieIds.Length * width];
        Parallel.For(
            0,
            movieIds.Length,
            () => (First: new float[widest], Second: new float[widest]),
            (m, _, buffers) =>
            {
                int offset = 0;
                for (int t = 0; t < towers.Count; t++)
                {
                    IReadOnlyList<DenseLayerWeights> layers = towers[t];
                    DenseLayerWeights first = layers[0];
                    Span<float> x = buffers.First.AsSpan(0, first.Outputs);
                    first.Bias.CopyTo(x);
                    foreach ((int column, float value) in rows.Of(movieIds[m]))
                    {
                        Simd.MultiplyAdd(columns[t].AsSpan(column * first.Outputs, first.Outputs), value, x);
                    }

                    for (int k = 0; k < side[m].Length; k++)
                    {
                        if (side[m][k] != 0)
                        {
                            Simd.MultiplyAdd(columns[t].AsSpan((inputWidth + k) * first.Outputs, first.Outputs), side[m][k], x);
                        }
                    }

                    ActivationMath.Apply(first.Activation, x);
                    (float[] input, float[] output) = buffers;
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

                    int code = layers[^1].Outputs;
                    input.AsSpan(0, code).CopyTo(codes.AsSpan((int)((long)m * width) + offset, code));
                    offset += code;
                }

                return buffers;
            },
            _ => { });
        return codes;
    }

    private static float[] Graph(RecommenderModel model, NetworkGraph network, SparseRows rows, int[] movieIds, IReadOnlyDictionary<int, float[]>? sideFeatures)
    {
        InferenceSession session;
        using (SessionOptions options = BatchRunner.CreateSessionOptions(model.Options))
        {
            try
            {
                session = new InferenceSession(network.CodeGraph(), options);
            }
            catch (OnnxRuntimeException e)
            {
                throw new ModelFormatException(ModelErrorCodes.NotLoadable, model.Source, $"the graph of its movie codes cannot be loaded: {e.Message}", e);
            }
        }

        var codes = new float[(long)movieIds.Length * network.CodeWidth];
        using var runner = new BatchRunner(
            session, model.Session.InputNames, network.CodeValue, model.InputWidth, model.SideWidth, network.CodeWidth, model.Options.BatchSize);
        var batch = new MovieRows(model.Checks, rows, movieIds, sideFeatures, codes, network.CodeWidth);
        runner.Run(movieIds.Length, ref batch);
        return codes;
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

    /// <summary>Each movie's training column in; its code out, into its row of the codes.</summary>
    private readonly struct MovieRows(
        InputChecks checks, SparseRows rows, int[] movieIds, IReadOnlyDictionary<int, float[]>? sideFeatures, float[] codes, int width) : IRowBatch
    {
        public void WriteRatings(int row, Span<float> destination) => rows.Write(movieIds[row], destination);

        public void WriteSide(int row, Span<float> destination) =>
            checks.SideOf(sideFeatures!, movieIds[row], nameof(sideFeatures)).CopyTo(destination);

        public void ReadPredictions(int row, ReadOnlySpan<float> predictions) => predictions.CopyTo(codes.AsSpan(row * width, width));
    }
}
