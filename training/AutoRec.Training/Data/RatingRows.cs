namespace AutoRec.Training.Data;

/// <summary>
/// Ratings in compressed sparse row form: for each row, its (column, value) pairs sorted by column, and for each
/// pair the index of the rating it came from (its slot, where predictions for it go). Memory O(ratings), whatever
/// the number of rows and columns: the sparse training path reads the training matrix, and the held-out ratings it
/// is scored on, only through this.
/// </summary>
public sealed class RatingRows
{
    private RatingRows(int rowCount, int columnCount, int[] offsets, int[] columns, float[] values, int[] slots, bool hadDuplicates)
    {
        RowCount = rowCount;
        ColumnCount = columnCount;
        Offsets = offsets;
        Columns = columns;
        Values = values;
        Slots = slots;
        HadDuplicates = hadDuplicates;
    }

    /// <summary>Number of rows.</summary>
    public int RowCount { get; }

    /// <summary>Number of columns.</summary>
    public int ColumnCount { get; }

    /// <summary>Row r's pairs are at [Offsets[r], Offsets[r + 1]); RowCount + 1 entries.</summary>
    public int[] Offsets { get; }

    /// <summary>The column of each pair.</summary>
    public int[] Columns { get; }

    /// <summary>The rating of each pair.</summary>
    public float[] Values { get; }

    /// <summary>The index, in the list this was built from, of each pair's rating.</summary>
    public int[] Slots { get; }

    /// <summary>Whether the list held a (row, column) more than once (only the last was kept when deduplicating).</summary>
    public bool HadDuplicates { get; }

    /// <summary>Number of pairs.</summary>
    public int Count => Columns.Length;

    /// <summary>The number of pairs in row <paramref name="row"/>.</summary>
    public int CountOf(int row) => Offsets[row + 1] - Offsets[row];

    /// <summary>
    /// Lays out <paramref name="ratings"/> by row. With <paramref name="deduplicate"/>, a (row, column) given more than
    /// once keeps its last rating, as writing them into a dense matrix in order would.
    /// </summary>
    public static RatingRows From(IReadOnlyList<HeldOutRating> ratings, int rowCount, int columnCount, bool deduplicate)
    {
        ArgumentNullException.ThrowIfNull(ratings);

        // Two stable counting sorts, by column then by row: rows in order, each row's pairs by column, and equal
        // pairs in their original order (so "the last one" is well defined). O(ratings + rows + columns).
        int n = ratings.Count;
        var byColumn = new int[n];
        var columnStart = new int[columnCount + 1];
        foreach (HeldOutRating r in ratings)
        {
            columnStart[r.Column + 1]++;
        }

        for (int c = 0; c < columnCount; c++)
        {
            columnStart[c + 1] += columnStart[c];
        }

        for (int i = 0; i < n; i++)
        {
            byColumn[columnStart[ratings[i].Column]++] = i;
        }

        var rowStart = new int[rowCount + 1];
        foreach (HeldOutRating r in ratings)
        {
            rowStart[r.Row + 1]++;
        }

        for (int r = 0; r < rowCount; r++)
        {
            rowStart[r + 1] += rowStart[r];
        }

        var next = (int[])rowStart.Clone();
        var order = new int[n];
        foreach (int i in byColumn)
        {
            order[next[ratings[i].Row]++] = i;
        }

        var offsets = new int[rowCount + 1];
        var columns = new int[n];
        var values = new float[n];
        var slots = new int[n];
        int count = 0;
        bool duplicates = false;
        for (int row = 0; row < rowCount; row++)
        {
            offsets[row] = count;
            for (int k = rowStart[row]; k < rowStart[row + 1]; k++)
            {
                HeldOutRating r = ratings[order[k]];
                if (count > offsets[row] && columns[count - 1] == r.Column)
                {
                    duplicates = true;
                    if (deduplicate)
                    {
                        values[count - 1] = r.Value;
                        slots[count - 1] = order[k];
                        continue;
                    }
                }

                columns[count] = r.Column;
                values[count] = r.Value;
                slots[count] = order[k];
                count++;
            }
        }

        offsets[rowCount] = count;
        if (count < n)
        {
            Array.Resize(ref columns, count);
            Array.Resize(ref values, count);
            Array.Resize(ref slots, count);
        }

        return new RatingRows(rowCount, columnCount, offsets, columns, values, slots, duplicates);
    }

    /// <summary>Writes rows [<paramref name="start"/>, start + <paramref name="count"/>) densely (0 = no rating), row-major.</summary>
    public void CopyDense(int start, int count, Span<float> destination)
    {
        if (destination.Length < (long)count * ColumnCount)
        {
            throw new ArgumentException($"{count} rows need {(long)count * ColumnCount} floats", nameof(destination));
        }

        destination[..(count * ColumnCount)].Clear();
        for (int row = 0; row < count; row++)
        {
            Span<float> target = destination.Slice(row * ColumnCount, ColumnCount);
            for (int k = Offsets[start + row]; k < Offsets[start + row + 1]; k++)
            {
                target[Columns[k]] = Values[k];
            }
        }
    }
}
