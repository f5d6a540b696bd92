using AutoRec.Benchmarks.Synthetic;
using AutoRec.Contracts;

namespace AutoRec.Data.Tests;

/// <summary>The benchmarks' synthetic ml-20m-shaped dataset: what the readers accept, MovieLens' rules, determinism.</summary>
public sealed class SyntheticDatasetTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private MovieLensDataset Generate(SynthOptions options, string name = "synth")
    {
        string folder = _dir.SubDir(name);
        SynthSummary summary = SyntheticMovieLens.Write(folder, options);
        Assert.Equal(options.Ratings, summary.Ratings);
        return MovieLensReader.Read(MovieLensLayout.Detect("ml-20m-synth", folder));
    }

    [Fact]
    public void ReadersAcceptItAndItKeepsMovieLensRules()
    {
        var options = new SynthOptions(Users: 300, Movies: 2_000, Ratings: 30_000, Seed: 7);
        MovieLensDataset data = Generate(options); // the reader also rejects repeated (user, movie) pairs

        Assert.Equal(RatingScale.HalfStars, data.Scale);
        Assert.Equal(30_000, data.Ratings.Length);
        var perUser = data.Ratings.CountBy(r => r.UserId).ToDictionary();
        Assert.Equal(Enumerable.Range(1, 300), perUser.Keys.Order());
        Assert.True(perUser.Values.Min() >= SynthOptions.MinRatingsPerUser);
        Assert.True(perUser.Values.Max() > 4 * perUser.Values.Order().ElementAt(150), "user activity should be skewed");
        Assert.All(data.Ratings, r => Assert.True(RatingScale.HalfStars.Contains(r.Value)));
        Assert.Contains(data.Ratings, r => r.Value % 1 != 0);

        var movieIds = data.Movies.Select(m => m.MovieId).ToHashSet();
        Assert.Equal(2_000, movieIds.Count);
        Assert.All(data.Ratings, r => Assert.Contains(r.MovieId, movieIds));
        var perMovie = data.Ratings.CountBy(r => r.MovieId).Select(p => p.Value).Order().ToArray();
        Assert.True(perMovie[^1] > 10 * perMovie[perMovie.Length / 2], "movie popularity should be skewed");

        // Sorted by user then movie, as ml-20m's ratings.csv is.
        Assert.Equal(data.Ratings.Select(r => (r.UserId, r.MovieId)), data.Ratings.Select(r => (r.UserId, r.MovieId)).Order());

        // Titles with commas and quotes were quoted in movies.csv and come back whole.
        Assert.Contains(data.Movies, m => m.Title.Contains(", The (", StringComparison.Ordinal));
        Assert.Contains(data.Movies, m => m.Title.Contains('"', StringComparison.Ordinal));
        Assert.Contains(data.Movies, m => m.Title.Any(c => c > 127));
        Assert.All(data.Movies, m => Assert.Matches(@"^(\(no genres listed\)|[A-Za-z-]+(\|[A-Za-z-]+)*)$", m.Genres));
    }

    [Fact]
    public void TheSameSeedGivesTheSameBytes()
    {
        var options = new SynthOptions(Users: 200, Movies: 300, Ratings: 12_000, Seed: 3);
        SyntheticMovieLens.Write(_dir.SubDir("a"), options);
        SyntheticMovieLens.Write(_dir.SubDir("b"), options);
        SyntheticMovieLens.Write(_dir.SubDir("c"), options with { Seed = 4 });
        foreach (string file in new[] { "ratings.csv", "movies.csv" })
        {
            Assert.Equal(File.ReadAllBytes(_dir.PathOf($"a/{file}")), File.ReadAllBytes(_dir.PathOf($"b/{file}")));
            Assert.NotEqual(File.ReadAllBytes(_dir.PathOf($"a/{file}")), File.ReadAllBytes(_dir.PathOf($"c/{file}")));
        }
    }

    [Fact]
    public void UsersWhoRateMostMoviesStillRateEachOnce()
    {
        // 40 movies and up to 40 ratings per user: the generator samples without replacement differently here.
        MovieLensDataset data = Generate(new SynthOptions(Users: 30, Movies: 40, Ratings: 1_100, Seed: 9), "dense");
        Assert.Equal(1_100, data.Ratings.Length);
        Assert.True(data.Ratings.CountBy(r => r.UserId).Max(p => p.Value) > 30);
    }

    [Theory]
    [InlineData(10, 10, 200)] // fewer than 20 movies
    [InlineData(10, 100, 199)] // fewer than 20 ratings per user
    [InlineData(10, 100, 1_001)] // more than every pair
    public void ImpossibleShapesAreRejected(int users, int movies, long ratings)
    {
        Assert.Throws<ArgumentException>(() => SyntheticMovieLens.Write(_dir.PathOf("never"), new SynthOptions(users, movies, ratings)));
        Assert.False(Directory.Exists(_dir.PathOf("never")));
    }
}
