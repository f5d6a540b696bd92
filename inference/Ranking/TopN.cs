namespace AutoRec.Inference.Ranking;

/// <summary>Picks the best-scored movies: score descending, ties by ascending movie id, so results are deterministic.</summary>
internal static class TopN
{
    /// <summary>
    /// The indices (into <paramref name="movieIds"/> and <paramref name="scores"/>) of the movies ranked
    /// <paramref name="offset"/> to <paramref name="offset"/> + <paramref name="count"/> − 1, best first, among those
    /// not set in <paramref name="excluded"/> (empty: none) and kept by <paramref name="keep"/> (called with movie ids).
    /// </summary>
    public static int[] Select(
        IReadOnlyList<int> movieIds, ReadOnlySpan<float> scores, ReadOnlySpan<ulong> excluded, Func<int, bool>? keep, int offset, int count)
    {
        // The heap holds offset + count candidates, never more than there are movies (offsets may be huge).
        int wanted = (int)Math.Min((long)offset + count, scores.Length);
        if (count == 0 || wanted <= offset)
        {
            return [];
        }

        // A bounded min-heap (worst kept candidate on top) is O(n log k) and allocates only k entries.
        var heap = new PriorityQueue<int, (float Score, int MovieId)>(wanted + 1, WorstFirst.Instance);
        for (int i = 0; i < scores.Length; i++)
        {
            if (!excluded.IsEmpty && MovieMask.IsSet(excluded, i))
            {
                continue;
            }

            var key = (scores[i], movieIds[i]);
            if (heap.Count == wanted && (!heap.TryPeek(out _, out var worst) || WorstFirst.Instance.Compare(key, worst) <= 0))
            {
                continue; // not better than the worst kept: no need to ask the filter
            }

            if (keep is not null && !keep(movieIds[i]))
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

        // Dequeued worst first, so rank k (0 = best) comes out at step heap.Count − 1 − k; the offset best are dropped.
        int kept = Math.Max(heap.Count - offset, 0);
        var best = new int[kept];
        for (int k = heap.Count - 1; k >= 0; k--)
        {
            int index = heap.Dequeue();
            if (k >= offset)
            {
                best[k - offset] = index;
            }
        }

        return best;
    }

    /// <summary>Orders candidates from worst to best: lower score first; on equal scores the larger movie id is worse.</summary>
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
