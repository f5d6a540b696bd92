using AutoRec.Inference.FoldIn;
using AutoRec.Inference.Recommenders;

namespace AutoRec.Inference;

/// <summary>
/// What folding a new user into an item-based model needs, as plain arrays, for another runtime to do it: every
/// movie's code c_m, the ridge λ and per-movie weights a_m of <see cref="RidgeFoldIn"/>'s problem
/// (min Σ a_i (w·c_i + b − r_i)² + λ‖w‖² over the rated movies), and the scale predictions are clipped to.
/// The ONNX fold-in graph is written from it (<c>AutoRec.Onnx.FoldInGraphBuilder</c>).
/// </summary>
/// <param name="MovieIds">The movies, in the order of <see cref="Codes"/>' rows (ascending ids, as <see cref="IRecommender.MovieIds"/>).</param>
/// <param name="Codes">Movies x <paramref name="Width"/>, row-major.</param>
/// <param name="Width">The code width (the last hidden layer's size).</param>
/// <param name="Weights">a_m per movie (masked-mse models), or null for all 1.</param>
/// <param name="Lambda">The ridge λ on w (the bias is not penalised).</param>
/// <param name="RatingMin">The lowest prediction.</param>
/// <param name="RatingMax">The highest prediction.</param>
public sealed record FoldInProblem(int[] MovieIds, float[] Codes, int Width, float[]? Weights, double Lambda, float RatingMin, float RatingMax)
{
    /// <summary>The fold-in of <paramref name="recommender"/>, or null when it folds no one in (user-based, blends, a non-linear output layer).</summary>
    public static FoldInProblem? Of(IRecommender recommender) =>
        recommender is ItemBasedRecommender { CanRecommendForRatings: true } itemBased ? itemBased.FoldInProblem() : null;
}
