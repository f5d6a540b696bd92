namespace AutoRec.Inference;

/// <summary>
/// Known ratings laid out as the model's rows: by user for user-based models, by movie for item-based ones,
/// each entry already mapped to its input column and checked against the model's scale.
/// </summary>
internal sealed class SparseRows
{
    private readonly Dictionary<int, List<(int Column, float Value)>> _rows;

    private SparseRows(Dictionary<int, List<(int Column, float Value)>> rows) => _rows = rows;

    /// <summary>The ids of the rows that have at least one rating.</summary>
    public IEnumerable<int> RowIds => _rows.Keys;

    /// <summary>Lays out <paramref name="ratings"/> for <paramref name="model"/>.</summary>
    /// <exception cref="ArgumentException">A rating's input id is not in the model or its value is invalid (named after <paramref name="parameter"/>).</exception>
    public static SparseRows Build(RecommenderModel model, IEnumerable<(int UserId, int MovieId, float Value)> ratings, string parameter)
    {
        bool userRows = model.Kind == ModelKind.UserBased;
        var rows = new Dictionary<int, List<(int, float)>>();
        foreach ((int userId, int movieId, float value) in ratings)
        {
            (int rowId, int inputId) = userRows ? (userId, movieId) : (movieId, userId);
            int column = model.InputIndexOf(inputId, parameter);
            model.CheckRating(inputId, value, parameter);
            if (!rows.TryGetValue(rowId, out List<(int, float)>? row))
            {
                row = [];
                rows[rowId] = row;
            }

            row.Add((column, value));
        }

        return new SparseRows(rows);
    }

    /// <summary>Writes row <paramref name="rowId"/> into a zeroed dense row; a row without ratings stays all unknown.</summary>
    public void Write(int rowId, Span<float> destination)
    {
        if (_rows.TryGetValue(rowId, out List<(int Column, float Value)>? row))
        {
            foreach ((int column, float value) in row)
            {
                destination[column] = value;
            }
        }
    }

    /// <summary>The input columns of row <paramref name="rowId"/>'s ratings (empty when it has none).</summary>
    public IEnumerable<int> ColumnsOf(int rowId) =>
        _rows.TryGetValue(rowId, out List<(int Column, float Value)>? row) ? row.Select(e => e.Column) : [];
}
