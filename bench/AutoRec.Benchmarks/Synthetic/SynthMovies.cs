namespace AutoRec.Benchmarks.Synthetic;

/// <summary>
/// The movies of a synthetic dataset: sparse increasing ids (as MovieLens' run to 131,262 for 26,744 movies),
/// Zipf-like popularity with an exponential tail (weight e^(-rank/τ)/(rank + k), ranks shuffled over ids), and the
/// latent traits ratings are drawn from. With ml-20m's shape the most popular movie is rated by a quarter of the
/// users, a third of the movies get fewer than 10 ratings and some none at all (ml-20m: half the users, 38%, and 534
/// movies of movies.csv unrated).
/// </summary>
internal sealed class SynthMovies
{
    /// <summary>Latent factors per user and movie: enough structure for a model to learn.</summary>
    public const int Rank = 4;

    private SynthMovies(int[] ids, double[] weights, float[] bias, float[] factors)
    {
        Ids = ids;
        Weights = weights;
        Bias = bias;
        Factors = factors;
        Popularity = new AliasTable(weights);
    }

    /// <summary>Movie ids by index, increasing.</summary>
    public int[] Ids { get; }

    /// <summary>Popularity weights by index.</summary>
    public double[] Weights { get; }

    /// <summary>Draws a movie index by popularity.</summary>
    public AliasTable Popularity { get; }

    /// <summary>Each movie's offset from the mean rating.</summary>
    public float[] Bias { get; }

    /// <summary>Latent factors, <see cref="Rank"/> per movie.</summary>
    public float[] Factors { get; }

    public int Count => Ids.Length;

    public static SynthMovies Create(SynthOptions options)
    {
        int n = options.Movies;
        var random = SynthRandom.For(options.Seed, SynthStreams.Movies);
        var ids = new int[n];
        int id = 0;
        for (int i = 0; i < n; i++)
        {
            id += 1 + random.NextInt(8);
            ids[i] = id;
        }

        int[] rankOf = SynthStreams.Permutation(n, ref random);
        double offset = Math.Max(1.0, n / 270.0); // 100 and 4,000 for 27,000 movies
        double tail = Math.Max(1.0, n / 6.75);
        var weights = new double[n];
        var bias = new float[n];
        var factors = new float[n * Rank];
        for (int i = 0; i < n; i++)
        {
            weights[i] = Math.Exp(-rankOf[i] / tail) / (rankOf[i] + offset);
            bias[i] = (float)(0.45 * random.NextGaussian());
            for (int k = 0; k < Rank; k++)
            {
                factors[(i * Rank) + k] = (float)(0.45 * random.NextGaussian());
            }
        }

        return new SynthMovies(ids, weights, bias, factors);
    }
}

/// <summary>The generator's independent random streams, and a seeded shuffle.</summary>
internal static class SynthStreams
{
    /// <summary>Users use their id as stream (below 2^31); the tables use streams above.</summary>
    public const ulong Movies = 1UL << 40;

    public const ulong UserRanks = (1UL << 40) + 1;

    public const ulong Titles = 1UL << 41;

    /// <summary>A uniformly shuffled 0..n-1 (Fisher-Yates).</summary>
    public static int[] Permutation(int n, ref SynthRandom random)
    {
        var order = new int[n];
        for (int i = 0; i < n; i++)
        {
            order[i] = i;
        }

        for (int i = n - 1; i > 0; i--)
        {
            int j = random.NextInt(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }

        return order;
    }
}
