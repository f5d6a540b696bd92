namespace AutoRec.Inference;

/// <summary>How a model is run.</summary>
public sealed record RecommenderOptions
{
    /// <summary>
    /// Threads ONNX Runtime uses inside one operator; 0 keeps its default (one per core). Servers with many
    /// concurrent callers usually do better with 1, letting the callers provide the parallelism.
    /// </summary>
    public int IntraOpThreads { get; init; }

    /// <summary>Threads ONNX Runtime uses across independent operators; 0 keeps its default.</summary>
    public int InterOpThreads { get; init; }

    /// <summary>Rows sent to the network per run by batch prediction, pair prediction and evaluation (bounds their memory).</summary>
    public int BatchSize { get; init; } = 256;

    /// <summary>
    /// Whether an item-based model is served over its compact factors (<see cref="Factors.CompactBasis"/>, the
    /// export's <c>compact.bin</c> beside model.onnx) when it has them; false serves the full codes.
    /// </summary>
    public bool CompactFactors { get; init; } = true;

    /// <summary>The compact basis to use instead of <c>compact.bin</c> beside the model file (it must exist and belong to the model); null looks beside it.</summary>
    public string? CompactBasisPath { get; init; }

    /// <summary>The defaults.</summary>
    public static RecommenderOptions Default { get; } = new();

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(IntraOpThreads, nameof(IntraOpThreads));
        ArgumentOutOfRangeException.ThrowIfNegative(InterOpThreads, nameof(InterOpThreads));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(BatchSize, nameof(BatchSize));
    }
}
