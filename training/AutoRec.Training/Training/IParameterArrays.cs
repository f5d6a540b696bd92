namespace AutoRec.Training.Training;

/// <summary>
/// A training path's parameters as flat float arrays, in a fixed order and layout of the path's own (TorchSharp's
/// <c>parameters()</c> for the dense path): what <see cref="BestWeights"/> copies out and puts back.
/// </summary>
internal interface IParameterArrays
{
    /// <summary>The number of parameter arrays.</summary>
    int Count { get; }

    /// <summary>The length of array <paramref name="index"/>.</summary>
    int LengthOf(int index);

    /// <summary>Copies array <paramref name="index"/> into <paramref name="destination"/>.</summary>
    void CopyOut(int index, Span<float> destination);

    /// <summary>Overwrites array <paramref name="index"/> with <paramref name="source"/>.</summary>
    void CopyIn(int index, ReadOnlySpan<float> source);
}
