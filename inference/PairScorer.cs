namespace AutoRec.Inference;

/// <summary>
/// Predicts many (row, output column) pairs with one network run per distinct row, in batches, so a test set
/// costs one pass over its users (user-based) or movies (item-based) however many pairs each has.
/// </summary>
internal static class PairScorer
{
    /// <summary>A pair located in the model: the row's id and the output column.</summary>
    public readonly record struct Pair(int RowId, int Column);

    /// <summary>One prediction per pair, in order.</summary>
    /// <param name="model">The model.</param>
    /// <param name="rows">The rows' known ratings.</param>
    /// <param name="pairs">The pairs.</param>
    /// <param name="side">Side features of a row id (null: zeros) when the model takes them.</param>
    public static float[] Score(RecommenderModel model, SparseRows rows, IReadOnlyList<Pair> pairs, Func<int, float[]?>? side)
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
        var next = start[..^1];
        for (int i = 0; i < pairs.Count; i++)
        {
            order[next[slots[i]]++] = i;
        }

        var predictions = new float[pairs.Count];
        RowWriter? writeSide = model.SideWidth == 0 || side is null ? null : (slot, destination) =>
        {
            float[]? features = side(rowIds[slot]);
            if (features is not null)
            {
                model.CheckSide(features, nameof(side));
                features.CopyTo(destination);
            }
        };
        model.RunRows(
            rowIds.Count,
            (slot, destination) => rows.Write(rowIds[slot], destination),
            writeSide,
            (slot, output) =>
            {
                for (int k = start[slot]; k < start[slot + 1]; k++)
                {
                    predictions[order[k]] = output[pairs[order[k]].Column];
                }
            });
        return predictions;
    }
}
