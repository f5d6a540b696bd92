using AutoRec.Onnx;
using AutoRec.Training.Configuration;
using AutoRec.Training.Data;
using AutoRec.Training.Model;

namespace AutoRec.Training.Sparse;

/// <summary>
/// The default for unknown entries, written as a row's scale α times a fixed column vector u, so that an input row
/// is α·u plus a sparse correction (v − α·u_c at its visible ratings): zero (α = 0), a constant k (α = k, u = 1),
/// the row's mean m (α = m, u = 1) and each column's mean μ (α = 1, u = μ). The first layer then needs W·u once per
/// batch plus the sparse part, and its weight gradient gains the rank-1 term (Σ α·dz) u.
/// </summary>
internal sealed class SparseFill
{
    private readonly float _constant;
    private readonly float _globalMean;

    /// <summary>The fill of <paramref name="config"/> on <paramref name="data"/>, as <see cref="InputPreparation"/> applies it.</summary>
    public SparseFill(ModelConfig config, TrainingData data)
    {
        Kind = InputPreparation.FillFor(config.Kind, config.Default);
        _constant = (float)config.DefaultValue;
        _globalMean = data.GlobalMean;
        ColumnVector = Kind == DefaultFill.ColumnMean ? data.ColumnMeans : null;
    }

    /// <summary>The fill in matrix terms.</summary>
    public DefaultFill Kind { get; }

    /// <summary>Whether unknown entries are other than 0 (then the rank-1 terms apply).</summary>
    public bool IsDense => Kind != DefaultFill.Zero;

    /// <summary>u when it is not all ones (the column means); null when it is all ones (or unused).</summary>
    public float[]? ColumnVector { get; }

    /// <summary>u_c.</summary>
    public float U(int column) => ColumnVector?[column] ?? 1f;

    /// <summary>α of a row whose visible ratings sum to <paramref name="visibleSum"/> over <paramref name="visibleCount"/> of them.</summary>
    public float Alpha(double visibleSum, int visibleCount) => Kind switch
    {
        DefaultFill.Zero => 0f,
        DefaultFill.Constant => _constant,
        DefaultFill.RowMean => visibleCount > 0 ? (float)(visibleSum / visibleCount) : _globalMean,
        _ => 1f,
    };
}
