namespace AutoRec.Inference;

/// <summary>
/// What a top-N list should hold: <see cref="Count"/> movies after skipping the <see cref="Offset"/> best (paging),
/// leaving out <see cref="Exclude"/> and the movies <see cref="Filter"/> rejects. The recommender applies it on top of
/// its own rule (a user's rated movies, or the query movie of <see cref="IRecommender.SimilarMovies(int, RecommendationQuery)"/>,
/// are always left out), so that paging, exclusions and filters need no second top-N pass in the caller.
/// </summary>
public sealed record RecommendationQuery
{
    private readonly int _count = 10;
    private readonly int _offset;

    /// <summary>How many movies to return at most (0 or more; default 10).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative.</exception>
    public int Count
    {
        get => _count;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value, nameof(Count));
            _count = value;
        }
    }

    /// <summary>How many of the best movies to skip before <see cref="Count"/> are taken (0 or more): page k of size n is Offset = k·n.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative.</exception>
    public int Offset
    {
        get => _offset;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value, nameof(Offset));
            _offset = value;
        }
    }

    /// <summary>Movie ids to leave out; each must be a movie the recommender scores (an unknown id is an <see cref="ArgumentException"/> naming it).</summary>
    public IReadOnlyCollection<int>? Exclude { get; init; }

    /// <summary>
    /// Keeps a movie (by id) when it returns true; null keeps all. Called on the caller's thread for candidates not
    /// already left out, so it must be cheap and thread-safe if the query is shared (<see cref="MovieCatalog.GenreFilter"/> is).
    /// </summary>
    public Func<int, bool>? Filter { get; init; }

    /// <summary>The first <paramref name="count"/> movies, nothing else left out.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    public static RecommendationQuery Top(int count) => new() { Count = count };
}
