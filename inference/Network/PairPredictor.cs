using AutoRec.Inference.Rows;

namespace AutoRec.Inference.Network;

/// <summary>
/// Predicts many (row, output column) pairs with one network run per distinct row, in batches, so a test set costs
/// one pass over its users (user-based) or movies (item-based) however many pairs each has.
/// </summary>
internal static class PairPredictor
{
    /// <summary>A pair located in the model: the row's id and the output column.</summary>
    public readonly record struct Pair(int RowId, int Column);

    /// <summary>One prediction per pair, in order.</summary>
    /// <param name="model">The model.</param>
    /// <param name="rows">The rows' known ratings.</param>
    /// <param name="pairs">The pairs.</param>
    /// <param name="sideFeatures">Side features by row id, when the model takes them (every row of a pair needs its own).</param>
    /// <param name="sideParameter">The caller's parameter that <paramref name="sideFeatures"/> came from, for errors.</param>
    public static float[] Predict(
        RecommenderModel model, SparseRows rows, IReadOnlyList<Pair> pairs, IReadOnlyDictionary<int, float[]>? sideFeatures, string sideParameter)
    {
        // Group pair indices by row with a counting sort: slot s's pairs are order[start[s]..start[s + 1]].
        var slotOf = new Dictionary<int, int>();
        var rowIds = new List<int>();
        var slots = new int[pairs.Count];
        for (int i = 0; i < pairs.Count; i++)
        {
            if (!slotOf.TryGetValue(pairs[i].RowId, out int slot))
            {
                slot = rowIds.Count;
                slotOf[pairs[i].RowId] = slot;
                rowIds.Add(pairs[i].RowId);
            }

            slots[i] = slot;
        }

        var start = new int[rowIds.Count + 1];
        foreach (int slot in slots)
        {
            start[slot + 1]++;
        }

        for (int s = 0; s < rowIds.Count; s++)
        {
            start[s + 1] += start[s];
        }

        var order = new int[pairs.Count];
        int[] next = start[..^1];
        for (int i = 0; i < pairs.Count; i++)
        {
            order[next[slots[i]]++] = i;
        }

        var batch = new Batch(model.Checks, rows, rowIds, pairs, start, order, sideFeatures, sideParameter);
        model.Session.Run(rowIds.Count, ref batch);
        return batch.Predictions;
    }

    private readonly struct Batch(
        InputChecks checks,
        SparseRows rows,
        List<int> rowIds,
        IReadOnlyList<Pair> pairs,
        int[] start,
        int[] order,
        IReadOnlyDictionary<int, float[]>? sideFeatures,
        string sideParameter) : IRowBatch
    {
        public float[] Predictions { get; } = new float[pairs.Count];

        public void WriteRatings(int row, Span<float> destination) => rows.Write(rowIds[row], destination);

        public void WriteSide(int row, Span<float> destination) =>
            checks.SideOf(sideFeatures!, rowIds[row], sideParameter).CopyTo(destination);

        public void ReadPredictions(int row, ReadOnlySpan<float> predictions)
        {
            for (int k = start[row]; k < start[row + 1]; k++)
            {
                Predictions[order[k]] = predictions[pairs[order[k]].Column];
            }
        }
    }
}
