using AutoRec.Contracts;

namespace AutoRec.Inference;

/// <summary>Movie titles and genres by id, to label recommendations (read movies.parquet with AutoRec.Data's <c>ParquetTables.ReadMovies</c>).</summary>
public sealed class MovieCatalog
{
    private readonly Dictionary<int, Movie> _movies;
    private readonly Dictionary<string, HashSet<int>> _byGenre; // genre (any case) -> its movies

    private MovieCatalog(Dictionary<int, Movie> movies)
    {
        _movies = movies;
        _byGenre = new Dictionary<string, HashSet<int>>(StringComparer.OrdinalIgnoreCase);
        foreach (Movie movie in movies.Values)
        {
            foreach (string genre in movie.Genres.Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (!_byGenre.TryGetValue(genre, out HashSet<int>? ids))
                {
                    ids = [];
                    _byGenre[genre] = ids;
                }

                ids.Add(movie.MovieId);
            }
        }

        Genres = Array.AsReadOnly(_byGenre.Keys.Order(StringComparer.Ordinal).ToArray());
    }

    /// <summary>Every genre of the catalog's movies, in ordinal order.</summary>
    public IReadOnlyList<string> Genres { get; }

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

    /// <summary>
    /// A <see cref="RecommendationQuery.Filter"/> that keeps the movies with at least one of <paramref name="genres"/>
    /// (case-insensitive; a movie the catalog lacks is not kept). Thread-safe; no genres keeps nothing.
    /// </summary>
    /// <exception cref="ArgumentException">A genre is not in the catalog (all of them named, with the known ones).</exception>
    public Func<int, bool> GenreFilter(IEnumerable<string> genres)
    {
        ArgumentNullException.ThrowIfNull(genres);
        var sets = new List<HashSet<int>>();
        var unknown = new List<string>();
        foreach (string genre in genres.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (genre is not null && _byGenre.TryGetValue(genre.Trim(), out HashSet<int>? ids))
            {
                sets.Add(ids);
            }
            else
            {
                unknown.Add($"'{genre}'");
            }
        }

        if (unknown.Count > 0)
        {
            throw new ArgumentException(
                $"unknown genre{(unknown.Count > 1 ? "s" : "")} {string.Join(", ", unknown)}: the catalog has {string.Join(", ", Genres)}", nameof(genres));
        }

        HashSet<int>[] all = [.. sets];
        return all.Length == 1 ? all[0].Contains : movieId => Array.Exists(all, ids => ids.Contains(movieId));
    }
}
