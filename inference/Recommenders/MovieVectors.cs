using System.Buffers;
using AutoRec.Inference.Numerics;
using AutoRec.Inference.Ranking;

namespace AutoRec.Inference.Recommenders;

/// <summary>
/// One vector per movie, row-major and contiguous (an item-based model's codes, a user-based model's output-layer
/// rows), with what cosine similarity needs. Immutable.
/// </summary>
/// <remarks>
/// Similarity is the cosine of the vectors centred on their mean. Adding one vector δ to every movie's changes each
/// user's predictions by a constant across movies (w_u·δ for item-based models, δ·h_u for user-based ones), so the
/// common part never decides which movie a user prefers; left in, it dominates the cosine (sigmoid codes all point
/// the same way: on ML-1M every pair scored above 0.9 and rarely rated movies came out "similar" to everything).
/// </remarks>
internal sealed class MovieVectors
{
    private readonly float[] _values;
    private readonly float[] _mean;
    private readonly float[] _centredNorms;

    /// <summary>The vectors, row-major.</summary>
    public ReadOnlySpan<float> Values => _values;

    public MovieVectors(float[] values, int count, int width)
    {
        _values = values;
        Count = count;
        Width = width;
        _mean = new float[width];
        for (int i = 0; i < count; i++)
        {
            Simd.MultiplyAdd(Row(i), 1f / count, _mean);
        }

        _centredNorms = new float[count];
        var centred = new float[width];
        for (int i = 0; i < count; i++)
        {
            Centre(Row(i), centred);
            _centredNorms[i] = MathF.Sqrt(Simd.Dot(centred, centred));
        }
    }

    public int Count { get; }

    public int Width { get; }

    /// <summary>Bytes held.</summary>
    public long Bytes => (_values.LongLength + _mean.LongLength + _centredNorms.LongLength) * sizeof(float);

    public ReadOnlySpan<float> Row(int index) => _values.AsSpan(index * Width, Width);

    /// <summary><paramref name="destination"/>[j] = row j · <paramref name="vector"/> + <paramref name="bias"/> for every row.</summary>
    public void Scores(ReadOnlySpan<float> vector, float bias, Span<float> destination) =>
        Simd.MatrixVector(_values.AsSpan(0, Count * Width), vector, bias, destination[..Count]);

    /// <summary>The cosine of row <paramref name="query"/>, centred, with every centred row into <paramref name="destination"/>; 0 where one is all zero.</summary>
    public void Cosines(int query, Span<float> destination)
    {
        float[] buffer = ArrayPool<float>.Shared.Rent(Width);
        try
        {
            // (q − μ)·(v_j − μ) = (q − μ)·v_j − (q − μ)·μ: one pass over the stored rows, no centred copy kept.
            Span<float> d = buffer.AsSpan(0, Width);
            Centre(Row(query), d);
            Scores(d, -Simd.Dot(d, _mean), destination);
            float queryNorm = _centredNorms[query];
            for (int j = 0; j < Count; j++)
            {
                float norms = queryNorm * _centredNorms[j];
                destination[j] = norms > 0 ? Math.Clamp(destination[j] / norms, -1f, 1f) : 0f;
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// The movies most like <paramref name="movieId"/> by <see cref="Cosines"/> of these vectors (one per movie of
    /// <paramref name="movies"/>, in its order), paged and filtered as <paramref name="query"/> says, the movie itself
    /// and the query's exclusions left out: what every recommender's <c>SimilarMovies</c> answers.
    /// </summary>
    public IReadOnlyList<SimilarMovie> MostSimilar(MovieIndex movies, int movieId, RecommendationQuery query, MovieCatalog? catalog)
    {
        int movie = movies.IndexOf(movieId, nameof(movieId));
        using MovieMask mask = movies.Excluding(new ReadOnlySpan<int>(in movie), query);
        float[] buffer = ArrayPool<float>.Shared.Rent(movies.Count);
        try
        {
            Span<float> similarities = buffer.AsSpan(0, movies.Count);
            Cosines(movie, similarities);
            int[] best = TopN.Select(movies.Ids, similarities, mask.Bits, query.Filter, query.Offset, query.Count);
            return movies.Similar(best, similarities, catalog);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
    }

    private void Centre(ReadOnlySpan<float> row, Span<float> destination)
    {
        for (int k = 0; k < Width; k++)
        {
            destination[k] = row[k] - _mean[k];
        }
    }
}
