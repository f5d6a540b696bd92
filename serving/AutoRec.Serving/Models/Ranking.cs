using AutoRec.Inference;

namespace AutoRec.Serving.Models;

/// <summary>
/// Top-N over a row of predictions the service ran itself (batched user-based runs): the library's rule, and tested
/// against it: best first, ties by ascending movie id, leaving out rated and excluded movies and those the filter
/// rejects, then <see cref="RecommendationQuery.Offset"/> skipped and <see cref="RecommendationQuery.Count"/> kept.
/// </summary>
/// <remarks>
/// It exists because <see cref="IRecommender"/> ranks only rows it runs itself, one request at a time; a batch entry
/// point in the library would make it unnecessary.
/// </remarks>
internal static class Ranking
{
    public static RankedMovie[] Top(IReadOnlyList<int> movieIds, float[] scores, Func<int, bool> leftOut, RecommendationQuery query)
    {
        int wanted = (int)Math.Min((long)query.Offset + query.Count, scores.Length);
        if (query.Count == 0 || wanted <= query.Offset)
        {
            return [];
        }

        // A bounded min-heap: the worst kept candidate on top, O(n log k).
        var heap = new PriorityQueue<int, (float Score, int MovieId)>(wanted + 1, WorstFirst.Instance);
        for (int i = 0; i < scores.Length; i++)
        {
            int movieId = movieIds[i];
            var key = (scores[i], movieId);
            if (heap.Count == wanted && heap.TryPeek(out _, out var worst) && WorstFirst.Instance.Compare(key, worst) <= 0)
            {
                continue;
            }

            if (leftOut(movieId) || (query.Filter is { } keep && !keep(movieId)))
            {
                continue;
            }

            if (heap.Count < wanted)
            {
                heap.Enqueue(i, key);
            }
            else
            {
                heap.DequeueEnqueue(i, key);
            }
        }

        var best = new RankedMovie[Math.Max(heap.Count - query.Offset, 0)];
        for (int rank = heap.Count - 1; rank >= 0; rank--)
        {
            int index = heap.Dequeue();
            if (rank >= query.Offset)
            {
                best[rank - query.Offset] = new RankedMovie(movieIds[index], scores[index]);
            }
        }

        return best;
    }

    /// <summary>Worst first: lower score; on equal scores the larger movie id.</summary>
    private sealed class WorstFirst : IComparer<(float Score, int MovieId)>
    {
        public static readonly WorstFirst Instance = new();

        public int Compare((float Score, int MovieId) x, (float Score, int MovieId) y)
        {
            int byScore = x.Score.CompareTo(y.Score);
            return byScore != 0 ? byScore : y.MovieId.CompareTo(x.MovieId);
        }
    }
}
