using AutoRec.Contracts;
using AutoRec.Inference.Network;

namespace AutoRec.Inference.Rows;

/// <summary>
/// The rules for what callers pass in: a rating of <see cref="RecommenderModel.UnknownRating"/> (0) is unknown,
/// any other must be finite and on the model's scale; side features are given exactly when the model takes them,
/// one finite value per feature. Each violation is an <see cref="ArgumentException"/> that says what and where.
/// </summary>
internal sealed class InputChecks
{
    private readonly ColumnIndex _columns;
    private readonly float _min;
    private readonly float _max;
    private readonly string[] _sideFeatures;

    public InputChecks(ModelMetadata metadata, ColumnIndex columns)
    {
        _columns = columns;
        _min = metadata.RatingMin;
        _max = metadata.RatingMax;
        _sideFeatures = metadata.SideFeatures.ToArray();
        RowEntity = metadata.Kind.RowEntity();
    }

    /// <summary>What a row stands for: "user" for user-based models, "movie" for item-based ones.</summary>
    public string RowEntity { get; }

    /// <summary>Side features per row.</summary>
    public int SideWidth => _sideFeatures.Length;

    /// <summary>Whether <paramref name="value"/>, the rating of input id <paramref name="id"/>, is known (false for 0).</summary>
    /// <exception cref="ArgumentException">It is not a finite number (<see cref="ArgumentOutOfRangeException"/>: it lies off the scale).</exception>
    public bool IsKnown(int id, float value, string parameter) => IsKnown(_columns.ColumnEntity, id, value, parameter);

    /// <summary>
    /// Whether <paramref name="value"/>, the rating of <paramref name="entity"/> <paramref name="id"/> (e.g. a movie
    /// of a user folded into an item-based model), is known (false for 0).
    /// </summary>
    /// <exception cref="ArgumentException">It is not a finite number (<see cref="ArgumentOutOfRangeException"/>: it lies off the scale).</exception>
    public bool IsKnown(string entity, int id, float value, string parameter)
    {
        if (value == RecommenderModel.UnknownRating)
        {
            return false;
        }

        if (!float.IsFinite(value))
        {
            throw new ArgumentException($"the rating of {entity} {id} is {value}: ratings must be finite numbers", parameter);
        }

        if (value < _min || value > _max)
        {
            throw new ArgumentOutOfRangeException(
                parameter, value, $"the rating of {entity} {id} is {value}, off the model's scale {_min}..{_max} (0 means unknown)");
        }

        return true;
    }

    /// <summary>The lowest rating; predictions are clipped to it.</summary>
    public float Min => _min;

    /// <summary>The highest rating.</summary>
    public float Max => _max;

    /// <summary>Writes a row's ratings by input id into a dense row that is all unknown, checking ids and values.</summary>
    public void WriteRow(IReadOnlyDictionary<int, float> ratings, Span<float> destination, string parameter)
    {
        foreach ((int id, float value) in ratings)
        {
            int column = _columns.InputOf(id, parameter);
            if (IsKnown(id, value, parameter))
            {
                destination[column] = value;
            }
        }
    }

    /// <summary>Checks dense rows of input values (0 for unknown).</summary>
    public void CheckDense(ReadOnlySpan<float> ratings, string parameter)
    {
        int width = _columns.InputIds.Count;
        for (int i = 0; i < ratings.Length; i++)
        {
            IsKnown(_columns.InputIds[i % width], ratings[i], parameter);
        }
    }

    /// <summary>Checks whether side features were given as the model needs: none for a model without them, else present.</summary>
    public void CheckGiven(bool given, string parameter)
    {
        if (SideWidth > 0 && !given)
        {
            throw SideMissing(parameter);
        }

        if (SideWidth == 0 && given)
        {
            throw new ArgumentException("this model takes no side features, but some were given", parameter);
        }
    }

    /// <summary>Checks one row's side features (empty: none given).</summary>
    public void CheckSide(ReadOnlySpan<float> side, string parameter)
    {
        if (SideWidth == 0)
        {
            if (!side.IsEmpty)
            {
                throw new ArgumentException($"this model takes no side features, but {side.Length} were given", parameter);
            }

            return;
        }

        if (side.IsEmpty)
        {
            throw SideMissing(parameter);
        }

        RequireLength(side.Length, SideWidth, parameter);
        CheckFinite(side, parameter);
    }

    /// <summary>The side features of row <paramref name="rowId"/> from a dictionary by row id, checked.</summary>
    /// <exception cref="ArgumentException">The row has none, or they do not fit.</exception>
    public float[] SideOf(IReadOnlyDictionary<int, float[]> sideFeatures, int rowId, string parameter)
    {
        if (!sideFeatures.TryGetValue(rowId, out float[]? features) || features is null)
        {
            throw new ArgumentException($"no side features given for {RowEntity} {rowId}", parameter);
        }

        CheckSide(features, parameter);
        return features;
    }

    /// <summary>Checks that dense side features are finite.</summary>
    public static void CheckFinite(ReadOnlySpan<float> values, string parameter)
    {
        foreach (float value in values)
        {
            if (!float.IsFinite(value))
            {
                throw new ArgumentException($"side feature value {value} is not a finite number", parameter);
            }
        }
    }

    public static void RequireLength(int actual, int expected, string parameter)
    {
        if (actual != expected)
        {
            throw new ArgumentException($"expected {expected} entries, got {actual}", parameter);
        }
    }

    public ArgumentException SideMissing(string parameter) => new(
        $"this model needs {SideWidth} side features per {RowEntity} ({string.Join(", ", _sideFeatures.Take(8))}{(SideWidth > 8 ? ", ..." : "")}) but none were given",
        parameter);
}
