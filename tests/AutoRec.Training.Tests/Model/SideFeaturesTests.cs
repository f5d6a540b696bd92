using AutoRec.Training.Data;

namespace AutoRec.Training.Tests;

public sealed class SideFeaturesTests
{
    [Fact]
    public void User_features_are_genders_then_ages_ascending_then_occupations()
    {
        User[] users = [new(1, "M", 25, "writer", "1"), new(2, "F", 1, "artist", "2"), new(3, "M", 18, "writer", "3")];
        SideFeatures features = SideFeatures.ForUsers(users);
        Assert.Equal(
            ["gender=F", "gender=M", "age=1", "age=18", "age=25", "occupation=artist", "occupation=writer"], features.Names);
        Assert.Equal(SideFeatureEncoder.NamesForUsers(users), features.Names);

        // Rows in the order asked for; an id without features gets zeros.
        SideFeatures rows = features.Reindex([3, 99, 2]);
        Assert.Equal(
            [0f, 1f, 0f, 1f, 0f, 0f, 1f, /* 99 */ 0f, 0f, 0f, 0f, 0f, 0f, 0f, /* 2 */ 1f, 0f, 1f, 0f, 0f, 1f, 0f], rows.Rows);
    }

    [Fact]
    public void Movie_features_are_their_genres_multi_hot()
    {
        Movie[] movies = [new(10, "a", "War|Drama"), new(20, "b", "Comedy"), new(30, "c", "(no genres listed)")];
        SideFeatures features = SideFeatures.ForMovies(movies);
        Assert.Equal(["genre=(no genres listed)", "genre=Comedy", "genre=Drama", "genre=War"], features.Names);
        Assert.Equal([0f, 0f, 1f, 1f, 0f, 1f, 0f, 0f], features.Reindex([10, 20]).Rows);
    }
}
