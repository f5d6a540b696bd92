using System.Buffers;
using AutoRec.Inference.Rows;
using Microsoft.ML.OnnxRuntime;

namespace AutoRec.Inference.Network;

/// <summary>
/// The one loop that runs rows through an ONNX Runtime session: in batches, with pooled buffers, reading one float32
/// [batch, width] output. The model's own session (<see cref="ModelSession"/>) and the movie-code graph of an
/// item-based model (<see cref="MovieCodeEncoder"/>) both run through it. Safe for concurrent callers (ONNX Runtime's
/// Run is thread-safe and each call rents its own buffers). Owns and disposes the session.
/// </summary>
internal sealed class BatchRunner : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private readonly int _batchSize;
    private bool _disposed;

    public BatchRunner(InferenceSession session, string[] inputNames, string outputName, int inputWidth, int sideWidth, int outputWidth, int batchSize)
    {
        _session = session;
        _inputNames = inputNames;
        _outputNames = [outputName];
        InputWidth = inputWidth;
        SideWidth = sideWidth;
        OutputWidth = outputWidth;
        _batchSize = batchSize;
    }

    public int InputWidth { get; }

    public int SideWidth { get; }

    public int OutputWidth { get; }

    public bool IsDisposed => _disposed;

    /// <summary>The ONNX Runtime options of <paramref name="options"/>; the caller disposes them.</summary>
    public static SessionOptions CreateSessionOptions(RecommenderOptions options) => new()
    {
        IntraOpNumThreads = options.IntraOpThreads,
        InterOpNumThreads = options.InterOpThreads,
        ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
        GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
    };

    /// <summary>
    /// Runs <paramref name="count"/> rows: <paramref name="rows"/> writes each row's input (already checked, or
    /// checking as it writes) and receives its output, batch by batch.
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
        _session.Run(_runOptions, _inputNames, inputs, _outputNames, [outputValue]);
    }

    // Pooled buffers keep the hot path free of large allocations.
    private static float[] Rent(int length) => ArrayPool<float>.Shared.Rent(Math.Max(length, 1));
}
