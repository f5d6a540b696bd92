namespace AutoRec.Contracts.Tests;

public sealed class SideFeatureEncoderTests
{
    private static readonly User[] Users =
    [
        new(1, "M", 25, "7", "10001"),
        new(2, "F", 1, "12", "10002"),
        new(3, "M", 56, "7", "10003"),
    ];

    [Fact]
    public void UserFeaturesAreGendersThenAgesAscendingThenOccupations()
    {
        Assert.Equal(
            ["gender=F", "gender=M", "age=1", "age=25", "age=56", "occupation=12", "occupation=7"],
            SideFeatureEncoder.NamesForUsers(Users));
    }

    [Fact]
    public void UsersAreOneHotOverTheNames()
    {
        string[] names = SideFeatureEncoder.NamesForUsers(Users);
        Dictionary<int, float[]> vectors = SideFeatureEncoder.ForUsers(names, Users);
        Assert.Equal([0f, 1f, 0f, 1f, 0f, 0f, 1f], vectors[1]);
        Assert.All(vectors.Values, v => Assert.Equal(3f, v.Sum()));
    }

    [Fact]
    public void MoviesAreMultiHotByGenreAndUnknownGenresAreIgnored()
    {
        Movie[] movies = [new(10, "A", "Drama|War"), new(20, "B", "Comedy"), new(30, "C", "")];
        string[] names = SideFeatureEncoder.NamesForMovies(movies);
        Assert.Equal(["genre=Comedy", "genre=Drama", "genre=War"], names);
        Dictionary<int, float[]> vectors = SideFeatureEncoder.ForMovies(["genre=Drama", "genre=Horror"], movies);
        Assert.Equal([1f, 0f], vectors[10]);
        Assert.Equal([0f, 0f], vectors[30]);
    }
}
