using AutoRec.Contracts;
using AutoRec.Inference.Recommenders;

namespace AutoRec.Inference.Factors;

/// <summary>
/// A recommender's factors as plain arrays, as it serves them: a prediction is clip(<see cref="Rows"/>[r]·<see cref="Codes"/>[c]
/// + <see cref="RowBias"/>[r]) with a linear output layer. For an item-based model the codes are the movies' and the
/// rows the users' (r = user, c = movie); for a user-based one the codes are the known users' and the rows the
/// movies' (r = movie, c = user). What the export's compaction (<see cref="CompactBasis"/>) is computed from.
/// </summary>
/// <param name="Kind">Which way round.</param>
/// <param name="CodeIds">The ids of <paramref name="Codes"/>' rows (movies or users).</param>
/// <param name="Codes">Codes x <paramref name="Width"/>, row-major.</param>
/// <param name="RowIds">The ids of <paramref name="Rows"/>' rows (users or movies).</param>
/// <param name="Rows">Rows x <paramref name="Width"/>, row-major: the output layer's weight.</param>
/// <param name="RowBias">One per row: the output layer's bias.</param>
/// <param name="Width">The width served (the rank when compact).</param>
/// <param name="RatingMin">The lowest prediction.</param>
/// <param name="RatingMax">The highest prediction.</param>
public sealed record ModelFactors(
    ModelKind Kind, int[] CodeIds, float[] Codes, int[] RowIds, float[] Rows, float[] RowBias, int Width, float RatingMin, float RatingMax)
{
    /// <summary>The factors of <paramref name="recommender"/>, or null when it is not served as factors with a linear output layer.</summary>
    public static ModelFactors? Of(IRecommender recommender) => recommender switch
    {
        ItemBasedRecommender { CanRecommendForRatings: true } itemBased => itemBased.Factors(),
        UserBasedRecommender { Factors: { IsLinear: true } factors } userBased => factors.Export([.. userBased.UserIds], [.. userBased.MovieIds]),
        _ => null,
    };

    /// <summary>The (row, code) indices of the prediction of <paramref name="movie"/> for <paramref name="user"/>, given by their indices in the ids.</summary>
    public (int Row, int Code) Indices(int user, int movie) => Kind == ModelKind.UserBased ? (movie, user) : (user, movie);

    /// <summary>The ids of users, whichever side they are on.</summary>
    public int[] UserIds => Kind == ModelKind.UserBased ? CodeIds : RowIds;

    /// <summary>The ids of movies, whichever side they are on.</summary>
    public int[] MovieIds => Kind == ModelKind.UserBased ? RowIds : CodeIds;
}
