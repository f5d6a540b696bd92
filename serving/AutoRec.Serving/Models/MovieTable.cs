using AutoRec.Contracts;

namespace AutoRec.Serving.Models;

/// <summary>
/// Titles and genres by movie id for the answers, with each movie's genres split once rather than on every
/// response. (Filtering by genre is the inference library's <c>MovieCatalog.GenreFilter</c>.)
/// </summary>
internal sealed class MovieTable
{
    private readonly Dictionary<int, MovieEntry> _movies;

    private MovieTable(Dictionary<int, MovieEntry> movies) => _movies = movies;

    public static MovieTable From(IEnumerable<Movie> movies)
    {
        var byId = new Dictionary<int, MovieEntry>();
        foreach (Movie movie in movies)
        {
            byId[movie.MovieId] = new MovieEntry(movie.Title, movie.Genres.Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }

        return new MovieTable(byId);
    }

    public bool Contains(int movieId) => _movies.ContainsKey(movieId);

    /// <summary>The title and genres of <paramref name="movieId"/>; an id missing from movies.parquet has no title and no genres.</summary>
    public MovieEntry Find(int movieId) => _movies.GetValueOrDefault(movieId, MovieEntry.Unknown);
}

/// <summary>One movie's title and genres.</summary>
internal sealed record MovieEntry(string? Title, string[] Genres)
{
    public static MovieEntry Unknown { get; } = new(null, []);
}
