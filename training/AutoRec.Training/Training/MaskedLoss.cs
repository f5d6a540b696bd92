using AutoRec.Training.Configuration;
using static TorchSharp.torch;

namespace AutoRec.Training.Training;

/// <summary>The reconstruction loss over known entries only: unknown entries carry no gradient.</summary>
public static class MaskedLoss
{
    /// <summary>
    /// The loss of <paramref name="output"/> against <paramref name="target"/> where <paramref name="known"/> is 1.
    /// <see cref="LossKind.MaskedMse"/>: per row, squared error over known entries / max(count, 1), then the mean
    /// over rows (the seed report). <see cref="LossKind.MaskedSse"/>: the sum of squared errors (the AutoRec paper).
    /// </summary>
    /// <remarks>With <paramref name="sumIn"/>, the sums are taken in that type (float64 for a full-batch loss, whose
    /// line search compares values that differ in their seventh digit).</remarks>
    public static Tensor Compute(Tensor output, Tensor target, Tensor known, LossKind kind, ScalarType? sumIn = null)
    {
        Tensor squared = (output - target).square() * known;
        return kind switch
        {
            LossKind.MaskedSse => squared.sum(type: sumIn ?? squared.dtype),
            _ => (squared.sum(1, type: sumIn ?? squared.dtype) / known.sum(1, type: sumIn ?? squared.dtype).clamp_min(1)).mean(),
        };
    }
}
