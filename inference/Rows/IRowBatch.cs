using AutoRec.Inference.Network;

namespace AutoRec.Inference.Rows;

/// <summary>
/// The rows of one <see cref="ModelSession.Run{TRows}"/>: writes each row's inputs and takes its predictions.
/// Implemented by structs (ref structs where they carry spans), so a call hands its inputs to the batching loop
/// without allocating a closure.
/// </summary>
internal interface IRowBatch
{
    /// <summary>Writes row <paramref name="row"/>'s ratings into <paramref name="destination"/>, which arrives all unknown (0).</summary>
    void WriteRatings(int row, Span<float> destination);

    /// <summary>Writes row <paramref name="row"/>'s side features into a zeroed <paramref name="destination"/>; called only for models that take them.</summary>
    void WriteSide(int row, Span<float> destination);

    /// <summary>Receives row <paramref name="row"/>'s predictions, valid only during the call.</summary>
    void ReadPredictions(int row, ReadOnlySpan<float> predictions);
}
