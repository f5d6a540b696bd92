using AutoRec.Serving.Models;

namespace AutoRec.Serving.Api;

/// <summary>Labels a movie id and its score with the catalog's title and genres.</summary>
internal static class Scored
{
    public static ScoredMovie Movie(int movieId, float predictedRating, MovieTable movies)
    {
        MovieEntry entry = movies.Find(movieId);
        return new ScoredMovie(movieId, entry.Title, entry.Genres, predictedRating);
    }

    public static MovieSimilarity Similar(int movieId, float similarity, MovieTable movies)
    {
        MovieEntry entry = movies.Find(movieId);
        return new MovieSimilarity(movieId, entry.Title, entry.Genres, similarity);
    }
}
