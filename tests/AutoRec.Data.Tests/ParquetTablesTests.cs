using AutoRec.Contracts;

namespace AutoRec.Data.Tests;

/// <summary>Ratings, users and movies survive a Parquet round trip; wrong files are reported.</summary>
public sealed class ParquetTablesTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void RatingsRoundTrip()
    {
        Rating[] ratings =
        [
            new(1, 1193, 5f, 978300760),
            new(1, 661, 3f, 978302109),
            new(6040, 3952, 0.5f, 0),
            new(int.MaxValue, int.MaxValue, 4.5f, long.MaxValue),
        ];
        string path = _dir.PathOf("ratings.parquet");
        ParquetTables.WriteRatings(path, ratings);
        Assert.Equal(ratings, ParquetTables.ReadRatings(path));
    }

    [Fact]
    public void ManyRatingsRoundTrip()
    {
        Rating[] ratings = Enumerable.Range(0, 50_000).Select(i => new Rating(1 + (i / 100), 1 + (i % 100), 0.5f * (1 + (i % 10)), 1_000_000_000L + i)).ToArray();
        string path = _dir.PathOf("many.parquet");
        ParquetTables.WriteRatings(path, ratings);
        Assert.Equal(ratings, ParquetTables.ReadRatings(path));
    }

    [Fact]
    public void EmptyRatingsRoundTrip()
    {
        string path = _dir.PathOf("empty.parquet");
        ParquetTables.WriteRatings(path, []);
        Assert.Empty(ParquetTables.ReadRatings(path));
    }

    [Fact]
    public void UsersRoundTrip()
    {
        User[] users =
        [
            new(1, "F", 1, "K-12 student", "48067"),
            new(2, "M", 56, "self-employed", "70072"),
            new(3, "M", 25, "scientist", "55117-1234"),
            new(4, "F", 45, "", ""),
        ];
        string path = _dir.PathOf("users.parquet");
        ParquetTables.WriteUsers(path, users);
        Assert.Equal(users, ParquetTables.ReadUsers(path));
    }

    [Fact]
    public void MoviesRoundTripWithNonAsciiTitles()
    {
        Movie[] movies =
        [
            new(1, "Toy Story (1995)", "Animation|Children's|Comedy"),
            new(73, "Misérables, Les (1995)", "Drama|War"),
            new(4973, "Amélie (Fabuleux destin d'Amélie Poulain, Le) (2001)", "Comedy|Romance"),
            new(5618, "千と千尋の神隠し (2001)", "Animation"),
            new(12, "Dracula: \"Dead and Loving It\" (1995), with ÿ and 🎬", ""),
        ];
        string path = _dir.PathOf("movies.parquet");
        ParquetTables.WriteMovies(path, movies);
        Assert.Equal(movies, ParquetTables.ReadMovies(path));
    }

    [Fact]
    public void WritingTheSameRowsTwiceGivesTheSameBytes()
    {
        Rating[] ratings = [new(1, 2, 3f, 4), new(5, 6, 1f, 8)];
        string a = _dir.PathOf("a.parquet");
        string b = _dir.PathOf("b.parquet");
        ParquetTables.WriteRatings(a, ratings);
        ParquetTables.WriteRatings(b, ratings);
        Assert.Equal(File.ReadAllBytes(a), File.ReadAllBytes(b));
    }

    [Fact]
    public void MoviesReadAsRatingsIsAR1009()
    {
        string path = _dir.PathOf("movies.parquet");
        ParquetTables.WriteMovies(path, [new Movie(1, "Toy Story (1995)", "Comedy")]);
        var error = Assert.Throws<DataFormatException>(() => ParquetTables.ReadRatings(path));
        Assert.Equal(DataErrorCodes.BadParquet, error.Code);
        Assert.Equal(path, error.FilePath);
        Assert.Equal(0, error.Line);
        Assert.Contains("title", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void RatingsReadAsUsersIsAR1009()
    {
        string path = _dir.PathOf("ratings.parquet");
        ParquetTables.WriteRatings(path, [new Rating(1, 2, 3f, 4)]);
        Assert.Equal(DataErrorCodes.BadParquet, Assert.Throws<DataFormatException>(() => ParquetTables.ReadUsers(path)).Code);
        Assert.Equal(DataErrorCodes.BadParquet, Assert.Throws<DataFormatException>(() => ParquetTables.ReadMovies(path)).Code);
    }

    [Fact]
    public void UsersReadAsMoviesIsAR1009()
    {
        string path = _dir.PathOf("users.parquet");
        ParquetTables.WriteUsers(path, [new User(1, "F", 1, "K-12 student", "48067")]);
        Assert.Equal(DataErrorCodes.BadParquet, Assert.Throws<DataFormatException>(() => ParquetTables.ReadMovies(path)).Code);
    }

    [Theory]
    [InlineData("1::10::5::978300760\n")]
    [InlineData("PAR1")]
    [InlineData("")]
    public void NotAParquetFileIsAR1009(string text)
    {
        string path = _dir.Write("ratings.parquet", text);
        var error = Assert.Throws<DataFormatException>(() => ParquetTables.ReadRatings(path));
        Assert.Equal(DataErrorCodes.BadParquet, error.Code);
        Assert.Equal(path, error.FilePath);
    }

    [Fact]
    public void MissingParquetFileIsAR1001()
    {
        string path = _dir.PathOf("absent.parquet");
        var error = Assert.Throws<DataFormatException>(() => ParquetTables.ReadRatings(path));
        Assert.Equal(DataErrorCodes.MissingFile, error.Code);
        Assert.Equal(path, error.FilePath);
    }

    [Fact]
    public void RatingScaleTravelsAsFileMetadata()
    {
        string withScale = _dir.PathOf("with.parquet");
        string without = _dir.PathOf("without.parquet");
        Rating[] ratings = [new(1, 2, 3.5f, 0), new(2, 2, 4f, 0)];
        ParquetTables.WriteRatings(withScale, ratings, RatingScale.HalfStars);
        ParquetTables.WriteRatings(without, ratings);

        Assert.Equal(RatingScale.HalfStars, ParquetTables.ReadRatingScale(withScale));
        Assert.Null(ParquetTables.ReadRatingScale(without));
        Assert.Equal(ratings, ParquetTables.ReadRatings(withScale));
        Assert.Equal(DataErrorCodes.BadParquet, Assert.Throws<DataFormatException>(() => ParquetTables.ReadRatingScale(_dir.Write("bad.parquet", "not parquet"))).Code);
    }

    [Theory]
    [InlineData("1", "5", "1", true)]
    [InlineData("0.5", "5", "0.5", true)]
    [InlineData("5", "1", "1", false)]
    [InlineData("1", "5", "0", false)]
    [InlineData("x", "5", "1", false)]
    public void RatingScaleMetadataIsValidated(string min, string max, string step, bool valid)
    {
        var metadata = new Dictionary<string, string> { ["autorec.rating_min"] = min, ["autorec.rating_max"] = max, ["autorec.rating_step"] = step };
        Assert.Equal(valid, RatingScale.FromMetadata(metadata) is not null);
    }
}
