using System.Text.Json.Serialization;

namespace AutoRec.Contracts;

/// <summary>
/// What model selection on validation (protocol A) chose for a config, as a refit on train + validation needs it:
/// the epoch count of a network, each ensemble member's own (<see cref="Parts"/>), and for a blend of towers each
/// tower's selection and the blend's weights (intercept first, as <see cref="Blending"/> fits them). metrics.json
/// carries it, so that the pipeline's refit (<c>-p:Protocol=refit</c>) reads every choice from protocol A's model.
/// </summary>
/// <param name="Epochs">The best epoch (an ensemble's: its members' mean, for reports only).</param>
/// <param name="Parts">The members' or towers' selections, in order; empty for one network.</param>
/// <param name="Weights">A blend of towers' weights; null otherwise.</param>
public sealed record ModelSelection(
    [property: JsonPropertyName("epochs")] int Epochs,
    [property: JsonPropertyName("parts")] IReadOnlyList<ModelSelection> Parts,
    [property: JsonPropertyName("weights")] IReadOnlyList<double>? Weights = null)
{
    /// <summary>One network's selection: its best epoch.</summary>
    public static ModelSelection Of(int epochs) => new(epochs, []);

    /// <summary>Equal when the epochs, the parts and the weights are, element by element (as read back from JSON).</summary>
    public bool Equals(ModelSelection? other) =>
        other is not null && Epochs == other.Epochs && Parts.SequenceEqual(other.Parts) &&
        (Weights is null ? other.Weights is null : other.Weights is not null && Weights.SequenceEqual(other.Weights));

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Epochs, Parts.Count, Weights?.Count);
}
