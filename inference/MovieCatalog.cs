using AutoRec.Contracts;

namespace AutoRec.Inference;

/// <summary>Movie titles and genres by id, to label recommendations (read movies.parquet with AutoRec.Data's <c>ParquetTables.ReadMovies</c>).</summary>
public sealed class MovieCatalog
{
    private readonly Dictionary<int, Movie> _movies;

    private MovieCatalog(Dictionary<int, Movie> movies) => _movies = movies;

    /// <summary>Number of movies.</summary>
    public int Count => _movies.Count;

    /// <summary>A catalog of <paramref name="movies"/> (a later duplicate id replaces an earlier one).</summary>
    public static MovieCatalog From(IEnumerable<Movie> movies)
    {
        ArgumentNullException.ThrowIfNull(movies);
        var byId = new Dictionary<int, Movie>();
        foreach (Movie movie in movies)
        {
            byId[movie.MovieId] = movie;
        }

        return new MovieCatalog(byId);
    }

    /// <summary>The movie with <paramref name="movieId"/>, or null.</summary>
    public Movie? Find(int movieId) => _movies.GetValueOrDefault(movieId);

    /// <summary>The title of <paramref name="movieId"/>, or null when the catalog does not have it.</summary>
    public string? TitleOf(int movieId) => Find(movieId)?.Title;
}
