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
    public static Tensor Compute(Tensor output, Tensor target, Tensor known, LossKind kind)
    {
        Tensor squared = (output - target).square() * known;
        return kind switch
        {
            LossKind.MaskedSse => squared.sum(),
            _ => (squared.sum(1) / known.sum(1).clamp_min(1)).mean(),
        };
    }
}
