using AutoRec.Contracts;

namespace AutoRec.Training.Data;

/// <summary>
/// Side information laid out for training: one row of features per entity of the rating matrix, in row order.
/// The feature names and each entity's encoding are <see cref="SideFeatureEncoder"/>'s, so training and serving
/// agree on what each column means (e.g. <c>gender=F</c>, <c>genre=Comedy</c>).
/// </summary>
public sealed class SideFeatures
{
    private readonly Dictionary<int, float[]> _byId;

    private SideFeatures(IReadOnlyList<string> names, Dictionary<int, float[]> byId, float[]? rows = null)
    {
        Names = names;
        _byId = byId;
        Rows = rows ?? [];
    }

    /// <summary>The meaning of each feature column.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>Number of feature columns.</summary>
    public int Width => Names.Count;

    /// <summary>Row-major features in the order given to <see cref="Reindex"/> (zeros for unknown ids).</summary>
    public float[] Rows { get; }

    /// <summary>Features of users: gender, age group and occupation, one-hot.</summary>
    public static SideFeatures ForUsers(IEnumerable<User> users)
    {
        User[] all = users.ToArray();
        string[] names = SideFeatureEncoder.NamesForUsers(all);
        return new SideFeatures(names, SideFeatureEncoder.ForUsers(names, all));
    }

    /// <summary>Features of movies: their genres, multi-hot.</summary>
    public static SideFeatures ForMovies(IEnumerable<Movie> movies)
    {
        Movie[] all = movies.ToArray();
        string[] names = SideFeatureEncoder.NamesForMovies(all);
        return new SideFeatures(names, SideFeatureEncoder.ForMovies(names, all));
    }

    /// <summary>These features laid out for <paramref name="ids"/>, in that order.</summary>
    public SideFeatures Reindex(int[] ids)
    {
        var rows = new float[(long)ids.Length * Width];
        for (int i = 0; i < ids.Length; i++)
        {
            if (_byId.TryGetValue(ids[i], out float[]? features))
            {
                features.CopyTo(rows, (long)i * Width);
            }
        }

        return new SideFeatures(Names, _byId, rows);
    }
}
