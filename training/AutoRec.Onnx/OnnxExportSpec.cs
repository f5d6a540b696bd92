
namespace AutoRec.Onnx;

/// <summary>
/// Everything the ONNX graph needs besides the layers: how unknown entries are filled, the rating scale the
/// output is clipped to, the side-feature width, and the metadata written into the model.
/// </summary>
public sealed record OnnxExportSpec(
    DefaultFill Fill,
    float FillConstant,
    float GlobalMean,
    float[] ColumnMeans,
    float RatingMin,
    float RatingMax,
    int SideWidth,
    IReadOnlyDictionary<string, string> Metadata);
