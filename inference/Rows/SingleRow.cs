namespace AutoRec.Inference.Rows;

/// <summary>One row given as ratings by input id, predicted into the caller's span (<see cref="RecommenderModel.PredictInto"/>).</summary>
internal readonly ref struct SingleRow : IRowBatch
{
    private readonly InputChecks _checks;
    private readonly IReadOnlyDictionary<int, float> _ratings;
    private readonly ReadOnlySpan<float> _side;
    private readonly Span<float> _destination;
    private readonly string _parameter;

    public SingleRow(InputChecks checks, IReadOnlyDictionary<int, float> ratings, ReadOnlySpan<float> side, Span<float> destination, string parameter)
    {
        _checks = checks;
        _ratings = ratings;
        _side = side;
        _destination = destination;
        _parameter = parameter;
    }

    public void WriteRatings(int row, Span<float> destination) => _checks.WriteRow(_ratings, destination, _parameter);

    public void WriteSide(int row, Span<float> destination) => _side.CopyTo(destination);

    public void ReadPredictions(int row, ReadOnlySpan<float> predictions) => predictions.CopyTo(_destination);
}
