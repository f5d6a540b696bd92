using AutoRec.Data;

namespace AutoRec.Inference;

/// <summary>
/// Builds side-feature vectors as training does, from the model's feature names: users one-hot by
/// <c>gender=</c>, <c>age=</c> and <c>occupation=</c>; movies multi-hot by <c>genre=</c>.
/// </summary>
public static class SideFeatureEncoder
{
    /// <summary>Each user's vector for the features <paramref name="names"/>.</summary>
    public static Dictionary<int, float[]> ForUsers(IReadOnlyList<string> names, IEnumerable<User> users)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(users);
        return users.ToDictionary(u => u.UserId, u => Encode(names, new HashSet<string> { $"gender={u.Gender}", $"age={u.Age}", $"occupation={u.Occupation}" }));
    }

    /// <summary>Each movie's vector for the features <paramref name="names"/>.</summary>
    public static Dictionary<int, float[]> ForMovies(IReadOnlyList<string> names, IEnumerable<Movie> movies)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(movies);
        return movies.ToDictionary(
            m => m.MovieId,
            m => Encode(names, m.Genres.Split('|', StringSplitOptions.RemoveEmptyEntries).Select(g => $"genre={g}").ToHashSet()));
    }

    /// <summary>
    /// The side features <paramref name="model"/> needs, from the pipeline's data folder: users.parquet for a
    /// user-based model, movies.parquet for an item-based one.
    /// </summary>
    /// <exception cref="DataFormatException">The file is missing or malformed.</exception>
    public static Dictionary<int, float[]> Load(RecommenderModel model, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.Kind == ModelKind.UserBased
            ? ForUsers(model.SideFeatures, ParquetTables.ReadUsers(Path.Combine(dataDirectory, "users.parquet")))
            : ForMovies(model.SideFeatures, ParquetTables.ReadMovies(Path.Combine(dataDirectory, "movies.parquet")));
    }

    private static float[] Encode(IReadOnlyList<string> names, HashSet<string> active)
    {
        var features = new float[names.Count];
        for (int i = 0; i < names.Count; i++)
        {
            features[i] = active.Contains(names[i]) ? 1f : 0f;
        }

        return features;
    }
}
