using System.Globalization;

namespace AutoRec.Contracts;

/// <summary>
/// Side information as network inputs: users one-hot by <c>gender=</c>, <c>age=</c> and <c>occupation=</c>; movies
/// multi-hot by <c>genre=</c>. Training chooses the feature names from the data; a model stores them, and serving
/// encodes entities against the stored names.
/// </summary>
public static class SideFeatureEncoder
{
    /// <summary>The features a user has.</summary>
    public static string[] FeaturesOf(User user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return [$"gender={user.Gender}", $"age={user.Age}", $"occupation={user.Occupation}"];
    }

    /// <summary>The features a movie has: its genres.</summary>
    public static string[] FeaturesOf(Movie movie)
    {
        ArgumentNullException.ThrowIfNull(movie);
        return movie.Genres.Split('|', StringSplitOptions.RemoveEmptyEntries).Select(genre => $"genre={genre}").ToArray();
    }

    /// <summary>The feature names for <paramref name="users"/>: genders, ages ascending, occupations.</summary>
    public static string[] NamesForUsers(IEnumerable<User> users)
    {
        ArgumentNullException.ThrowIfNull(users);
        User[] all = users.ToArray();
        return all.Select(u => $"gender={u.Gender}").Distinct().Order(StringComparer.Ordinal)
            .Concat(all.Select(u => u.Age).Distinct().Order().Select(age => $"age={age.ToString(CultureInfo.InvariantCulture)}"))
            .Concat(all.Select(u => $"occupation={u.Occupation}").Distinct().Order(StringComparer.Ordinal))
            .ToArray();
    }

    /// <summary>The feature names for <paramref name="movies"/>: every genre, in ordinal order.</summary>
    public static string[] NamesForMovies(IEnumerable<Movie> movies)
    {
        ArgumentNullException.ThrowIfNull(movies);
        return movies.SelectMany(FeaturesOf).Distinct().Order(StringComparer.Ordinal).ToArray();
    }

    /// <summary>Each user's vector over <paramref name="names"/>.</summary>
    public static Dictionary<int, float[]> ForUsers(IReadOnlyList<string> names, IEnumerable<User> users)
    {
        ArgumentNullException.ThrowIfNull(users);
        return users.ToDictionary(u => u.UserId, u => Encode(names, FeaturesOf(u)));
    }

    /// <summary>Each movie's vector over <paramref name="names"/>.</summary>
    public static Dictionary<int, float[]> ForMovies(IReadOnlyList<string> names, IEnumerable<Movie> movies)
    {
        ArgumentNullException.ThrowIfNull(movies);
        return movies.ToDictionary(m => m.MovieId, m => Encode(names, FeaturesOf(m)));
    }

    /// <summary>1 for each name in <paramref name="names"/> that <paramref name="features"/> holds, else 0; features without a name are ignored.</summary>
    public static float[] Encode(IReadOnlyList<string> names, IReadOnlyCollection<string> features)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(features);
        var vector = new float[names.Count];
        for (int i = 0; i < names.Count; i++)
        {
            vector[i] = features.Contains(names[i]) ? 1f : 0f;
        }

        return vector;
    }
}
