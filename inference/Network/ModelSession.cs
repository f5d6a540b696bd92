using AutoRec.Contracts;
using AutoRec.Inference.Rows;
using Microsoft.ML.OnnxRuntime;
using ModelMetadata = AutoRec.Contracts.ModelMetadata;

namespace AutoRec.Inference.Network;

/// <summary>
/// The ONNX Runtime session of a model, checked to be an AutoRec export, and its batching loop
/// (<see cref="BatchRunner"/>): every prediction path goes through <see cref="Run{TRows}"/>. Safe for concurrent callers.
/// </summary>
internal sealed class ModelSession : IDisposable
{
    private readonly BatchRunner _runner;

    private ModelSession(InferenceSession session, ModelMetadata metadata, int batchSize)
    {
        Metadata = metadata;
        InputWidth = metadata.InputIds.Length;
        OutputWidth = metadata.OutputIds.Length;
        SideWidth = metadata.SideFeatures.Length;
        InputNames = SideWidth > 0 ? [ModelGraph.RatingsInput, ModelGraph.SideInput] : [ModelGraph.RatingsInput];
        _runner = new BatchRunner(session, InputNames, ModelGraph.PredictionsOutput, InputWidth, SideWidth, OutputWidth, batchSize);
    }

    /// <summary>The model's metadata, checked against its graph.</summary>
    public ModelMetadata Metadata { get; }

    /// <summary>Values per input row.</summary>
    public int InputWidth { get; }

    /// <summary>Values per output row.</summary>
    public int OutputWidth { get; }

    /// <summary>Side features per row (0 when the model takes none).</summary>
    public int SideWidth { get; }

    /// <summary>The graph's inputs, in the order runs feed them.</summary>
    public string[] InputNames { get; }

    /// <summary>Whether <see cref="Dispose"/> was called.</summary>
    public bool IsDisposed => _runner.IsDisposed;

    /// <summary>Creates the session with <paramref name="create"/> and checks that it is an AutoRec model.</summary>
    /// <exception cref="ModelFormatException">ONNX Runtime cannot load it, or it is not an AutoRec model.</exception>
    public static ModelSession Load(string source, RecommenderOptions options, Func<SessionOptions, InferenceSession> create)
    {
        InferenceSession session;
        using (SessionOptions sessionOptions = BatchRunner.CreateSessionOptions(options))
        {
            try
            {
                session = create(sessionOptions);
            }
            catch (OnnxRuntimeException e)
            {
                throw new ModelFormatException(ModelErrorCodes.NotLoadable, source, $"ONNX Runtime cannot load it as a model: {e.Message}", e);
            }
        }

        try
        {
            return new ModelSession(session, ModelContract.Read(session, source), options.BatchSize);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Runs <paramref name="count"/> rows: <paramref name="rows"/> writes each row's input (already checked, or
    /// checking as it writes) and receives its predictions, batch by batch.
    /// </summary>
    public void Run<TRows>(int count, ref TRows rows)
        where TRows : IRowBatch, allows ref struct => _runner.Run(count, ref rows);

    /// <inheritdoc />
    public void Dispose() => _runner.Dispose();
}
