using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace AutoRec.Data;

/// <summary>
/// Orders rating rows by (user, movie) and finds repeated pairs. MovieLens' large files are already in that order,
/// which one linear check confirms; otherwise rows are bucketed by user (a stable counting sort) and each user's few
/// rows are sorted by movie, in parallel, which beats sorting all the packed pairs when there are millions.
/// </summary>
internal static class PairOrder
{
    /// <summary>
    /// The rows' order sorted by user, then movie (as the unsigned movie id, as <see cref="Key"/> compares), or null
    /// when the rows are already in that order. Repeated pairs end up next to each other.
    /// </summary>
    public static int[]? Sorted(int[] users, int[] movies)
    {
        if (IsSorted(users, movies))
        {
            return null;
        }

        return TryBucketByUser(users, movies) ?? SortPacked(users, movies);
    }

    /// <summary>The pair (user, movie) as one number whose order is user, then movie.</summary>
    public static long Key(int user, int movie) => ((long)user << 32) | (uint)movie;

    /// <summary>
    /// The earliest row that repeats an earlier row's pair, and that earlier row; null when every pair is unique.
    /// <paramref name="order"/> is what <see cref="Sorted"/> returned for these rows.
    /// </summary>
    public static (int First, int Repeat)? FirstRepeat(int[] users, int[] movies, int[]? order)
    {
        int n = users.Length;
        (int First, int Repeat)? earliest = null;
        for (int i = 1; i < n;)
        {
            int row = order is null ? i : order[i];
            int previous = order is null ? i - 1 : order[i - 1];
            if (users[row] != users[previous] || movies[row] != movies[previous])
            {
                i++;
                continue;
            }

            // A run of equal pairs: its repeat is the second earliest of its rows, its first the earliest.
            int first = Math.Min(row, previous);
            int second = Math.Max(row, previous);
            int j = i + 1;
            for (; j < n; j++)
            {
                int next = order is null ? j : order[j];
                if (users[next] != users[row] || movies[next] != movies[row])
                {
                    break;
                }

                if (next < first)
                {
                    second = first;
                    first = next;
                }
                else if (next < second)
                {
                    second = next;
                }
            }

            if (earliest is null || second < earliest.Value.Repeat)
            {
                earliest = (first, second);
            }

            i = j;
        }

        return earliest;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool IsSorted(int[] users, int[] movies)
    {
        for (int i = 1; i < users.Length; i++)
        {
            if (Key(users[i], movies[i]) < Key(users[i - 1], movies[i - 1]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Null when user ids are negative or too sparse for one counter per id (at most about one per row).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int[]? TryBucketByUser(int[] users, int[] movies)
    {
        int n = users.Length;
        int max = 0;
        foreach (int user in users)
        {
            if (user < 0)
            {
                return null;
            }

            max = Math.Max(max, user);
        }

        if (max > n + (1L << 20))
        {
            return null;
        }

        // starts[u] is where user u's rows begin in the order; filled in file order, so each bucket keeps it.
        var starts = new int[max + 2];
        foreach (int user in users)
        {
            starts[user + 1]++;
        }

        for (int u = 1; u < starts.Length; u++)
        {
            starts[u] += starts[u - 1];
        }

        var order = new int[n];
        int[] next = (int[])starts.Clone();
        for (int i = 0; i < n; i++)
        {
            order[next[users[i]]++] = i;
        }

        Parallel.ForEach(
            Partitioner.Create(0, max + 1, Math.Max(1024, (max + 1) / (8 * Environment.ProcessorCount))),
            () => Array.Empty<uint>(),
            (range, _, keys) =>
            {
                for (int u = range.Item1; u < range.Item2; u++)
                {
                    keys = SortBucket(movies, order.AsSpan(starts[u], starts[u + 1] - starts[u]), keys);
                }

                return keys;
            },
            _ => { });
        return order;
    }

    private static uint[] SortBucket(int[] movies, Span<int> rows, uint[] keys)
    {
        bool sorted = true;
        for (int i = 1; i < rows.Length && sorted; i++)
        {
            sorted = (uint)movies[rows[i - 1]] <= (uint)movies[rows[i]];
        }

        if (sorted)
        {
            return keys;
        }

        if (keys.Length < rows.Length)
        {
            keys = new uint[Math.Max(rows.Length, 2 * keys.Length)];
        }

        Span<uint> bucketKeys = keys.AsSpan(0, rows.Length);
        for (int i = 0; i < rows.Length; i++)
        {
            bucketKeys[i] = (uint)movies[rows[i]];
        }

        bucketKeys.Sort(rows);
        return keys;
    }

    private static int[] SortPacked(int[] users, int[] movies)
    {
        var keys = new long[users.Length];
        var order = new int[users.Length];
        for (int i = 0; i < keys.Length; i++)
        {
            keys[i] = Key(users[i], movies[i]);
            order[i] = i;
        }

        Array.Sort(keys, order);
        return order;
    }
}
