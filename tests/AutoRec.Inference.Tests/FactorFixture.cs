namespace AutoRec.Inference.Tests;

/// <summary>Small item-based models with random training ratings, and the reference computations of their factors in double precision.</summary>
internal static class FactorFixture
{
    /// <summary>Users (the item-based model's columns), deliberately unsorted.</summary>
    public static readonly int[] Users = [31, 12, 57, 8, 44, 20, 66, 3, 90, 15];

    /// <summary>Movies of the training ratings, unsorted.</summary>
    public static readonly int[] Movies = [5, 1, 13, 2, 21, 8, 3, 34, 40, 11, 7, 17];

    /// <summary>Every user rates about half of the movies; every movie gets at least one rating.</summary>
    public static Rating[] Ratings(int seed, float[] values)
    {
        var random = new Random(seed);
        var ratings = new List<Rating>();
        for (int m = 0; m < Movies.Length; m++)
        {
            for (int u = 0; u < Users.Length; u++)
            {
                if (random.Next(2) == 0 || u == m % Users.Length)
                {
                    ratings.Add(new Rating(Users[u], Movies[m], values[random.Next(values.Length)], 0));
                }
            }
        }

        return [.. ratings];
    }

    public static readonly float[] WholeStars = [1f, 2f, 3f, 4f, 5f];

    /// <summary>Each movie's side features (two per movie), when the model takes them.</summary>
    public static Dictionary<int, float[]> Side(int width) =>
        Movies.ToDictionary(m => m, m => Enumerable.Range(0, width).Select(k => (float)((m + k) % 2)).ToArray());

    /// <summary>The reference code (last hidden layer) of <paramref name="movieId"/> from its training ratings.</summary>
    public static double[] Code(TestModel written, IEnumerable<Rating> train, int movieId, float[]? side = null)
    {
        var column = new float[written.Spec.Ids.Length];
        foreach (Rating r in train.Where(r => r.MovieId == movieId))
        {
            column[Array.IndexOf(written.Spec.Ids, r.UserId)] = r.Value;
        }

        return ReferenceNetwork.Code(written.Weights, written.Export, column, side ?? []);
    }

    /// <summary>
    /// The ridge fit of a new user, solved independently of the library: the normal equations
    /// [Σ a c cᵀ + λI, Σ a c; Σ a cᵀ, Σ a] [w; b] = [Σ a r c; Σ a r] by Gaussian elimination with partial pivoting.
    /// </summary>
    public static (double[] W, double B) Ridge(IReadOnlyList<double[]> codes, IReadOnlyList<double> ratings, IReadOnlyList<double> weights, double lambda)
    {
        int h = codes[0].Length;
        int p = h + 1;
        var a = new double[p, p + 1];
        for (int i = 0; i < codes.Count; i++)
        {
            double[] x = [.. codes[i], 1.0];
            for (int r = 0; r < p; r++)
            {
                for (int c = 0; c < p; c++)
                {
                    a[r, c] += weights[i] * x[r] * x[c];
                }

                a[r, p] += weights[i] * x[r] * ratings[i];
            }
        }

        for (int r = 0; r < h; r++)
        {
            a[r, r] += lambda;
        }

        for (int col = 0; col < p; col++)
        {
            int pivot = Enumerable.Range(col, p - col).MaxBy(r => Math.Abs(a[r, col]));
            for (int c = 0; c <= p; c++)
            {
                (a[col, c], a[pivot, c]) = (a[pivot, c], a[col, c]);
            }

            for (int r = 0; r < p; r++)
            {
                if (r != col)
                {
                    double factor = a[r, col] / a[col, col];
                    for (int c = col; c <= p; c++)
                    {
                        a[r, c] -= factor * a[col, c];
                    }
                }
            }
        }

        double[] solution = Enumerable.Range(0, p).Select(r => a[r, p] / a[r, r]).ToArray();
        return (solution[..h], solution[h]);
    }

    public static double Dot(double[] x, double[] y) => x.Zip(y, (a, b) => a * b).Sum();

    /// <summary>The vectors minus their mean: similar movies compare centred vectors.</summary>
    public static Dictionary<int, double[]> Centred(IReadOnlyDictionary<int, double[]> vectors)
    {
        int width = vectors.Values.First().Length;
        double[] mean = [.. Enumerable.Range(0, width).Select(k => vectors.Values.Average(v => v[k]))];
        return vectors.ToDictionary(p => p.Key, p => p.Value.Select((x, k) => x - mean[k]).ToArray());
    }

    public static double Cosine(double[] x, double[] y)
    {
        double norms = Math.Sqrt(Dot(x, x) * Dot(y, y));
        return norms > 0 ? Dot(x, y) / norms : 0;
    }
}
