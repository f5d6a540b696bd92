using AutoRec.Contracts;

namespace AutoRec.Data;

/// <summary>How <see cref="RatingSplitter"/> splits: the seed and the held-out fractions.</summary>
/// <param name="Seed">Fixes the split: the same seed and ratings give the same split, byte for byte.</param>
/// <param name="TestFraction">The share of each user's ratings held out for testing.</param>
/// <param name="ValidationFraction">The share of each user's remaining ratings held out for validation.</param>
public sealed record SplitOptions(long Seed = SplitOptions.DefaultSeed, double TestFraction = 0.1, double ValidationFraction = 0.1)
{
    /// <summary>The seed the seed report used with scikit-learn (our generator differs, so rows differ).</summary>
    public const long DefaultSeed = 999613182;
}

/// <summary>The three parts of a split, each sorted by user, then movie.</summary>
public sealed record RatingSplit(Rating[] Train, Rating[] Validation, Rating[] Test);

/// <summary>
/// Splits ratings per user (stratified by user): each user's ratings are shuffled with a generator seeded by the
/// split seed and the user id, the first share goes to test, the next to validation and the rest to train.
/// Every user keeps at least one training rating. Seeding per user keeps a user's split independent of the others.
/// </summary>
public static class RatingSplitter
{
    /// <summary>Splits <paramref name="ratings"/> (any order) as <paramref name="options"/> says.</summary>
    public static RatingSplit Split(ReadOnlySpan<Rating> ratings, SplitOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(options.TestFraction);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(options.TestFraction, 1.0);
        ArgumentOutOfRangeException.ThrowIfNegative(options.ValidationFraction);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(options.ValidationFraction, 1.0);

        Rating[] sorted = SortByUserThenMovie(ratings);
        var part = new byte[sorted.Length]; // 0 train, 1 validation, 2 test
        int[] shuffle = new int[64];
        int testCount = 0, validationCount = 0;
        for (int start = 0; start < sorted.Length;)
        {
            int end = start + 1;
            while (end < sorted.Length && sorted[end].UserId == sorted[start].UserId)
            {
                end++;
            }

            int n = end - start;
            int nTest = Math.Clamp((int)Math.Round(n * options.TestFraction, MidpointRounding.AwayFromZero), 0, n - 1);
            int nValidation = Math.Clamp(
                (int)Math.Round((n - nTest) * options.ValidationFraction, MidpointRounding.AwayFromZero), 0, n - nTest - 1);
            if (shuffle.Length < n)
            {
                shuffle = new int[n];
            }

            // Fisher-Yates on the user's positions; only the first nTest + nValidation draws matter.
            var random = new SplitMix64(unchecked((ulong)options.Seed * 0x9E3779B97F4A7C15UL ^ (ulong)sorted[start].UserId));
            for (int i = 0; i < n; i++)
            {
                shuffle[i] = i;
            }

            for (int i = 0; i < nTest + nValidation; i++)
            {
                int j = i + random.NextInt(n - i);
                (shuffle[i], shuffle[j]) = (shuffle[j], shuffle[i]);
                part[start + shuffle[i]] = i < nTest ? (byte)2 : (byte)1;
            }

            testCount += nTest;
            validationCount += nValidation;
            start = end;
        }

        var train = new Rating[sorted.Length - testCount - validationCount];
        var validation = new Rating[validationCount];
        var test = new Rating[testCount];
        int t = 0, v = 0, s = 0;
        for (int i = 0; i < sorted.Length; i++)
        {
            switch (part[i])
            {
                case 0: train[t++] = sorted[i]; break;
                case 1: validation[v++] = sorted[i]; break;
                default: test[s++] = sorted[i]; break;
            }
        }

        return new RatingSplit(train, validation, test);
    }

    /// <summary>Returns a copy of <paramref name="ratings"/> sorted by user, then movie.</summary>
    public static Rating[] SortByUserThenMovie(ReadOnlySpan<Rating> ratings)
    {
        var keys = new long[ratings.Length];
        var sorted = ratings.ToArray();
        for (int i = 0; i < sorted.Length; i++)
        {
            keys[i] = ((long)sorted[i].UserId << 32) | (uint)sorted[i].MovieId;
        }

        Array.Sort(keys, sorted);
        return sorted;
    }
}
