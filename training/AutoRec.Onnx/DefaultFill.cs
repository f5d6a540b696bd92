namespace AutoRec.Onnx;

/// <summary>How unknown entries are filled, in terms of the matrix: nothing, a constant, the row's mean or each column's mean.</summary>
public enum DefaultFill
{
    /// <summary>Unknown entries stay 0.</summary>
    Zero,

    /// <summary>A constant.</summary>
    Constant,

    /// <summary>The mean of the row's known entries (the global mean when it has none).</summary>
    RowMean,

    /// <summary>A fixed value per column (its training mean).</summary>
    ColumnMean,
}
