namespace AutoRec.Inference.Ranking;

/// <summary>
/// The movies a recommender scores, by id and by index (the order of its score arrays), and the checks every
/// movie-id argument goes through: an unknown id is an <see cref="ArgumentException"/> naming it.
/// </summary>
internal sealed class MovieIndex
{
    private readonly Dictionary<int, int> _index;
    private readonly string _hint;

    /// <param name="ids">The movies, in score order.</param>
    /// <param name="hint">Appended to unknown-movie errors (which movies the recommender scores).</param>
    public MovieIndex(IReadOnlyList<int> ids, string hint)
    {
        Ids = ids;
        _hint = hint;
        _index = new Dictionary<int, int>(ids.Count);
        for (int i = 0; i < ids.Count; i++)
        {
            _index[ids[i]] = i;
        }
    }

    public IReadOnlyList<int> Ids { get; }

    public int Count => Ids.Count;

    public bool Contains(int movieId) => _index.ContainsKey(movieId);

    public bool TryGet(int movieId, out int index) => _index.TryGetValue(movieId, out index);

    /// <summary>The index of <paramref name="movieId"/>.</summary>
    /// <exception cref="ArgumentException">The movie is unknown.</exception>
    public int IndexOf(int movieId, string parameter) =>
        _index.TryGetValue(movieId, out int index) ? index : throw UnknownIds.Error("movie", [movieId], Count, parameter, _hint);

    /// <summary>The indices of <paramref name="movieIds"/>, in order.</summary>
    /// <exception cref="ArgumentException">Some are unknown (all of them named).</exception>
    public int[] IndicesOf(IEnumerable<int> movieIds, string parameter)
    {
        int[] ids = movieIds as int[] ?? [.. movieIds];
        var indices = new int[ids.Length];
        List<int>? unknown = null;
        for (int i = 0; i < ids.Length; i++)
        {
            if (!_index.TryGetValue(ids[i], out indices[i]))
            {
                (unknown ??= []).Add(ids[i]);
            }
        }

        return unknown is null ? indices : throw UnknownIds.Error("movie", unknown, Count, parameter, _hint);
    }

    /// <summary>Throws for the unknown ids among <paramref name="ids"/>, naming them all.</summary>
    public void CheckAll(IEnumerable<int> ids, string parameter)
    {
        List<int>? unknown = null;
        foreach (int id in ids)
        {
            if (!_index.ContainsKey(id))
            {
                (unknown ??= []).Add(id);
            }
        }

        if (unknown is not null)
        {
            unknown.Sort();
            throw UnknownIds.Error("movie", unknown, Count, parameter, _hint);
        }
    }

    /// <summary>
    /// The mask of what a top-N list leaves out: the movies at <paramref name="indices"/> (a user's rated movies, or
    /// the movie a similarity list is about) and the query's exclusions, each checked. The caller disposes it.
    /// </summary>
    public MovieMask Excluding(ReadOnlySpan<int> indices, RecommendationQuery query)
    {
        var mask = new MovieMask(Count);
        try
        {
            mask.SetAll(indices);
            Exclude(query, mask, nameof(query));
            return mask;
        }
        catch
        {
            mask.Dispose();
            throw;
        }
    }

    /// <summary>Marks the query's exclusions in <paramref name="mask"/>.</summary>
    /// <exception cref="ArgumentException">An excluded id is unknown (all of them named).</exception>
    public void Exclude(RecommendationQuery query, MovieMask mask, string parameter)
    {
        if (query.Exclude is null)
        {
            return;
        }

        CheckAll(query.Exclude, parameter);
        foreach (int id in query.Exclude)
        {
            mask.Set(_index[id]);
        }
    }

    /// <summary>The recommendations of the chosen indices.</summary>
    public Recommendation[] Recommendations(int[] best, ReadOnlySpan<float> scores, MovieCatalog? catalog)
    {
        var result = new Recommendation[best.Length];
        for (int k = 0; k < best.Length; k++)
        {
            int id = Ids[best[k]];
            result[k] = new Recommendation(id, scores[best[k]], catalog?.TitleOf(id));
        }

        return result;
    }

    /// <summary>The similar movies of the chosen indices.</summary>
    public SimilarMovie[] Similar(int[] best, ReadOnlySpan<float> similarities, MovieCatalog? catalog)
    {
        var result = new SimilarMovie[best.Length];
        for (int k = 0; k < best.Length; k++)
        {
            int id = Ids[best[k]];
            result[k] = new SimilarMovie(id, similarities[best[k]], catalog?.TitleOf(id));
        }

        return result;
    }
}
