namespace AutoRec.Inference.Rows;

/// <summary>Dense row-major rows, already checked, predicted into the caller's span (<see cref="RecommenderModel.PredictDense"/>).</summary>
internal readonly ref struct DenseRows : IRowBatch
{
    private readonly ReadOnlySpan<float> _ratings;
    private readonly ReadOnlySpan<float> _side;
    private readonly Span<float> _destination;
    private readonly int _inputWidth;
    private readonly int _sideWidth;
    private readonly int _outputWidth;

    public DenseRows(ReadOnlySpan<float> ratings, ReadOnlySpan<float> side, Span<float> destination, int inputWidth, int sideWidth, int outputWidth)
    {
        _ratings = ratings;
        _side = side;
        _destination = destination;
        _inputWidth = inputWidth;
        _sideWidth = sideWidth;
        _outputWidth = outputWidth;
    }

    public void WriteRatings(int row, Span<float> destination) => _ratings.Slice(row * _inputWidth, _inputWidth).CopyTo(destination);

    public void WriteSide(int row, Span<float> destination) => _side.Slice(row * _sideWidth, _sideWidth).CopyTo(destination);

    public void ReadPredictions(int row, ReadOnlySpan<float> predictions) => predictions.CopyTo(_destination.Slice(row * _outputWidth, _outputWidth));
}
