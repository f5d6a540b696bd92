using System.Text;
using AutoRec.Contracts;

namespace AutoRec.Data.Tests;

/// <summary>What the readers accept: CRLF, trailing blank lines, latin-1 and UTF-8 titles.</summary>
public sealed class ReaderToleranceTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("1::10::5::978300760\r\n1::11::3::978300761\r\n2::10::1::978300762\r\n")]
    [InlineData("1::10::5::978300760\r\n1::11::3::978300761\r\n2::10::1::978300762")]
    [InlineData("1::10::5::978300760\n1::11::3::978300761\n2::10::1::978300762\n\n\n")]
    [InlineData("1::10::5::978300760\r\n1::11::3::978300761\r\n2::10::1::978300762\r\n\r\n\r\n")]
    [InlineData("1::10::5::978300760\n1::11::3::978300761\n2::10::1::978300762")]
    public void RatingsToleratesCrlfAndTrailingBlankLines(string text)
    {
        string path = _dir.Write("ratings.dat", text);
        Rating[] ratings = MovieLensReader.ReadRatings(path, MovieLensFormat.DoubleColon, RatingScale.WholeStars);
        Assert.Equal(
            [new Rating(1, 10, 5f, 978300760), new Rating(1, 11, 3f, 978300761), new Rating(2, 10, 1f, 978300762)],
            ratings);
    }

    [Fact]
    public void MoviesAndUsersTolerateCrlfAndTrailingBlankLines()
    {
        _dir.Write("ratings.dat", "1::10::5::978300760\r\n");
        _dir.Write("movies.dat", "10::GoldenEye (1995)::Action|Adventure\r\n11::American President, The (1995)::Comedy\r\n\r\n");
        _dir.Write("users.dat", "1::F::1::10::48067\r\n2::M::56::16::70072\r\n\r\n");
        MovieLensDataset data = MovieLensReader.Read(MovieLensLayout.Detect("ml-1m", _dir.Root));
        Assert.Equal([new Movie(10, "GoldenEye (1995)", "Action|Adventure"), new Movie(11, "American President, The (1995)", "Comedy")], data.Movies);
        Assert.Equal([new User(1, "F", 1, "K-12 student", "48067"), new User(2, "M", 56, "self-employed", "70072")], data.Users);
    }

    [Fact]
    public void Latin1TitlesAreDecoded()
    {
        var bytes = new List<byte>();
        bytes.AddRange(Encoding.ASCII.GetBytes("73::Mis"));
        bytes.Add(0xE9); // é in latin-1, not valid UTF-8 on its own
        bytes.AddRange(Encoding.ASCII.GetBytes("rables, Les (1995)::Drama|War\n74::Bed of Roses (1996)::Drama|Romance\n"));
        _dir.WriteBytes("movies.dat", bytes.ToArray());
        _dir.Write("ratings.dat", "1::73::5::978300760\n");
        IReadOnlyList<Movie> movies = MovieLensReader.ReadMovies(MovieLensLayout.Detect("ml-1m", _dir.Root));
        Assert.Equal("Misérables, Les (1995)", movies[0].Title);
        Assert.Equal("Drama|War", movies[0].Genres);
        Assert.Equal("Bed of Roses (1996)", movies[1].Title);
    }

    [Fact]
    public void Utf8TitlesInCsvAreKept()
    {
        _dir.Write("ratings.csv", "userId,movieId,rating,timestamp\n1,4973,5.0,1147868053\n");
        _dir.Write("movies.csv", "movieId,title,genres\n4973,\"Amélie (Fabuleux destin d'Amélie Poulain, Le) (2001)\",Comedy|Romance\n5618,Spirited Away (Sen to Chihiro no kamikakushi) 千と千尋の神隠し (2001),Adventure|Animation|Fantasy\n");
        IReadOnlyList<Movie> movies = MovieLensReader.ReadMovies(MovieLensLayout.Detect("ml-latest-small", _dir.Root));
        Assert.Equal("Amélie (Fabuleux destin d'Amélie Poulain, Le) (2001)", movies[0].Title);
        Assert.Equal("Spirited Away (Sen to Chihiro no kamikakushi) 千と千尋の神隠し (2001)", movies[1].Title);
        Assert.Equal("Adventure|Animation|Fantasy", movies[1].Genres);
    }
}
