namespace AutoRec.Inference.Recommenders;

/// <summary>
/// The movie indices each user rated in the training ratings, as one sorted array per user laid end to end
/// (compressed rows): 4 bytes a rating, where a set per user cost ten times that.
/// </summary>
internal sealed class RatedMovies
{
    private readonly int[] _starts;
    private readonly int[] _movies;

    private RatedMovies(int[] starts, int[] movies)
    {
        _starts = starts;
        _movies = movies;
    }

    /// <summary>Bytes held.</summary>
    public long Bytes => (_starts.LongLength + _movies.LongLength) * sizeof(int);

    /// <summary>Groups (user index, movie index) pairs by user.</summary>
    public static RatedMovies Build(int users, IReadOnlyList<(int User, int Movie)> pairs)
    {
        var starts = new int[users + 1];
        foreach ((int user, _) in pairs)
        {
            starts[user + 1]++;
        }

        for (int u = 0; u < users; u++)
        {
            starts[u + 1] += starts[u];
        }

        var movies = new int[pairs.Count];
        int[] next = starts[..^1];
        foreach ((int user, int movie) in pairs)
        {
            movies[next[user]++] = movie;
        }

        for (int u = 0; u < users; u++)
        {
            Array.Sort(movies, starts[u], starts[u + 1] - starts[u]);
        }

        return new RatedMovies(starts, movies);
    }

    /// <summary>The movies user <paramref name="user"/> rated, ascending.</summary>
    public ReadOnlySpan<int> Of(int user) => _movies.AsSpan(_starts[user], _starts[user + 1] - _starts[user]);
}
