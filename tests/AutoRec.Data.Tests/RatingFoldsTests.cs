using AutoRec.Contracts;

namespace AutoRec.Data.Tests;

/// <summary>k-fold cross-validation folds: a partition of the ratings, stratified by user, fixed by the seed.</summary>
public sealed class RatingFoldsTests
{
    private static Rating[] Synthetic()
    {
        var random = new Random(7);
        var ratings = new List<Rating>();
        for (int user = 1; user <= 120; user++)
        {
            foreach (int movie in Enumerable.Range(1, 500).OrderBy(_ => random.Next()).Take(3 + random.Next(60)))
            {
                ratings.Add(new Rating(user, movie, 1 + random.Next(5), 0));
            }
        }

        return [.. ratings.OrderBy(_ => random.Next())];
    }

    [Theory]
    [InlineData(2)]
    [InlineData(5)]
    public void EveryRatingIsInExactlyOneFoldAndEachUserIsDealtEvenly(int k)
    {
        Rating[] ratings = Synthetic();
        Rating[][] folds = RatingSplitter.Folds(ratings, k, seed: 11);

        Assert.Equal(k, folds.Length);
        Assert.Equal(
            ratings.Select(r => (r.UserId, r.MovieId)).Order(),
            folds.SelectMany(f => f).Select(r => (r.UserId, r.MovieId)).Order());
        foreach (IGrouping<int, Rating> user in ratings.GroupBy(r => r.UserId))
        {
            int[] perFold = [.. folds.Select(f => f.Count(r => r.UserId == user.Key))];
            Assert.True(perFold.Max() - perFold.Min() <= 1, $"user {user.Key}: {string.Join(", ", perFold)}");
        }

        foreach (Rating[] fold in folds)
        {
            Assert.Equal(fold.OrderBy(r => r.UserId).ThenBy(r => r.MovieId), fold);
        }
    }

    [Fact]
    public void TheSeedFixesTheFoldsAndAnotherSeedChangesThem()
    {
        Rating[] ratings = Synthetic();
        Rating[][] a = RatingSplitter.Folds(ratings, 5, seed: 11);
        Rating[][] b = RatingSplitter.Folds([.. ratings.Reverse()], 5, seed: 11);
        Rating[][] c = RatingSplitter.Folds(ratings, 5, seed: 12);

        Assert.Equal(a, b);
        Assert.NotEqual(a[0], c[0]);
    }

    [Fact]
    public void FewerThanTwoFoldsAreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => RatingSplitter.Folds(Synthetic(), 1, seed: 1));
    }
}
