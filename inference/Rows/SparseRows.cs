using AutoRec.Contracts;

namespace AutoRec.Inference.Rows;

/// <summary>
/// Known ratings laid out as a model's rows: by user for user-based models, by movie for item-based ones, each
/// entry already mapped to its input column and checked. Ratings of 0 are unknown and left out.
/// </summary>
internal sealed class SparseRows
{
    private static readonly List<(int Column, float Value)> NoRatings = [];

    private readonly Dictionary<int, List<(int Column, float Value)>> _rows;

    private SparseRows(Dictionary<int, List<(int Column, float Value)>> rows) => _rows = rows;

    /// <summary>The ids of the rows with at least one known rating.</summary>
    public IEnumerable<int> RowIds => _rows.Keys;

    /// <summary>Lays out <paramref name="ratings"/> for <paramref name="model"/>.</summary>
    /// <exception cref="ArgumentException">A rating's input id is not in the model or its value is invalid (named after <paramref name="parameter"/>).</exception>
    public static SparseRows Build(RecommenderModel model, IEnumerable<Rating> ratings, string parameter)
    {
        bool userRows = model.Kind == ModelKind.UserBased;
        var rows = new Dictionary<int, List<(int, float)>>();
        foreach (Rating rating in ratings)
        {
            (int rowId, int inputId) = userRows ? (rating.UserId, rating.MovieId) : (rating.MovieId, rating.UserId);
            int column = model.Columns.InputOf(inputId, parameter);
            if (!model.Checks.IsKnown(inputId, rating.Value, parameter))
            {
                continue;
            }

            if (!rows.TryGetValue(rowId, out List<(int, float)>? row))
            {
                row = [];
                rows[rowId] = row;
            }

            row.Add((column, rating.Value));
        }

        return new SparseRows(rows);
    }

    /// <summary>Writes row <paramref name="rowId"/> into a dense row that is all unknown; a row without ratings stays so.</summary>
    public void Write(int rowId, Span<float> destination)
    {
        foreach ((int column, float value) in Of(rowId))
        {
            destination[column] = value;
        }
    }

    /// <summary>Row <paramref name="rowId"/>'s known ratings by input column (empty when it has none).</summary>
    public IReadOnlyList<(int Column, float Value)> Of(int rowId) => _rows.GetValueOrDefault(rowId, NoRatings);
}
