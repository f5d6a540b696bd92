using AutoRec.Contracts;

namespace AutoRec.Onnx;

/// <summary>
/// Everything the ONNX graph needs besides the layers: how unknown entries are filled, the rating scale the
/// output is clipped to, the side-feature width, and the metadata written into the model.
/// </summary>
/// <param name="Fill">How unknown entries are filled.</param>
/// <param name="FillConstant">The constant of <see cref="DefaultFill.Constant"/>.</param>
/// <param name="GlobalMean">The fallback of <see cref="DefaultFill.RowMean"/> for rows without ratings.</param>
/// <param name="ColumnMeans">The per-column values of <see cref="DefaultFill.ColumnMean"/>.</param>
/// <param name="RatingMin">The lowest rating; the output is clipped to it.</param>
/// <param name="RatingMax">The highest rating.</param>
/// <param name="SideWidth">Side features per row (0 when the model takes none).</param>
/// <param name="Metadata">What the model file says about itself (written with <see cref="ModelMetadata.ToProperties"/>).</param>
public sealed record OnnxExportSpec(
    DefaultFill Fill,
    float FillConstant,
    float GlobalMean,
    float[] ColumnMeans,
    float RatingMin,
    float RatingMax,
    int SideWidth,
    ModelMetadata Metadata);
