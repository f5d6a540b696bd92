namespace AutoRec.Inference.Rows;

/// <summary>Rows given as ratings by input id, each predicted into a new array (<see cref="RecommenderModel.PredictBatch"/>).</summary>
internal readonly struct DictionaryRows(
    InputChecks checks, IReadOnlyList<IReadOnlyDictionary<int, float>> rows, IReadOnlyList<float[]>? side, string parameter) : IRowBatch
{
    public float[][] Predictions { get; } = new float[rows.Count][];

    public void WriteRatings(int row, Span<float> destination) =>
        checks.WriteRow(rows[row] ?? throw new ArgumentException($"row {row} is null", parameter), destination, parameter);

    public void WriteSide(int row, Span<float> destination) => side![row].CopyTo(destination);

    public void ReadPredictions(int row, ReadOnlySpan<float> predictions) => Predictions[row] = predictions.ToArray();
}
