using AutoRec.Contracts;

namespace AutoRec.Data.Tests;

/// <summary>Every kind of bad input gives a <see cref="DataFormatException"/> with its code, file and 1-based line.</summary>
public sealed class ReaderErrorTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private DataFormatException RatingsError(string text, RatingScale scale, MovieLensFormat format = MovieLensFormat.DoubleColon, string name = "ratings.dat")
    {
        string path = _dir.Write(name, text);
        var error = Assert.Throws<DataFormatException>(() => MovieLensReader.ReadRatings(path, format, scale));
        Assert.Equal(path, error.FilePath);
        return error;
    }

    [Theory]
    [InlineData("1::10::5::978300760\n1::11::4\n", 2)] // too few fields
    [InlineData("1::10::5::978300760\n1::11::4::978300761::x\n", 2)] // too many fields
    [InlineData("1::10::5::978300760\n1::11::4::978300761\n1,12,3,978300762\n", 3)] // wrong separator
    [InlineData("1::10::5::978300760\n\n1::12::3::978300762\n", 2)] // a blank line before the last record
    [InlineData("1::10::5::978300760\n2::10::4::978300761\n3::5::", 3)] // truncated last line, no newline
    [InlineData("1::10::5::978300760\n2::10::4::978300761\n3::5", 3)] // truncated harder
    public void WrongFieldCountIsAR1002(string text, int line)
    {
        DataFormatException error = RatingsError(text, RatingScale.WholeStars);
        Assert.Equal(DataErrorCodes.FieldCount, error.Code);
        Assert.Equal(line, error.Line);
        Assert.StartsWith($"{error.FilePath}({line}): ", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1::10::5::978300760\nx::11::4::978300761\n", 2)] // non-numeric user
    [InlineData("1::10::5::978300760\n2::11::4::978300761\n2::abc::4::978300761\n", 3)] // non-numeric movie
    [InlineData("0::10::5::978300760\n", 1)] // zero user
    [InlineData("1::10::5::978300760\n1::0::4::978300761\n", 2)] // zero movie
    [InlineData("1::10::5::978300760\n-3::11::4::978300761\n", 2)] // negative user
    [InlineData("1::10::5::978300760\n1::-11::4::978300761\n", 2)] // negative movie
    [InlineData("1::10::5::978300760\n1::1.5::4::978300761\n", 2)] // fractional id
    [InlineData("1::10::5::978300760\n99999999999::11::4::978300761\n", 2)] // overflows int
    [InlineData("1::10::5::978300760\n::11::4::978300761\n", 2)] // empty id
    public void BadIdIsAR1003(string text, int line)
    {
        DataFormatException error = RatingsError(text, RatingScale.WholeStars);
        Assert.Equal(DataErrorCodes.BadId, error.Code);
        Assert.Equal(line, error.Line);
    }

    [Theory]
    [InlineData("6")]
    [InlineData("0")]
    [InlineData("4.5")]
    [InlineData("-1")]
    [InlineData("five")]
    [InlineData("NaN")]
    [InlineData("")]
    public void RatingOffTheWholeStarScaleIsAR1004(string rating)
    {
        DataFormatException error = RatingsError($"1::10::5::978300760\n1::11::3::978300761\n2::10::{rating}::978300762\n", RatingScale.WholeStars);
        Assert.Equal(DataErrorCodes.BadRating, error.Code);
        Assert.Equal(3, error.Line);
    }

    [Theory]
    [InlineData("4.3")]
    [InlineData("0")]
    [InlineData("5.5")]
    [InlineData("0.25")]
    public void RatingOffTheHalfStarScaleIsAR1004(string rating)
    {
        DataFormatException error = RatingsError($"1::10::4.5::978300760\n1::11::0.5::978300761\n2::10::{rating}::978300762\n", RatingScale.HalfStars);
        Assert.Equal(DataErrorCodes.BadRating, error.Code);
        Assert.Equal(3, error.Line);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("12ab")]
    [InlineData("")]
    public void BadTimestampIsAR1007(string timestamp)
    {
        DataFormatException error = RatingsError($"1::10::5::978300760\n1::11::3::{timestamp}\n", RatingScale.WholeStars);
        Assert.Equal(DataErrorCodes.BadField, error.Code);
        Assert.Equal(2, error.Line);
    }

    [Fact]
    public void DuplicatePairIsAR1005AtTheSecondOccurrence()
    {
        DataFormatException error = RatingsError(
            "1::10::5::978300760\n1::11::3::978300761\n2::10::4::978300762\n2::12::4::978300763\n1::11::2::978300764\n3::10::1::978300765\n",
            RatingScale.WholeStars);
        Assert.Equal(DataErrorCodes.DuplicatePair, error.Code);
        Assert.Equal(5, error.Line);
        Assert.Contains("line 2", error.Reason, StringComparison.Ordinal);
        Assert.Contains("user 1", error.Reason, StringComparison.Ordinal);
        Assert.Contains("movie 11", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void DuplicatePairInCsvCountsTheHeaderLine()
    {
        DataFormatException error = RatingsError(
            "userId,movieId,rating,timestamp\n1,10,4.5,978300760\n2,10,3.0,978300761\n1,10,1.0,978300762\n",
            RatingScale.HalfStars, MovieLensFormat.Csv, "ratings.csv");
        Assert.Equal(DataErrorCodes.DuplicatePair, error.Code);
        Assert.Equal(4, error.Line);
        Assert.Contains("line 2", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void DuplicatePairInMl100kIsAR1005()
    {
        DataFormatException error = RatingsError("196\t242\t3\t881250949\n186\t302\t3\t891717742\n196\t242\t5\t881250950\n", RatingScale.WholeStars, MovieLensFormat.Ml100k, "u.data");
        Assert.Equal(DataErrorCodes.DuplicatePair, error.Code);
        Assert.Equal(3, error.Line);
        Assert.Contains("line 1", error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n")]
    [InlineData("\r\n\r\n \t\n")]
    public void EmptyFileIsAR1006(string text)
    {
        DataFormatException error = RatingsError(text, RatingScale.WholeStars);
        Assert.Equal(DataErrorCodes.EmptyFile, error.Code);
        Assert.Equal(0, error.Line);
        Assert.Equal($"{error.FilePath}: {error.Reason}", error.Message);
    }

    [Fact]
    public void CsvWithOnlyAHeaderIsAR1006()
    {
        DataFormatException error = RatingsError("userId,movieId,rating,timestamp\n", RatingScale.HalfStars, MovieLensFormat.Csv, "ratings.csv");
        Assert.Equal(DataErrorCodes.EmptyFile, error.Code);
        Assert.Equal(0, error.Line);
    }

    [Fact]
    public void CsvWithoutHeaderIsAR1007()
    {
        DataFormatException error = RatingsError("1,10,4.5,978300760\n", RatingScale.HalfStars, MovieLensFormat.Csv, "ratings.csv");
        Assert.Equal(DataErrorCodes.BadField, error.Code);
        Assert.Equal(1, error.Line);
    }

    [Fact]
    public void MissingRatingsFileIsAR1001()
    {
        string path = _dir.PathOf("ratings.dat");
        var error = Assert.Throws<DataFormatException>(() => MovieLensReader.ReadRatings(path, MovieLensFormat.DoubleColon, RatingScale.WholeStars));
        Assert.Equal(DataErrorCodes.MissingFile, error.Code);
        Assert.Equal(path, error.FilePath);
        Assert.Equal(0, error.Line);
    }

    [Fact]
    public void MissingMoviesFileIsAR1001FromDetect()
    {
        _dir.Write("ratings.dat", "1::10::5::978300760\n");
        _dir.Write("users.dat", "1::F::1::10::48067\n");
        var error = Assert.Throws<DataFormatException>(() => MovieLensLayout.Detect("ml-1m", _dir.Root));
        Assert.Equal(DataErrorCodes.MissingFile, error.Code);
        Assert.Equal(_dir.PathOf("movies.dat"), error.FilePath);
        Assert.Equal(0, error.Line);
    }

    [Fact]
    public void MissingFolderIsAR1001()
    {
        string folder = _dir.PathOf("nowhere");
        var error = Assert.Throws<DataFormatException>(() => MovieLensLayout.Detect("ml-1m", folder));
        Assert.Equal(DataErrorCodes.MissingFile, error.Code);
        Assert.Equal(folder, error.FilePath);
    }

    [Fact]
    public void TruncatedMoviesLineIsAR1002()
    {
        MovieLensLayout layout = Ml1mLayout(movies: "1::Toy Story (1995)::Animation|Children's|Comedy\n2::Jumanji (1995)::Adventure|Children's|Fantasy\n3::Grumpier Old Men (1995)");
        var error = Assert.Throws<DataFormatException>(() => MovieLensReader.ReadMovies(layout));
        Assert.Equal(DataErrorCodes.FieldCount, error.Code);
        Assert.Equal(layout.MoviesFile, error.FilePath);
        Assert.Equal(3, error.Line);
    }

    [Fact]
    public void RepeatedMovieIdIsAR1003()
    {
        MovieLensLayout layout = Ml1mLayout(movies: "1::Toy Story (1995)::Animation\n2::Jumanji (1995)::Adventure\n1::Toy Story again (1995)::Comedy\n");
        var error = Assert.Throws<DataFormatException>(() => MovieLensReader.ReadMovies(layout));
        Assert.Equal(DataErrorCodes.BadId, error.Code);
        Assert.Equal(3, error.Line);
    }

    [Theory]
    [InlineData("1::F::1::10::48067\n2::X::56::16::70072\n", 2)] // gender
    [InlineData("1::F::1::10::48067\n2::M::old::16::70072\n", 2)] // age
    [InlineData("1::F::1::10::48067\n2::M::56::21::70072\n", 2)] // occupation code out of range
    public void BadUserFieldIsAR1007(string users, int line)
    {
        string path = _dir.Write("users.dat", users);
        var error = Assert.Throws<DataFormatException>(() => MovieLensReader.ReadUsers(path, MovieLensFormat.DoubleColon));
        Assert.Equal(DataErrorCodes.BadField, error.Code);
        Assert.Equal(path, error.FilePath);
        Assert.Equal(line, error.Line);
    }

    [Fact]
    public void ReadReportsTheFirstBadFileThroughTheLayout()
    {
        MovieLensLayout layout = Ml1mLayout(ratings: "1::10::5::978300760\n1::10::4::978300761\n");
        var error = Assert.Throws<DataFormatException>(() => MovieLensReader.Read(layout));
        Assert.Equal(DataErrorCodes.DuplicatePair, error.Code);
        Assert.Equal(layout.RatingsFile, error.FilePath);
        Assert.Equal(2, error.Line);
    }

    private MovieLensLayout Ml1mLayout(
        string ratings = "1::10::5::978300760\n",
        string movies = "10::GoldenEye (1995)::Action|Adventure|Thriller\n",
        string users = "1::F::1::10::48067\n")
    {
        _dir.Write("ratings.dat", ratings);
        _dir.Write("movies.dat", movies);
        _dir.Write("users.dat", users);
        return MovieLensLayout.Detect("ml-1m", _dir.Root);
    }
}
