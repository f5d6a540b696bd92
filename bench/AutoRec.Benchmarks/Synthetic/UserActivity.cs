namespace AutoRec.Benchmarks.Synthetic;

/// <summary>
/// How many ratings each user gives: at least 20, the rest shared Zipf-like by activity rank
/// (weight (rank + k)^-0.8, less the last rank's so that the least active users have exactly 20), capped at
/// <see cref="SynthOptions.MaxRatingsPerUser"/>. With ml-20m's shape this gives a median near 60 and a maximum
/// of several thousand (ml-20m: 68 and 9,254).
/// </summary>
internal static class UserActivity
{
    /// <summary>Rating counts by activity rank (most active first), summing to exactly <see cref="SynthOptions.Ratings"/>.</summary>
    public static int[] CountsByRank(SynthOptions options)
    {
        int users = options.Users;
        int min = SynthOptions.MinRatingsPerUser;
        int cap = options.MaxRatingsPerUser;
        const double Exponent = 0.8;
        double offset = Math.Max(1.0, users / 460.0); // 300 for 138,000 users: flattens the head towards ml-20m's maximum
        double last = Math.Pow(users + offset, -Exponent);
        var weights = new double[users];
        for (int r = 0; r < users; r++)
        {
            weights[r] = Math.Pow(r + offset, -Exponent) - last;
        }

        // Share out what lies above the minimum; users who would pass the cap are held at it and the rest is shared
        // again among the others (the capped ones are a prefix of the ranks, since weights decrease).
        var counts = new int[users];
        int capped = 0;
        while (true)
        {
            long rest = options.Ratings - ((long)capped * cap) - ((long)(users - capped) * min);
            double total = 0;
            for (int r = capped; r < users; r++)
            {
                total += weights[r];
            }

            if (capped < users && min + (rest * weights[capped] / total) > cap)
            {
                capped++;
                continue;
            }

            long given = 0;
            for (int r = 0; r < users; r++)
            {
                counts[r] = r < capped ? cap : min + (int)(rest * weights[r] / total);
                given += counts[r];
            }

            // Rounding down left a few ratings over: one more each for the most active users below the cap.
            for (int r = capped; given < options.Ratings; r = r + 1 < users ? r + 1 : capped)
            {
                if (counts[r] < cap)
                {
                    counts[r]++;
                    given++;
                }
            }

            return counts;
        }
    }
}
