using AutoRec.Data;

namespace AutoRec.Inference;

/// <summary>Movie titles and genres by id, to label recommendations.</summary>
public sealed class MovieCatalog
{
    private readonly Dictionary<int, Movie> _movies;

    private MovieCatalog(Dictionary<int, Movie> movies) => _movies = movies;

    /// <summary>Number of movies.</summary>
    public int Count => _movies.Count;

    /// <summary>Reads movies.parquet as the pipeline writes it.</summary>
    /// <exception cref="DataFormatException">The file is missing or is not a movies file.</exception>
    public static MovieCatalog Load(string path) => From(ParquetTables.ReadMovies(path));

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
