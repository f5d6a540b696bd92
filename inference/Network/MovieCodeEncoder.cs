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
        var encoder = new SparseEncoder(network, model.InputWidth);
        return Sparse(encoder, rows, movieIds, id => sideFeatures is null ? [] : model.Checks.SideOf(sideFeatures, id, nameof(sideFeatures)));
    }

    /// <summary>The codes of <paramref name="rowIds"/>' rows of <paramref name="rows"/>, in parallel, row-major.</summary>
    public static float[] Sparse(SparseEncoder encoder, SparseRows rows, int[] rowIds, Func<int, float[]> sideOf)
    {
        float[][] side = [.. rowIds.Select(sideOf)];
        int width = encoder.CodeWidth;
        var codes = new float[(long)rowIds.Length * width];
        Parallel.For(
            0,
            rowIds.Length,
            () => (First: new float[encoder.Widest], Second: new float[encoder.Widest]),
            (m, _, buffers) =>
            {
                encoder.Encode(rows.Of(rowIds[m]), side[m], codes.AsSpan((int)((long)m * width), width), buffers.First, buffers.Second);
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

    private readonly struct MovieRows(
        InputChecks checks, SparseRows rows, int[] movieIds, IReadOnlyDictionary<int, float[]>? sideFeatures, float[] codes, int width) : IRowBatch
    {
        public void WriteRatings(int row, Span<float> destination) => rows.Write(movieIds[row], destination);

        public void WriteSide(int row, Span<float> destination) =>
            checks.SideOf(sideFeatures!, movieIds[row], nameof(sideFeatures)).CopyTo(destination);

        public void ReadPredictions(int row, ReadOnlySpan<float> predictions) => predictions.CopyTo(codes.AsSpan(row * width, width));
    }
}
