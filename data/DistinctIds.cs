namespace AutoRec.Data;

/// <summary>Counts distinct ids over several columns: with one bit per id in their range (ids are dense in MovieLens), else a hash set.</summary>
internal static class DistinctIds
{
    private const long MaxBitmapRange = 1L << 28; // 32 MB of bits

    public static int Count(IEnumerable<int[]> columns)
    {
        int[][] all = [.. columns];
        long min = long.MaxValue;
        long max = long.MinValue;
        foreach (int[] column in all)
        {
            if (column.Length > 0)
            {
                min = Math.Min(min, column.Min());
                max = Math.Max(max, column.Max());
            }
        }

        if (min > max)
        {
            return 0;
        }

        if (max - min >= MaxBitmapRange)
        {
            var set = new HashSet<int>();
            foreach (int[] column in all)
            {
                set.UnionWith(column);
            }

            return set.Count;
        }

        var seen = new ulong[((max - min) >> 6) + 1];
        int count = 0;
        foreach (int[] column in all)
        {
            foreach (int id in column)
            {
                long offset = id - min;
                ulong bit = 1UL << (int)(offset & 63);
                ref ulong word = ref seen[offset >> 6];
                if ((word & bit) == 0)
                {
                    word |= bit;
                    count++;
                }
            }
        }

        return count;
    }
}
