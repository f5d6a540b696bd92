using System.Text.Json;
using System.Text.Json.Serialization;

namespace AutoRec.Contracts;

/// <summary>
/// A blend whose weights depend on how much is known about the user and the movie (feature-weighted linear
/// stacking, Sill et al. 2009): with z_u = ln(1 + the user's ratings) − <see cref="UserCenter"/> and
/// z_m = ln(1 + the movie's training ratings) − <see cref="MovieCenter"/>, each logarithm first held to the range the
/// weights were fit on (<see cref="UserRange"/>, <see cref="MovieRange"/>), the prediction is
/// clip(Σ_t g_t · (a_t + Σ_k w_tk · prediction_k)) over the base term g = 1 (the manifest's intercept and member
/// weights) and each of <see cref="Terms"/>, g_t = z_u^UserPower · z_m^MoviePower. A user-based member is good at
/// heavy users and a poor guess for light ones; an item-based member the reverse for movies: one weight each
/// cannot say so. Fit by least squares like a plain blend (<see cref="Fit"/>), on the same validation ratings.
/// A user with fewer ratings than any user the weights were fit on (a new user who rated 3 movies) gets the base term
/// alone: the terms were fit on users the members had trained on, and at such a user they made a folded-in member's
/// nearly flat predictions of rarely rated movies 5.0 (the whole top 10 of obscure movies), where the base weights
/// rank as the members do.
/// </summary>
/// <param name="UserCenter">The mean of ln(1 + the user's ratings) over the ratings the weights were fit on.</param>
/// <param name="MovieCenter">The mean of ln(1 + the movie's training ratings) over those ratings.</param>
/// <param name="MovieIds">The movies with training ratings.</param>
/// <param name="MovieRatings">How many training ratings each of <see cref="MovieIds"/> had when the weights were fit (a movie not listed had none).</param>
/// <param name="Terms">The support terms, after the base term.</param>
/// <param name="UserRange">The least and greatest ln(1 + the user's ratings) among the ratings fit on.</param>
/// <param name="MovieRange">The least and greatest ln(1 + the movie's training ratings) among them.</param>
public sealed record BlendSupport(
    [property: JsonPropertyName("user_center")] double UserCenter,
    [property: JsonPropertyName("movie_center")] double MovieCenter,
    [property: JsonPropertyName("movie_ids")] IReadOnlyList<int> MovieIds,
    [property: JsonPropertyName("movie_ratings")] IReadOnlyList<int> MovieRatings,
    [property: JsonPropertyName("terms")] IReadOnlyList<BlendTerm> Terms,
    [property: JsonPropertyName("user_range")] IReadOnlyList<double> UserRange,
    [property: JsonPropertyName("movie_range")] IReadOnlyList<double> MovieRange)
{
    /// <summary>The most a config may ask for: powers 1 to this of z_u and of z_m.</summary>
    public const int MaxPower = 4;

    /// <summary>
    /// z_u for a user with <paramref name="ratings"/> ratings; NaN for fewer ratings than any user fit on, which
    /// <see cref="Predict"/> answers with the base term alone.
    /// </summary>
    public double UserFeature(int ratings)
    {
        double x = Math.Log(1.0 + ratings);
        return x < UserRange[0] ? double.NaN : Math.Min(x, UserRange[1]) - UserCenter;
    }

    /// <summary>z_m for a movie with <paramref name="ratings"/> training ratings.</summary>
    public double MovieFeature(int ratings) => Math.Clamp(Math.Log(1.0 + ratings), MovieRange[0], MovieRange[1]) - MovieCenter;

    /// <summary>
    /// The blend's unclipped prediction of one (user, movie) from the members' <paramref name="predictions"/> of it:
    /// the base <paramref name="weights"/> [intercept, w_1, ..., w_k], plus each term's at (z_u, z_m), unless z_u is
    /// NaN (a user lighter than the fit's: <see cref="UserFeature"/>).
    /// </summary>
    public double Predict(ReadOnlySpan<double> weights, ReadOnlySpan<float> predictions, double userFeature, double movieFeature)
    {
        int terms = double.IsNaN(userFeature) ? 0 : Terms.Count;
        Span<double> userPowers = terms <= 32 ? stackalloc double[terms] : new double[terms];
        UserPowers(userFeature, userPowers);
        return Sum(weights, predictions, userPowers, movieFeature);
    }

    /// <summary>
    /// Fits a support-weighted blend by least squares (<see cref="Blending.FitLeastSquares"/> on the columns
    /// prediction_k, g_t and g_t · prediction_k): the terms z_u^p and z_m^p for p = 1..<paramref name="powers"/>.
    /// </summary>
    /// <param name="predictions">Each member's predictions of the targets.</param>
    /// <param name="targets">The ratings fit on.</param>
    /// <param name="userRatings">Each target's user's number of training ratings.</param>
    /// <param name="movieRatings">Each movie's number of training ratings (a movie not listed has none).</param>
    /// <param name="targetMovies">Each target's movie.</param>
    /// <param name="powers">1 to <see cref="MaxPower"/>.</param>
    /// <returns>The base weights [intercept, w_1, ..., w_k] and the support.</returns>
    public static (double[] Weights, BlendSupport Support) Fit(
        IReadOnlyList<float[]> predictions, IReadOnlyList<float> targets, IReadOnlyList<int> userRatings, IReadOnlyDictionary<int, int> movieRatings,
        IReadOnlyList<int> targetMovies, int powers)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(userRatings);
        ArgumentNullException.ThrowIfNull(movieRatings);
        ArgumentNullException.ThrowIfNull(targetMovies);
        ArgumentOutOfRangeException.ThrowIfLessThan(powers, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(powers, MaxPower);
        int n = targets.Count;
        double[] lu = [.. userRatings.Select(c => Math.Log(1.0 + c))];
        double[] lm = [.. targetMovies.Select(m => Math.Log(1.0 + movieRatings.GetValueOrDefault(m)))];
        double userCenter = n == 0 ? 0 : lu.Average();
        double movieCenter = n == 0 ? 0 : lm.Average();
        (int User, int Movie)[] shapes = [.. Enumerable.Range(1, powers).Select(p => (p, 0)), .. Enumerable.Range(1, powers).Select(p => (0, p))];

        var columns = new List<float[]>(predictions);
        foreach ((int userPower, int moviePower) in shapes)
        {
            var g = new float[n];
            for (int i = 0; i < n; i++)
            {
                g[i] = (float)(Power(lu[i] - userCenter, userPower) * Power(lm[i] - movieCenter, moviePower));
            }

            columns.Add(g);
            foreach (float[] member in predictions)
            {
                var product = new float[n];
                for (int i = 0; i < n; i++)
                {
                    product[i] = g[i] * member[i];
                }

                columns.Add(product);
            }
        }

        double[] all = Blending.FitLeastSquares(columns, targets);
        int k = predictions.Count;
        var terms = new BlendTerm[shapes.Length];
        for (int t = 0; t < shapes.Length; t++)
        {
            int at = k + 1 + (t * (k + 1));
            terms[t] = new BlendTerm(shapes[t].User, shapes[t].Movie, all[at], all[(at + 1)..(at + 1 + k)]);
        }

        int[] movies = [.. movieRatings.Keys.Order()];
        double[] userRange = n == 0 ? [0, 0] : [lu.Min(), lu.Max()];
        double[] movieRange = n == 0 ? [0, 0] : [lm.Min(), lm.Max()];
        return (all[..(k + 1)], new BlendSupport(userCenter, movieCenter, movies, [.. movies.Select(m => movieRatings[m])], terms, userRange, movieRange));
    }

    /// <summary>
    /// <see cref="Predict"/> for one user and many movies at once, with everything that depends on the movies alone
    /// (each term's movie power of every movie) taken once here; see <see cref="MovieBlend"/>.
    /// </summary>
    /// <param name="weights">The base weights [intercept, w_1, ..., w_k].</param>
    /// <param name="movieFeatures">z_m of every movie, in the order the predictions will come.</param>
    public MovieBlend ForMovies(IReadOnlyList<double> weights, IReadOnlyList<double> movieFeatures)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(movieFeatures);
        int terms = Terms.Count;
        int movies = movieFeatures.Count;
        var powers = new float[movies * terms];
        for (int t = 0; t < terms; t++)
        {
            for (int m = 0; m < movies; m++)
            {
                powers[(t * movies) + m] = (float)Power(movieFeatures[m], Terms[t].MoviePower);
            }
        }

        return new MovieBlend(this, [.. weights], powers, movieFeatures.Count);
    }

    /// <summary>z_u to each term's user power; <paramref name="destination"/> is empty for a user the terms do not cover.</summary>
    internal void UserPowers(double userFeature, Span<double> destination)
    {
        for (int t = 0; t < destination.Length; t++)
        {
            destination[t] = Power(userFeature, Terms[t].UserPower);
        }
    }

    /// <summary>The base term, plus each of the first <paramref name="userPowers"/>.Length terms at (z_u, z_m): the blend's one formula.</summary>
    private double Sum(ReadOnlySpan<double> weights, ReadOnlySpan<float> predictions, ReadOnlySpan<double> userPowers, double movieFeature)
    {
        double sum = Blending.Combine(weights, predictions);
        for (int t = 0; t < userPowers.Length; t++)
        {
            BlendTerm term = Terms[t];
            double part = term.Intercept;
            for (int k = 0; k < predictions.Length; k++)
            {
                part += term.Weights[k] * predictions[k];
            }

            sum += userPowers[t] * Power(movieFeature, term.MoviePower) * part;
        }

        return sum;
    }

    /// <summary>x to a small whole power, by multiplication: the same bits in C#, JavaScript and an ONNX graph.</summary>
    private static double Power(double x, int power)
    {
        double result = 1;
        for (int i = 0; i < power; i++)
        {
            result *= x;
        }

        return result;
    }

    /// <summary>Each movie's number of training ratings, by id.</summary>
    public Dictionary<int, int> MovieRatingsById()
    {
        var byId = new Dictionary<int, int>(MovieIds.Count);
        for (int i = 0; i < MovieIds.Count; i++)
        {
            byId[MovieIds[i]] = MovieRatings[i];
        }

        return byId;
    }

    /// <summary>Checks the support against a blend of <paramref name="members"/> members.</summary>
    /// <exception cref="JsonException">A count, center, power or weight that cannot be right.</exception>
    internal void Check(int members)
    {
        if (!double.IsFinite(UserCenter) || !double.IsFinite(MovieCenter))
        {
            throw new JsonException("support: user_center and movie_center must be finite numbers");
        }

        if (UserRange is not [double userLow, double userHigh] || !(double.IsFinite(userLow) && double.IsFinite(userHigh) && userLow <= userHigh)
            || MovieRange is not [double movieLow, double movieHigh] || !(double.IsFinite(movieLow) && double.IsFinite(movieHigh) && movieLow <= movieHigh))
        {
            throw new JsonException("support: user_range and movie_range must each be [least, greatest], finite");
        }

        if (MovieIds is null || MovieRatings is null || MovieIds.Count != MovieRatings.Count)
        {
            throw new JsonException("support: movie_ids and movie_ratings must be lists of the same length");
        }

        if (MovieRatings.Any(c => c < 0) || MovieIds.Distinct().Count() != MovieIds.Count)
        {
            throw new JsonException("support: movie_ratings must not be negative, and no movie may be listed twice");
        }

        if (Terms is null || Terms.Count == 0)
        {
            throw new JsonException("support: terms must list at least one term");
        }

        foreach (BlendTerm term in Terms)
        {
            if (term is null || term.UserPower is < 0 or > MaxPower || term.MoviePower is < 0 or > MaxPower || term.UserPower + term.MoviePower == 0)
            {
                throw new JsonException($"support: a term's user_power and movie_power must be 0 to {MaxPower}, not both 0");
            }

            if (term.Weights is null || term.Weights.Count != members || !double.IsFinite(term.Intercept) || term.Weights.Any(w => !double.IsFinite(w)))
            {
                throw new JsonException($"support: each term needs a finite intercept and {members} finite weights, one per member");
            }
        }
    }
}

/// <summary>One term of a <see cref="BlendSupport"/>: g = z_u^UserPower · z_m^MoviePower, its intercept and one weight per member.</summary>
/// <param name="UserPower">The power of z_u.</param>
/// <param name="MoviePower">The power of z_m.</param>
/// <param name="Intercept">g's own coefficient.</param>
/// <param name="Weights">The coefficient of g · prediction_k, per member in the manifest's order.</param>
public sealed record BlendTerm(
    [property: JsonPropertyName("user_power")] int UserPower,
    [property: JsonPropertyName("movie_power")] int MoviePower,
    [property: JsonPropertyName("intercept")] double Intercept,
    [property: JsonPropertyName("weights")] IReadOnlyList<double> Weights);
