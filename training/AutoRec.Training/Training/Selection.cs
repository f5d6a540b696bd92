namespace AutoRec.Training.Training;

/// <summary>
/// What model selection on validation (protocol A) chose for a config, as a refit on train + validation needs it:
/// the epoch count of a network, each ensemble member's own (<see cref="Parts"/>), and for a blend of towers each
/// tower's selection and the blend's weights (intercept first, as <see cref="AutoRec.Contracts.Blending"/> fits them).
/// </summary>
/// <param name="Epochs">The best epoch (an ensemble's: its members' mean, for reports only).</param>
/// <param name="Parts">The members' or towers' selections, in order; empty for one network.</param>
/// <param name="Weights">A blend of towers' weights; null otherwise.</param>
public sealed record Selection(int Epochs, IReadOnlyList<Selection> Parts, IReadOnlyList<double>? Weights = null)
{
    /// <summary>One network's selection: its best epoch.</summary>
    public static Selection Of(int epochs) => new(epochs, []);
}
