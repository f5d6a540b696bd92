using System.Globalization;
using System.Text.RegularExpressions;
using AutoRec.Contracts;

namespace AutoRec.Serving.Models;

/// <summary>
/// Titles, years and genres by movie id for the answers, with each movie's genres split and its title prepared for
/// search once rather than on every request. (Filtering by genre is the inference library's <c>MovieCatalog.GenreFilter</c>.)
/// </summary>
internal sealed partial class MovieTable
{
    private readonly Dictionary<int, MovieEntry> _movies;

    private MovieTable(Dictionary<int, MovieEntry> movies) => _movies = movies;

    public static MovieTable From(IEnumerable<Movie> movies)
    {
        var byId = new Dictionary<int, MovieEntry>();
        foreach (Movie movie in movies)
        {
            Match year = YearSuffix().Match(movie.Title);
            byId[movie.MovieId] = new MovieEntry(
                movie.Title,
                movie.Genres.Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                year.Success ? int.Parse(year.Groups[1].ValueSpan, CultureInfo.InvariantCulture) : null,
                Folded(movie.Title));
        }

        return new MovieTable(byId);
    }

    public bool Contains(int movieId) => _movies.ContainsKey(movieId);

    /// <summary>The title and genres of <paramref name="movieId"/>; an id missing from movies.parquet has no title and no genres.</summary>
    public MovieEntry Find(int movieId) => _movies.GetValueOrDefault(movieId, MovieEntry.Unknown);

    /// <summary>
    /// The movies of <paramref name="candidates"/> whose title holds every word of <paramref name="query"/> (any case, accents
    /// ignored, in any order: "the matrix" finds "Matrix, The (1999)"), those whose title starts with the first word first,
    /// then by <paramref name="rank"/> descending, then by id. An empty query matches every titled movie.
    /// </summary>
    public IEnumerable<int> Search(string? query, IEnumerable<int> candidates, Func<int, int> rank)
    {
        string[] words = Folded(query ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return candidates
            .Where(id => _movies.TryGetValue(id, out MovieEntry? entry) && words.All(word => entry.SearchText.Contains(word, StringComparison.Ordinal)))
            .Select(id => (Id: id, Prefix: words.Length > 0 && _movies[id].SearchText.StartsWith(words[0], StringComparison.Ordinal) ? 0 : 1, Rank: rank(id)))
            .OrderBy(m => m.Prefix)
            .ThenByDescending(m => m.Rank)
            .ThenBy(m => m.Id)
            .Select(m => m.Id);
    }

    /// <summary>Lower case, accents of the Latin-1 letters dropped (é as e, ß as s), punctuation as spaces: what a title and a query are compared as.</summary>
    /// <remarks>By table rather than Unicode decomposition: the apps run with invariant globalization, which has no normalization data.</remarks>
    private static string Folded(string text)
    {
        return string.Create(text.Length, text, static (folded, source) =>
        {
            for (int i = 0; i < source.Length; i++)
            {
                char c = source[i];
                if (c is >= '\u00C0' and <= '\u00FF')
                {
                    c = Latin1Letters[c - '\u00C0'];
                }

                folded[i] = char.IsLetterOrDigit(c) ? char.ToLowerInvariant(c) : ' ';
            }
        });
    }

    // U+00C0 to U+00FF with their accents dropped; × and ÷ become spaces.
    private const string Latin1Letters = "AAAAAAACEEEEIIIIDNOOOOO OUUUUYTsaaaaaaaceeeeiiiidnooooo ouuuuyty";

    [GeneratedRegex(@"\((\d{4})\)\s*$")]
    private static partial Regex YearSuffix();
}

/// <summary>One movie's title, genres and year (from the title's "(1995)", null without one).</summary>
internal sealed record MovieEntry(string? Title, string[] Genres, int? Year = null, string SearchText = "")
{
    public static MovieEntry Unknown { get; } = new(null, []);
}
