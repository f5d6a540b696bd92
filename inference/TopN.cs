namespace AutoRec.Inference;

/// <summary>Picks the best-scored movies: score descending, ties by ascending movie id, so results are deterministic.</summary>
internal static class TopN
{
    /// <summary>
    /// The <paramref name="count"/> best of <paramref name="movieIds"/> by <paramref name="scores"/> (same order),
    /// skipping indices for which <paramref name="skip"/> is true.
    /// </summary>
    public static IReadOnlyList<Recommendation> Select(
        IReadOnlyList<int> movieIds, ReadOnlySpan<float> scores, Func<int, bool> skip, int count, MovieCatalog? catalog)
    {
        if (count == 0)
        {
            return [];
        }

        // A bounded min-heap (worst kept candidate on top) is O(n log count) and allocates only count entries.
        var heap = new PriorityQueue<int, (float Score, int MovieId)>(count + 1, WorstFirst.Instance);
        for (int i = 0; i < scores.Length; i++)
        {
            if (skip(i))
            {
                continue;
            }

            var key = (scores[i], movieIds[i]);
            if (heap.Count < count)
            {
                heap.Enqueue(i, key);
            }
            else if (heap.TryPeek(out _, out var worst) && WorstFirst.Instance.Compare(key, worst) > 0)
            {
                heap.DequeueEnqueue(i, key);
            }
        }

        var best = new Recommendation[heap.Count];
        for (int k = best.Length - 1; k >= 0; k--)
        {
            int index = heap.Dequeue();
            best[k] = new Recommendation(movieIds[index], scores[index], catalog?.TitleOf(movieIds[index]));
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
