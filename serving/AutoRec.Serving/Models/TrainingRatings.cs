using AutoRec.Contracts;

namespace AutoRec.Serving.Models;

/// <summary>
/// The training ratings as the pages about a user or a movie need them: each user's ratings, and per movie how many
/// ratings the model saw and how they spread over the scale. Built once per generation from train.parquet.
/// </summary>
internal sealed class TrainingRatings
{
    private readonly Dictionary<int, RatedMovie[]> _byUser;
    private readonly Dictionary<int, MovieRatings> _byMovie;

    private TrainingRatings(Dictionary<int, RatedMovie[]> byUser, Dictionary<int, MovieRatings> byMovie)
    {
        _byUser = byUser;
        _byMovie = byMovie;
    }

    public static TrainingRatings From(IReadOnlyList<Rating> train, RatingScale scale)
    {
        var byUser = new Dictionary<int, List<RatedMovie>>();
        var sums = new Dictionary<int, (int Count, double Sum, int[] Histogram)>();
        RatingBins bins = RatingBins.Of(scale);
        foreach (Rating rating in train)
        {
            if (!byUser.TryGetValue(rating.UserId, out List<RatedMovie>? list))
            {
                byUser[rating.UserId] = list = [];
            }

            list.Add(new RatedMovie(rating.MovieId, rating.Value));
            (int count, double sum, int[] histogram) = sums.TryGetValue(rating.MovieId, out var seen) ? seen : (0, 0, new int[bins.Count]);
            histogram[bins.IndexOf(rating.Value)]++;
            sums[rating.MovieId] = (count + 1, sum + rating.Value, histogram);
        }

        return new TrainingRatings(
            byUser.ToDictionary(p => p.Key, p => p.Value.OrderByDescending(r => r.Rating).ThenBy(r => r.MovieId).ToArray()),
            sums.ToDictionary(p => p.Key, p => new MovieRatings(p.Value.Count, p.Value.Sum / p.Value.Count, p.Value.Histogram)));
    }

    /// <summary>A user's training ratings, best first (ties by movie id); empty for a user with none.</summary>
    public IReadOnlyList<RatedMovie> Of(int userId) => _byUser.GetValueOrDefault(userId, []);

    /// <summary>How many training ratings <paramref name="movieId"/> has (0 when none).</summary>
    public int CountOf(int movieId) => _byMovie.TryGetValue(movieId, out MovieRatings? ratings) ? ratings.Count : 0;

    /// <summary>The training ratings of <paramref name="movieId"/>, summed up; null when it has none.</summary>
    public MovieRatings? OfMovie(int movieId) => _byMovie.GetValueOrDefault(movieId);
}

/// <summary>One training rating of a user.</summary>
internal readonly record struct RatedMovie(int MovieId, float Rating);

/// <summary>A movie's training ratings: how many, their mean, and how many fell in each bin of <see cref="RatingBins"/>.</summary>
internal sealed record MovieRatings(int Count, double Mean, int[] Histogram);

/// <summary>
/// Bins over the rating scale for histograms: one per step of the scale (whole or half stars), or ten equal bins on a
/// continuous scale. A value is put in the bin whose centre is nearest.
/// </summary>
internal sealed record RatingBins(float Min, float Width, int Count)
{
    private const int ContinuousBins = 10;

    public static RatingBins Of(RatingScale scale)
    {
        float range = Math.Max(scale.Max - scale.Min, 1e-6f);
        return scale.Step > 0
            ? new RatingBins(scale.Min, scale.Step, (int)MathF.Round(range / scale.Step) + 1)
            : new RatingBins(scale.Min, range / (ContinuousBins - 1), ContinuousBins);
    }

    /// <summary>The value each bin stands for (its centre).</summary>
    public float ValueOf(int bin) => Min + bin * Width;

    public int IndexOf(float value) => Math.Clamp((int)MathF.Round((value - Min) / Width), 0, Count - 1);
}
