using System.Text;
using AutoRec.Contracts;

namespace AutoRec.Data.Tests;

/// <summary>Every MovieLens layout, detected and read end to end on a small fixture.</summary>
public sealed class FormatTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private const string Ml1mRatings = "1::1193::5::978300760\n1::661::3::978302109\n2::1193::4::978298413\n2::3068::4::978299000\n";
    private const string Ml1mMovies = "661::James and the Giant Peach (1996)::Animation|Children's|Musical\n1193::One Flew Over the Cuckoo's Nest (1975)::Drama\n3068::Verdict, The (1982)::Drama\n";
    private const string Ml1mUsers = "1::F::1::10::48067\n2::M::56::16::70072\n";

    private void WriteMl1m(string dir = "")
    {
        _dir.Write(Path.Combine(dir, "ratings.dat"), Ml1mRatings);
        _dir.Write(Path.Combine(dir, "movies.dat"), Ml1mMovies);
        _dir.Write(Path.Combine(dir, "users.dat"), Ml1mUsers);
    }

    private void WriteMl10m()
    {
        _dir.Write("ratings.dat", "1::122::5::838985046\n1::185::4.5::838983525\n2::122::0.5::868245777\n2::292::3.5::868245920\n");
        _dir.Write("movies.dat", "122::Boomerang (1992)::Comedy|Romance\n185::Net, The (1995)::Action|Crime|Thriller\n292::Outbreak (1995)::Action|Drama|Sci-Fi|Thriller\n");
    }

    private static readonly string[] Ml100kGenreNames =
    [
        "unknown", "Action", "Adventure", "Animation", "Children's", "Comedy", "Crime", "Documentary", "Drama",
        "Fantasy", "Film-Noir", "Horror", "Musical", "Mystery", "Romance", "Sci-Fi", "Thriller", "War", "Western",
    ];

    private static string Flags(params int[] set) => string.Join('|', Enumerable.Range(0, 19).Select(g => set.Contains(g) ? "1" : "0"));

    private void WriteMl100k(bool withGenreFile = true)
    {
        _dir.Write("u.data", "196\t242\t3\t881250949\n186\t302\t3\t891717742\n196\t302\t1\t878887116\n22\t242\t5\t878887117\n");
        _dir.Write("u.user", "22|25|M|writer|40206\n186|39|F|executive|00000\n196|49|M|writer|55105\n");
        var item = new List<byte>();
        item.AddRange(Encoding.ASCII.GetBytes($"242|Kolya (1996)|24-Jan-1997||http://us.imdb.com/M/title-exact?Kolya%20(1996)|{Flags(5)}\n"));
        item.AddRange(Encoding.ASCII.GetBytes("302|L.A. Confidential (1997)|01-Jan-1997||http://us.imdb.com/M/title-exact?L%2EA%2E+Confidential+(1997)|"));
        item.AddRange(Encoding.ASCII.GetBytes($"{Flags(6, 10, 13, 16)}\n"));
        item.AddRange(Encoding.ASCII.GetBytes("1300|'Til There Was You (1997)|01-Jan-1997||http://us.imdb.com/x|"));
        item.AddRange(Encoding.ASCII.GetBytes($"{Flags(0)}\n"));
        item.AddRange(Encoding.ASCII.GetBytes("1301|Ma vie en rose (Ma vie en ros"));
        item.Add(0xE9); // latin-1, as in the real u.item
        item.AddRange(Encoding.ASCII.GetBytes($") (1997)|01-Jan-1997||http://us.imdb.com/y|{Flags(5, 8)}\n"));
        _dir.WriteBytes("u.item", item.ToArray());
        if (withGenreFile)
        {
            _dir.Write("u.genre", string.Concat(Ml100kGenreNames.Select((g, i) => $"{g}|{i}\n")) + "\n");
        }
    }

    private void WriteCsv()
    {
        _dir.Write("ratings.csv", "userId,movieId,rating,timestamp\n1,1,4.0,964982703\n1,11,4.5,964981247\n2,1,0.5,964982224\n2,12,3.0,964983815\n");
        _dir.Write(
            "movies.csv",
            "movieId,title,genres\n" +
            "1,Toy Story (1995),Adventure|Animation|Children|Comedy|Fantasy\n" +
            "11,\"American President, The (1995)\",Comedy|Drama|Romance\n" +
            "12,\"Dracula: \"\"Dead and Loving It\"\" (1995)\",Comedy|Horror\n" +
            "13,\"\"\"Great Performances\"\" Cats (1998)\",(no genres listed)\n");
    }

    [Fact]
    public void Ml1m()
    {
        WriteMl1m();
        MovieLensLayout layout = MovieLensLayout.Detect("ml-1m", _dir.Root);
        Assert.Equal(MovieLensFormat.DoubleColon, layout.Format);
        Assert.Equal(RatingScale.WholeStars, layout.Scale);
        Assert.Equal(_dir.PathOf("ratings.dat"), layout.RatingsFile);
        Assert.Equal(_dir.PathOf("movies.dat"), layout.MoviesFile);
        Assert.Equal(_dir.PathOf("users.dat"), layout.UsersFile);
        Assert.Null(layout.GenresFile);
        Assert.Equal(3, layout.InputFiles.Count());

        MovieLensDataset data = MovieLensReader.Read(layout);
        Assert.Equal("ml-1m", data.Name);
        Assert.Equal(
            [new Rating(1, 1193, 5, 978300760), new Rating(1, 661, 3, 978302109), new Rating(2, 1193, 4, 978298413), new Rating(2, 3068, 4, 978299000)],
            data.Ratings);
        Assert.Equal(
            [
                new Movie(661, "James and the Giant Peach (1996)", "Animation|Children's|Musical"),
                new Movie(1193, "One Flew Over the Cuckoo's Nest (1975)", "Drama"),
                new Movie(3068, "Verdict, The (1982)", "Drama"),
            ],
            data.Movies);
        Assert.Equal([new User(1, "F", 1, "K-12 student", "48067"), new User(2, "M", 56, "self-employed", "70072")], data.Users);
    }

    [Fact]
    public void Ml10m()
    {
        WriteMl10m();
        MovieLensLayout layout = MovieLensLayout.Detect("ml-10m", _dir.Root);
        Assert.Equal(MovieLensFormat.DoubleColon, layout.Format);
        Assert.Equal(RatingScale.HalfStars, layout.Scale);
        Assert.Null(layout.UsersFile);
        Assert.Equal(2, layout.InputFiles.Count());

        MovieLensDataset data = MovieLensReader.Read(layout);
        Assert.Empty(data.Users);
        Assert.Equal([5f, 4.5f, 0.5f, 3.5f], data.Ratings.Select(r => r.Value));
        Assert.Equal(3, data.Movies.Count);
        Assert.Equal(new Movie(292, "Outbreak (1995)", "Action|Drama|Sci-Fi|Thriller"), data.Movies[2]);
    }

    [Theory]
    [InlineData("ml-1m")]
    [InlineData("ML-1M")]
    public void Ml1mIsWholeStarsEvenWithoutUsers(string dataset)
    {
        WriteMl1m();
        File.Delete(_dir.PathOf("users.dat"));
        MovieLensLayout layout = MovieLensLayout.Detect(dataset, _dir.Root);
        Assert.Equal(MovieLensFormat.DoubleColon, layout.Format);
        Assert.Equal(RatingScale.WholeStars, layout.Scale);
        Assert.Null(layout.UsersFile);
    }

    [Fact]
    public void Ml1mRejectsHalfStars()
    {
        WriteMl10m();
        _dir.Write("users.dat", Ml1mUsers);
        var error = Assert.Throws<DataFormatException>(() => MovieLensReader.Read(MovieLensLayout.Detect("ml-1m", _dir.Root)));
        Assert.Equal(DataErrorCodes.BadRating, error.Code);
        Assert.Equal(2, error.Line);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Ml100k(bool withGenreFile)
    {
        WriteMl100k(withGenreFile);
        MovieLensLayout layout = MovieLensLayout.Detect("ml-100k", _dir.Root);
        Assert.Equal(MovieLensFormat.Ml100k, layout.Format);
        Assert.Equal(RatingScale.WholeStars, layout.Scale);
        Assert.Equal(_dir.PathOf("u.data"), layout.RatingsFile);
        Assert.Equal(_dir.PathOf("u.item"), layout.MoviesFile);
        Assert.Equal(_dir.PathOf("u.user"), layout.UsersFile);
        Assert.Equal(withGenreFile ? _dir.PathOf("u.genre") : null, layout.GenresFile);

        MovieLensDataset data = MovieLensReader.Read(layout);
        Assert.Equal(
            [new Rating(196, 242, 3, 881250949), new Rating(186, 302, 3, 891717742), new Rating(196, 302, 1, 878887116), new Rating(22, 242, 5, 878887117)],
            data.Ratings);
        Assert.Equal(
            [
                new Movie(242, "Kolya (1996)", "Comedy"),
                new Movie(302, "L.A. Confidential (1997)", "Crime|Film-Noir|Mystery|Thriller"),
                new Movie(1300, "'Til There Was You (1997)", "unknown"),
                new Movie(1301, "Ma vie en rose (Ma vie en rosé) (1997)", "Comedy|Drama"),
            ],
            data.Movies);
        Assert.Equal(
            [new User(22, "M", 25, "writer", "40206"), new User(186, "F", 39, "executive", "00000"), new User(196, "M", 49, "writer", "55105")],
            data.Users);
    }

    [Fact]
    public void Ml100kRejectsAGenreFlagThatIsNotZeroOrOne()
    {
        WriteMl100k();
        _dir.Write("u.item", $"242|Kolya (1996)|24-Jan-1997||http://x|{Flags(5)}\n302|L.A. Confidential (1997)|01-Jan-1997||http://y|{Flags(6).Replace("1", "2", StringComparison.Ordinal)}\n");
        var error = Assert.Throws<DataFormatException>(() => MovieLensReader.Read(MovieLensLayout.Detect("ml-100k", _dir.Root)));
        Assert.Equal(DataErrorCodes.BadField, error.Code);
        Assert.Equal(_dir.PathOf("u.item"), error.FilePath);
        Assert.Equal(2, error.Line);
    }

    [Fact]
    public void Ml100kRejectsAMissingGenreFlag()
    {
        WriteMl100k();
        _dir.Write("u.item", $"242|Kolya (1996)|24-Jan-1997||http://x|{Flags(5)}\n302|L.A. Confidential (1997)|01-Jan-1997||http://y|0|0\n");
        var error = Assert.Throws<DataFormatException>(() => MovieLensReader.Read(MovieLensLayout.Detect("ml-100k", _dir.Root)));
        Assert.Equal(DataErrorCodes.FieldCount, error.Code);
        Assert.Equal(2, error.Line);
    }

    [Theory]
    [InlineData("ml-latest-small")]
    [InlineData("ml-20m")]
    [InlineData("ml-32m")]
    public void Csv(string dataset)
    {
        WriteCsv();
        MovieLensLayout layout = MovieLensLayout.Detect(dataset, _dir.Root);
        Assert.Equal(MovieLensFormat.Csv, layout.Format);
        Assert.Equal(RatingScale.HalfStars, layout.Scale);
        Assert.Null(layout.UsersFile);

        MovieLensDataset data = MovieLensReader.Read(layout);
        Assert.Equal(
            [new Rating(1, 1, 4f, 964982703), new Rating(1, 11, 4.5f, 964981247), new Rating(2, 1, 0.5f, 964982224), new Rating(2, 12, 3f, 964983815)],
            data.Ratings);
        Assert.Equal(
            [
                new Movie(1, "Toy Story (1995)", "Adventure|Animation|Children|Comedy|Fantasy"),
                new Movie(11, "American President, The (1995)", "Comedy|Drama|Romance"),
                new Movie(12, "Dracula: \"Dead and Loving It\" (1995)", "Comedy|Horror"),
                new Movie(13, "\"Great Performances\" Cats (1998)", "(no genres listed)"),
            ],
            data.Movies);
        Assert.Empty(data.Users);
    }

    [Fact]
    public void CsvWithAnUnclosedQuoteIsAR1002()
    {
        WriteCsv();
        _dir.Write("movies.csv", "movieId,title,genres\n1,Toy Story (1995),Comedy\n11,\"American President, The (1995),Comedy");
        var error = Assert.Throws<DataFormatException>(() => MovieLensReader.Read(MovieLensLayout.Detect("ml-20m", _dir.Root)));
        Assert.Equal(DataErrorCodes.FieldCount, error.Code);
        Assert.Equal(_dir.PathOf("movies.csv"), error.FilePath);
        Assert.Equal(3, error.Line);
    }

    [Fact]
    public void CsvMoviesWithoutHeaderIsAR1007()
    {
        WriteCsv();
        _dir.Write("movies.csv", "1,Toy Story (1995),Comedy\n");
        var error = Assert.Throws<DataFormatException>(() => MovieLensReader.Read(MovieLensLayout.Detect("ml-20m", _dir.Root)));
        Assert.Equal(DataErrorCodes.BadField, error.Code);
        Assert.Equal(1, error.Line);
    }

    [Fact]
    public void UnknownNameIsDetectedByDoubleColonFiles()
    {
        WriteMl1m();
        MovieLensLayout layout = MovieLensLayout.Detect("tiny", _dir.Root);
        Assert.Equal("tiny", layout.Dataset);
        Assert.Equal(MovieLensFormat.DoubleColon, layout.Format);
        Assert.Equal(RatingScale.WholeStars, layout.Scale); // users.dat present: ml-1m style
        Assert.NotNull(layout.UsersFile);
        Assert.Equal(4, MovieLensReader.Read(layout).Ratings.Length);
    }

    [Fact]
    public void UnknownNameWithoutUsersIsReadWithHalfStars()
    {
        WriteMl10m();
        MovieLensLayout layout = MovieLensLayout.Detect("my-export", _dir.Root);
        Assert.Equal(MovieLensFormat.DoubleColon, layout.Format);
        Assert.Equal(RatingScale.HalfStars, layout.Scale); // no users.dat: ml-10m style
        Assert.Null(layout.UsersFile);
        Assert.Equal(4, MovieLensReader.Read(layout).Ratings.Length);
    }

    [Fact]
    public void UnknownNameIsDetectedByMl100kFiles()
    {
        WriteMl100k();
        MovieLensLayout layout = MovieLensLayout.Detect("my-100k-copy", _dir.Root);
        Assert.Equal(MovieLensFormat.Ml100k, layout.Format);
        Assert.Equal(4, MovieLensReader.Read(layout).Movies.Count);
    }

    [Fact]
    public void UnknownNameIsDetectedByCsvFiles()
    {
        WriteCsv();
        MovieLensLayout layout = MovieLensLayout.Detect("latest-snapshot", _dir.Root);
        Assert.Equal(MovieLensFormat.Csv, layout.Format);
        Assert.Equal(RatingScale.HalfStars, layout.Scale);
        Assert.Equal(4, MovieLensReader.Read(layout).Movies.Count);
    }

    [Fact]
    public void FolderWithoutKnownFilesIsAR1008()
    {
        _dir.Write("README.txt", "not a dataset\n");
        _dir.Write("ratings.json", "[]\n");
        var error = Assert.Throws<DataFormatException>(() => MovieLensLayout.Detect("tiny", _dir.Root));
        Assert.Equal(DataErrorCodes.UnknownFormat, error.Code);
        Assert.Equal(_dir.Root, error.FilePath);
        Assert.Equal(0, error.Line);
        Assert.Contains("tiny", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void KnownNameWithAnotherLayoutIsAR1001()
    {
        WriteMl100k();
        var error = Assert.Throws<DataFormatException>(() => MovieLensLayout.Detect("ml-1m", _dir.Root));
        Assert.Equal(DataErrorCodes.MissingFile, error.Code);
        Assert.Equal(_dir.PathOf("ratings.dat"), error.FilePath);
    }
}
