using AutoRec.Contracts;

namespace AutoRec.Training.Experiments;

/// <summary>Partitions of users for per-group models: demographic bands, or clusters of rating vectors.</summary>
public static class UserGroups
{
    /// <summary>
    /// The partition <paramref name="spec"/> names: "age-gender" (one group per gender and age band, as the seed
    /// report's age_group/gender_group) or "kmeans-K" (K clusters of the users' training ratings, see
    /// <see cref="KMeans"/>). Maps user id to group name.
    /// </summary>
    /// <exception cref="ArgumentException">The spec is unknown.</exception>
    public static IReadOnlyDictionary<int, string> Of(string spec, IReadOnlyList<User> users, IReadOnlyList<Rating> train, long seed)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(users);
        if (spec == "age-gender")
        {
            return users.ToDictionary(u => u.UserId, u => $"{u.Gender}-{u.Age}");
        }

        if (spec.StartsWith("kmeans-", StringComparison.Ordinal) && int.TryParse(spec["kmeans-".Length..], out int k) && k >= 2)
        {
            int[] cluster = KMeans(train, k, seed, out int[] userIds);
            return userIds.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => $"cluster-{cluster[p.i] + 1}");
        }

        throw new ArgumentException($"groups '{spec}' must be age-gender or kmeans-K (K >= 2)", nameof(spec));
    }

    /// <summary>
    /// Spherical k-means of the users' training-rating vectors, each centred on its user's mean (so that taste, not
    /// generosity, groups users) and scaled to unit length; k-means++ seeding, at most 50 Lloyd iterations. Returns
    /// the cluster of each user in <paramref name="userIds"/> (ascending).
    /// </summary>
    public static int[] KMeans(IReadOnlyList<Rating> train, int k, long seed, out int[] userIds)
    {
        ArgumentNullException.ThrowIfNull(train);
        userIds = [.. train.Select(r => r.UserId).Distinct().Order()];
        int[] movieIds = [.. train.Select(r => r.MovieId).Distinct().Order()];
        var userIndex = userIds.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i);
        var movieIndex = movieIds.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i);

        // Sparse unit vectors: (movie index, value) per user.
        var rows = new List<(int Movie, float Value)>[userIds.Length];
        for (int u = 0; u < rows.Length; u++)
        {
            rows[u] = [];
        }

        foreach (Rating r in train)
        {
            rows[userIndex[r.UserId]].Add((movieIndex[r.MovieId], r.Value));
        }

        (int Movie, float Value)[][] vectors = [.. rows.Select(Normalised)];
        var random = new Random(unchecked((int)seed));
        int width = movieIds.Length;
        var centres = new float[k][];
        centres[0] = Dense(vectors[random.Next(vectors.Length)], width);
        var distance = new double[vectors.Length];
        for (int c = 1; c < k; c++)
        {
            double total = 0;
            for (int u = 0; u < vectors.Length; u++)
            {
                distance[u] = Enumerable.Range(0, c).Min(j => 2 - (2 * Dot(vectors[u], centres[j])));
                total += Math.Max(distance[u], 0);
            }

            double pick = random.NextDouble() * total;
            int chosen = 0;
            for (double sum = 0; chosen < vectors.Length - 1; chosen++)
            {
                sum += Math.Max(distance[chosen], 0);
                if (sum >= pick)
                {
                    break;
                }
            }

            centres[c] = Dense(vectors[chosen], width);
        }

        var assignment = new int[vectors.Length];
        for (int iteration = 0; iteration < 50; iteration++)
        {
            bool changed = false;
            for (int u = 0; u < vectors.Length; u++)
            {
                int best = 0;
                double bestDot = double.NegativeInfinity;
                for (int c = 0; c < k; c++)
                {
                    double dot = Dot(vectors[u], centres[c]);
                    if (dot > bestDot)
                    {
                        (best, bestDot) = (c, dot);
                    }
                }

                changed |= iteration == 0 || assignment[u] != best;
                assignment[u] = best;
            }

            if (!changed)
            {
                break;
            }

            for (int c = 0; c < k; c++)
            {
                Array.Clear(centres[c]);
            }

            for (int u = 0; u < vectors.Length; u++)
            {
                foreach ((int movie, float value) in vectors[u])
                {
                    centres[assignment[u]][movie] += value;
                }
            }

            foreach (float[] centre in centres)
            {
                double norm = Math.Sqrt(centre.Sum(v => (double)v * v));
                for (int j = 0; j < centre.Length && norm > 0; j++)
                {
                    centre[j] = (float)(centre[j] / norm);
                }
            }
        }

        return assignment;
    }

    private static (int Movie, float Value)[] Normalised(List<(int Movie, float Value)> row)
    {
        float mean = row.Count == 0 ? 0 : row.Average(e => e.Value);
        double norm = Math.Sqrt(row.Sum(e => (double)(e.Value - mean) * (e.Value - mean)));
        return [.. row.Select(e => (e.Movie, norm > 0 ? (float)((e.Value - mean) / norm) : 0f))];
    }

    private static float[] Dense((int Movie, float Value)[] vector, int width)
    {
        var dense = new float[width];
        foreach ((int movie, float value) in vector)
        {
            dense[movie] = value;
        }

        return dense;
    }

    private static double Dot((int Movie, float Value)[] vector, float[] centre)
    {
        double sum = 0;
        foreach ((int movie, float value) in vector)
        {
            sum += value * centre[movie];
        }

        return sum;
    }
}
