using AutoRec.Contracts;

namespace AutoRec.Data.Tests;

/// <summary>The per-user stratified split: a partition, deterministic, sorted, with every user in train.</summary>
public sealed class RatingSplitterTests
{
    /// <summary>200 users with 1 to 80 ratings each (users 1, 2 and 3 have 1, 2 and 3), in shuffled order.</summary>
    private static Rating[] Synthetic()
    {
        var random = new Random(12345);
        var ratings = new List<Rating>();
        for (int user = 1; user <= 200; user++)
        {
            int n = user <= 3 ? user : 5 + random.Next(76);
            foreach (int movie in Enumerable.Range(1, 3000).OrderBy(_ => random.Next()).Take(n))
            {
                ratings.Add(new Rating(user, movie, 1 + random.Next(5), 900_000_000L + random.Next(100_000_000)));
            }
        }

        return ratings.OrderBy(_ => random.Next()).ToArray();
    }

    private static long Key(Rating r) => ((long)r.UserId << 32) | (uint)r.MovieId;

    private static (int Test, int Validation) ExpectedCounts(int n, double testFraction, double validationFraction)
    {
        int test = Math.Min((int)Math.Round(n * testFraction, MidpointRounding.AwayFromZero), n - 1);
        int validation = Math.Min((int)Math.Round((n - test) * validationFraction, MidpointRounding.AwayFromZero), n - test - 1);
        return (test, validation);
    }

    [Fact]
    public void PartsAreDisjointAndTheirUnionIsTheInput()
    {
        Rating[] input = Synthetic();
        RatingSplit split = RatingSplitter.Split(input, new SplitOptions());
        Rating[] all = [.. split.Train, .. split.Validation, .. split.Test];
        Assert.Equal(input.Length, all.Length);
        Assert.Equal(input.Length, all.Select(Key).Distinct().Count());
        Assert.Equal(input.OrderBy(Key), all.OrderBy(Key)); // whole records, values and timestamps included
        Assert.Empty(split.Train.Select(Key).Intersect(split.Test.Select(Key)));
        Assert.Empty(split.Train.Select(Key).Intersect(split.Validation.Select(Key)));
        Assert.Empty(split.Validation.Select(Key).Intersect(split.Test.Select(Key)));
    }

    [Theory]
    [InlineData(0.1, 0.1)]
    [InlineData(0.2, 0.25)]
    [InlineData(0.5, 0.5)]
    [InlineData(0.0, 0.0)]
    public void EachUserIsSplitByTheFractions(double testFraction, double validationFraction)
    {
        Rating[] input = Synthetic();
        RatingSplit split = RatingSplitter.Split(input, new SplitOptions(42, testFraction, validationFraction));
        var trainCounts = split.Train.CountBy(r => r.UserId).ToDictionary();
        var validationCounts = split.Validation.CountBy(r => r.UserId).ToDictionary();
        var testCounts = split.Test.CountBy(r => r.UserId).ToDictionary();
        foreach ((int user, int n) in input.CountBy(r => r.UserId))
        {
            (int test, int validation) = ExpectedCounts(n, testFraction, validationFraction);
            Assert.Equal(test, testCounts.GetValueOrDefault(user));
            Assert.Equal(validation, validationCounts.GetValueOrDefault(user));
            Assert.Equal(n - test - validation, trainCounts.GetValueOrDefault(user));
            Assert.True(trainCounts.GetValueOrDefault(user) >= 1, $"user {user} with {n} ratings has no train rating");
        }
    }

    [Theory]
    [InlineData(1, 0, 0)]
    [InlineData(2, 1, 0)]
    [InlineData(3, 2, 0)]
    [InlineData(4, 2, 1)]
    public void SmallUsersKeepATrainRating(int n, int expectedTest, int expectedValidation)
    {
        Rating[] input = Enumerable.Range(1, n).Select(m => new Rating(7, m * 10, 3f, m)).ToArray();
        RatingSplit split = RatingSplitter.Split(input, new SplitOptions(1, 0.5, 0.5));
        Assert.Equal(expectedTest, split.Test.Length);
        Assert.Equal(expectedValidation, split.Validation.Length);
        Assert.Equal(n - expectedTest - expectedValidation, split.Train.Length);
        Assert.NotEmpty(split.Train);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void UsersWithOneTwoOrThreeRatingsKeepThemInTrainAtTheDefaultFractions(int n)
    {
        Rating[] input = Enumerable.Range(1, n).Select(m => new Rating(3, m, 4f, m)).ToArray();
        RatingSplit split = RatingSplitter.Split(input, new SplitOptions());
        Assert.Equal(input, split.Train);
        Assert.Empty(split.Validation);
        Assert.Empty(split.Test);
    }

    [Fact]
    public void SameSeedGivesTheSameSplit()
    {
        Rating[] input = Synthetic();
        RatingSplit a = RatingSplitter.Split(input, new SplitOptions(2024));
        RatingSplit b = RatingSplitter.Split(input.Reverse().ToArray(), new SplitOptions(2024)); // input order does not matter
        Assert.Equal(a.Train, b.Train);
        Assert.Equal(a.Validation, b.Validation);
        Assert.Equal(a.Test, b.Test);
    }

    [Fact]
    public void DifferentSeedGivesADifferentTestSet()
    {
        Rating[] input = Synthetic();
        RatingSplit a = RatingSplitter.Split(input, new SplitOptions(1));
        RatingSplit b = RatingSplitter.Split(input, new SplitOptions(2));
        Assert.Equal(a.Test.Length, b.Test.Length);
        Assert.NotEqual(a.Test, b.Test);
        Assert.NotEqual(a.Validation, b.Validation);
    }

    [Fact]
    public void AUsersSplitDoesNotDependOnOtherUsers()
    {
        Rating[] input = Synthetic();
        RatingSplit all = RatingSplitter.Split(input, new SplitOptions(5));
        RatingSplit one = RatingSplitter.Split(input.Where(r => r.UserId == 100).ToArray(), new SplitOptions(5));
        Assert.Equal(all.Test.Where(r => r.UserId == 100), one.Test);
        Assert.Equal(all.Validation.Where(r => r.UserId == 100), one.Validation);
    }

    [Fact]
    public void EachPartIsSortedByUserThenMovie()
    {
        RatingSplit split = RatingSplitter.Split(Synthetic(), new SplitOptions());
        foreach (Rating[] part in new[] { split.Train, split.Validation, split.Test })
        {
            Assert.NotEmpty(part);
            for (int i = 1; i < part.Length; i++)
            {
                Assert.True(Key(part[i - 1]) < Key(part[i]), $"rows {i - 1} and {i} are out of order: {part[i - 1]}, {part[i]}");
            }
        }
    }

    [Fact]
    public void FractionsHoldOverall()
    {
        Rating[] input = Synthetic();
        RatingSplit split = RatingSplitter.Split(input, new SplitOptions(99, 0.1, 0.1));
        double test = (double)split.Test.Length / input.Length;
        double validation = (double)split.Validation.Length / input.Length;
        Assert.InRange(test, 0.09, 0.11);
        Assert.InRange(validation, 0.9 * 0.09, 0.9 * 0.11); // a share of what test left
        Assert.Equal(input.Length, split.Train.Length + split.Validation.Length + split.Test.Length);
    }

    [Theory]
    [InlineData(1.0, 0.1)]
    [InlineData(-0.1, 0.1)]
    [InlineData(0.1, 1.0)]
    [InlineData(0.1, -0.5)]
    public void FractionsOutsideZeroToOneAreRejected(double testFraction, double validationFraction)
    {
        Rating[] input = [new(1, 1, 1f, 1)];
        Assert.Throws<ArgumentOutOfRangeException>(() => RatingSplitter.Split(input, new SplitOptions(1, testFraction, validationFraction)));
    }

    [Fact]
    public void SummaryCountsTheSplit()
    {
        Rating[] input = Synthetic();
        var options = new SplitOptions(3, 0.2, 0.1);
        RatingSplit split = RatingSplitter.Split(input, options);
        string json = SplitSummary.ToJson(options, split);
        Assert.Contains("\"seed\": 3", json, StringComparison.Ordinal);
        Assert.Contains("\"test_fraction\": 0.2", json, StringComparison.Ordinal);
        using var dir = new TempDir();
        string path = dir.Write("split.json", json);
        SplitSummary summary = SplitSummary.Read(path);
        Assert.Equal(3, summary.Seed);
        Assert.Equal(0.2, summary.TestFraction);
        Assert.Equal(0.1, summary.ValidationFraction);
        Assert.Equal(new SplitCounts(split.Train.Length, split.Validation.Length, split.Test.Length, 200, input.Select(r => r.MovieId).Distinct().Count()), summary.Counts);
    }
}
