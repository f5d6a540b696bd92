using System.Runtime.CompilerServices;
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

/// <summary>The three parts of a split as columns, each sorted by user, then movie.</summary>
public sealed record RatingColumnSplit(RatingColumns Train, RatingColumns Validation, RatingColumns Test);

/// <summary>
/// Splits ratings per user (stratified by user): each user's ratings are shuffled with a generator seeded by the
/// split seed and the user id, the first share goes to test, the next to validation and the rest to train.
/// Every user keeps at least one training rating. Seeding per user keeps a user's split independent of the others.
/// </summary>
public static class RatingSplitter
{
    // A row's part; 0, what a new array holds, is train.
    private const byte Validation = 1;
    private const byte Test = 2;

    /// <summary>Splits <paramref name="ratings"/> (any order) as <paramref name="options"/> says.</summary>
    public static RatingSplit Split(ReadOnlySpan<Rating> ratings, SplitOptions options)
    {
        RatingColumnSplit split = Split(RatingColumns.From(ratings), options);
        return new RatingSplit(split.Train.ToRatings(), split.Validation.ToRatings(), split.Test.ToRatings());
    }

    /// <summary>Splits <paramref name="ratings"/> (any order) as <paramref name="options"/> says, the same way as for records.</summary>
    public static RatingColumnSplit Split(RatingColumns ratings, SplitOptions options)
    {
        ArgumentNullException.ThrowIfNull(ratings);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.TestFraction);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(options.TestFraction, 1.0);
        ArgumentOutOfRangeException.ThrowIfNegative(options.ValidationFraction);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(options.ValidationFraction, 1.0);

        int[]? order = PairOrder.Sorted(ratings.UserIds, ratings.MovieIds); // null: already sorted
        byte[] parts = AssignParts(ratings.UserIds, order, options, out int validationCount, out int testCount);
        var train = new RatingColumns(ratings.Count - validationCount - testCount);
        var validation = new RatingColumns(validationCount);
        var test = new RatingColumns(testCount);
        Gather(ratings, order, parts, [train, validation, test]);
        return new RatingColumnSplit(train, validation, test);
    }

    /// <summary>
    /// Deals <paramref name="ratings"/> into <paramref name="folds"/> parts for k-fold cross-validation, per user like
    /// <see cref="Split(ReadOnlySpan{Rating}, SplitOptions)"/>: each user's ratings are shuffled (seeded by
    /// <paramref name="seed"/> and the user) and dealt in turn from a random fold on, so every fold holds a
    /// 1/k share of each user's ratings (give or take one) and each rating is in exactly one fold. Each part is
    /// sorted by user, then movie.
    /// </summary>
    public static Rating[][] Folds(ReadOnlySpan<Rating> ratings, int folds, long seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(folds, 2);
        Rating[] sorted = SortByUserThenMovie(ratings);
        var parts = new List<Rating>[folds];
        for (int f = 0; f < folds; f++)
        {
            parts[f] = new List<Rating>((sorted.Length / folds) + 1);
        }

        var fold = new int[sorted.Length];
        for (int start = 0; start < sorted.Length;)
        {
            int user = sorted[start].UserId;
            int end = start + 1;
            while (end < sorted.Length && sorted[end].UserId == user)
            {
                end++;
            }

            var random = new SplitMix64(unchecked(((ulong)seed * 0x9E3779B97F4A7C15UL) ^ (ulong)user ^ 0xF01D5UL));
            int n = end - start;
            int[] positions = [.. Enumerable.Range(0, n)];
            for (int i = n - 1; i > 0; i--)
            {
                int j = random.NextInt(i + 1);
                (positions[i], positions[j]) = (positions[j], positions[i]);
            }

            int first = random.NextInt(folds);
            for (int i = 0; i < n; i++)
            {
                fold[start + positions[i]] = (first + i) % folds;
            }

            start = end;
        }

        for (int i = 0; i < sorted.Length; i++)
        {
            parts[fold[i]].Add(sorted[i]);
        }

        return [.. parts.Select(p => p.ToArray())];
    }

    /// <summary>Returns a copy of <paramref name="ratings"/> sorted by user, then movie.</summary>
    public static Rating[] SortByUserThenMovie(ReadOnlySpan<Rating> ratings)
    {
        RatingColumns columns = RatingColumns.From(ratings);
        int[]? order = PairOrder.Sorted(columns.UserIds, columns.MovieIds);
        var sorted = new Rating[ratings.Length];
        for (int i = 0; i < sorted.Length; i++)
        {
            sorted[i] = ratings[order is null ? i : order[i]];
        }

        return sorted;
    }

    /// <summary>The part of each row in sorted order (<paramref name="order"/>, or the rows' own when null).</summary>
    private static byte[] AssignParts(int[] users, int[]? order, SplitOptions options, out int validationCount, out int testCount)
    {
        int count = users.Length;
        var parts = new byte[count];
        int[] shuffle = new int[64];
        testCount = 0;
        validationCount = 0;
        for (int start = 0; start < count;)
        {
            int user = users[order is null ? start : order[start]];
            int end = start + 1;
            while (end < count && users[order is null ? end : order[end]] == user)
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
            var random = new SplitMix64(unchecked((ulong)options.Seed * 0x9E3779B97F4A7C15UL ^ (ulong)user));
            for (int i = 0; i < n; i++)
            {
                shuffle[i] = i;
            }

            for (int i = 0; i < nTest + nValidation; i++)
            {
                int j = i + random.NextInt(n - i);
                (shuffle[i], shuffle[j]) = (shuffle[j], shuffle[i]);
                parts[start + shuffle[i]] = i < nTest ? Test : Validation;
            }

            testCount += nTest;
            validationCount += nValidation;
            start = end;
        }

        return parts;
    }

    /// <summary>Copies each row, in sorted order, to the end of its part; one column per worker.</summary>
    private static void Gather(RatingColumns source, int[]? order, byte[] parts, RatingColumns[] destinations)
    {
        Parallel.Invoke(
            () => GatherColumn(source.UserIds, order, parts, destinations.Select(d => d.UserIds).ToArray()),
            () => GatherColumn(source.MovieIds, order, parts, destinations.Select(d => d.MovieIds).ToArray()),
            () => GatherColumn(source.Values, order, parts, destinations.Select(d => d.Values).ToArray()),
            () => GatherColumn(source.Timestamps, order, parts, destinations.Select(d => d.Timestamps).ToArray()));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void GatherColumn<T>(T[] source, int[]? order, byte[] parts, T[][] destinations)
    {
        Span<int> next = stackalloc int[destinations.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            destinations[parts[i]][next[parts[i]]++] = source[order is null ? i : order[i]];
        }
    }
}
