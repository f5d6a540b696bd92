namespace AutoRec.Inference;

/// <summary>One recommended movie: its predicted rating and, when a catalog was given and knows it, its title.</summary>
public sealed record Recommendation(int MovieId, float Score, string? Title);
