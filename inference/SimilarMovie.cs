namespace AutoRec.Inference;

/// <summary>A movie similar to another: the cosine similarity of their centred vectors (−1..1) and, when a catalog was given and knows it, its title.</summary>
public sealed record SimilarMovie(int MovieId, float Similarity, string? Title);
