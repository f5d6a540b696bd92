using AutoRec.Data;

namespace AutoRec.Training.Data;

/// <summary>
/// One-hot (multi-hot for genres) side information per entity: users' gender, age group and occupation, or
/// movies' genres. <see cref="Names"/> says what each column means (e.g. <c>gender=F</c>).
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
        string[] names = all.Select(u => $"gender={u.Gender}").Distinct().Order(StringComparer.Ordinal)
            .Concat(all.Select(u => $"age={u.Age}").Distinct().OrderBy(n => int.Parse(n[4..], System.Globalization.CultureInfo.InvariantCulture)))
            .Concat(all.Select(u => $"occupation={u.Occupation}").Distinct().Order(StringComparer.Ordinal))
            .ToArray();
        return Build(names, all.Select(u => (u.UserId, new[] { $"gender={u.Gender}", $"age={u.Age}", $"occupation={u.Occupation}" })));
    }

    /// <summary>Features of movies: their genres, multi-hot.</summary>
    public static SideFeatures ForMovies(IEnumerable<Movie> movies)
    {
        Movie[] all = movies.ToArray();
        string[][] genres = all.Select(m => m.Genres.Split('|', StringSplitOptions.RemoveEmptyEntries).Select(g => $"genre={g}").ToArray()).ToArray();
        string[] names = genres.SelectMany(g => g).Distinct().Order(StringComparer.Ordinal).ToArray();
        return Build(names, all.Select((m, i) => (m.MovieId, genres[i])));
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

    private static SideFeatures Build(string[] names, IEnumerable<(int Id, string[] Active)> entities)
    {
        var column = names.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => p.i);
        var byId = new Dictionary<int, float[]>();
        foreach ((int id, string[] active) in entities)
        {
            var features = new float[names.Length];
            foreach (string name in active)
            {
                features[column[name]] = 1f;
            }

            byId[id] = features;
        }

        return new SideFeatures(names, byId);
    }
}
