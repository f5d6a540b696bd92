using System.Buffers;
using AutoRec.Contracts;
using Microsoft.ML.OnnxRuntime;
using ModelMetadata = AutoRec.Contracts.ModelMetadata;

namespace AutoRec.Inference;

/// <summary>
/// The ONNX Runtime session of a model and the one loop that runs rows through it: in batches of
/// <see cref="RecommenderOptions.BatchSize"/>, with pooled buffers. Every prediction path goes through
/// <see cref="Run{TRows}"/>. Safe for concurrent callers (ONNX Runtime's Run is thread-safe and each call rents its
/// own buffers).
/// </summary>
internal sealed class ModelSession : IDisposable
{
    private static readonly string[] OutputNames = [ModelGraph.PredictionsOutput];

    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly string[] _inputNames;
    private readonly int _batchSize;
    private bool _disposed;

    private ModelSession(InferenceSession session, ModelMetadata metadata, int batchSize)
    {
        _session = session;
        Metadata = metadata;
        _batchSize = batchSize;
        InputWidth = metadata.InputIds.Length;
        OutputWidth = metadata.OutputIds.Length;
        SideWidth = metadata.SideFeatures.Length;
        _inputNames = SideWidth > 0 ? [ModelGraph.RatingsInput, ModelGraph.SideInput] : [ModelGraph.RatingsInput];
    }

    /// <summary>The model's metadata, checked against its graph.</summary>
    public ModelMetadata Metadata { get; }

    /// <summary>Values per input row.</summary>
    public int InputWidth { get; }

    /// <summary>Values per output row.</summary>
    public int OutputWidth { get; }

    /// <summary>Side features per row (0 when the model takes none).</summary>
    public int SideWidth { get; }

    /// <summary>Whether <see cref="Dispose"/> was called.</summary>
    public bool IsDisposed => _disposed;

    /// <summary>Creates the session with <paramref name="create"/> and checks that it is an AutoRec model.</summary>
    /// <exception cref="ModelFormatException">ONNX Runtime cannot load it, or it is not an AutoRec model.</exception>
    public static ModelSession Load(string source, RecommenderOptions options, Func<SessionOptions, InferenceSession> create)
    {
        InferenceSession session;
        using (var sessionOptions = new SessionOptions
        {
            IntraOpNumThreads = options.IntraOpThreads,
            InterOpNumThreads = options.InterOpThreads,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        })
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
        where TRows : IRowBatch, allows ref struct
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (count == 0)
        {
            return;
        }

        int batch = Math.Min(_batchSize, count);
        float[] input = Rent(batch * InputWidth);
        float[]? side = SideWidth > 0 ? Rent(batch * SideWidth) : null;
        float[] output = Rent(batch * OutputWidth);
        try
        {
            for (int start = 0; start < count; start += batch)
            {
                int n = Math.Min(batch, count - start);

                // Rented arrays hold old data: every row starts all unknown.
                input.AsSpan(0, n * InputWidth).Clear();
                for (int r = 0; r < n; r++)
                {
                    rows.WriteRatings(start + r, input.AsSpan(r * InputWidth, InputWidth));
                }

                if (side is not null)
                {
                    side.AsSpan(0, n * SideWidth).Clear();
                    for (int r = 0; r < n; r++)
                    {
                        rows.WriteSide(start + r, side.AsSpan(r * SideWidth, SideWidth));
                    }
                }

                RunChunk(input, side, output, n);
                for (int r = 0; r < n; r++)
                {
                    rows.ReadPredictions(start + r, output.AsSpan(r * OutputWidth, OutputWidth));
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(input);
            if (side is not null)
            {
                ArrayPool<float>.Shared.Return(side);
            }

            ArrayPool<float>.Shared.Return(output);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _session.Dispose();
            _runOptions.Dispose();
        }
    }

    /// <summary>One run over the first <paramref name="rows"/> rows of pooled buffers, wrapped without copying.</summary>
    private void RunChunk(float[] ratings, float[]? side, float[] output, int rows)
    {
        using OrtValue ratingsValue = OrtValue.CreateTensorValueFromMemory(
            OrtMemoryInfo.DefaultInstance, ratings.AsMemory(0, rows * InputWidth), [rows, InputWidth]);
        using OrtValue? sideValue = side is null
            ? null
            : OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, side.AsMemory(0, rows * SideWidth), [rows, SideWidth]);
        using OrtValue outputValue = OrtValue.CreateTensorValueFromMemory(
            OrtMemoryInfo.DefaultInstance, output.AsMemory(0, rows * OutputWidth), [rows, OutputWidth]);
        OrtValue[] inputs = sideValue is null ? [ratingsValue] : [ratingsValue, sideValue];
        _session.Run(_runOptions, _inputNames, inputs, OutputNames, [outputValue]);
    }

    // Pooled buffers keep the hot path free of large allocations.
    private static float[] Rent(int length) => ArrayPool<float>.Shared.Rent(Math.Max(length, 1));
}
