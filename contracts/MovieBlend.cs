using System.Numerics;

namespace AutoRec.Contracts;

/// <summary>
/// A blend with support (<see cref="BlendSupport"/>) laid out for scoring every movie for one user: the formula
/// Σ_k w_k p_k + w_0 + Σ_t z_u^a_t z_m^b_t (c_t + Σ_k v_tk p_k), regrouped per request into a per-movie intercept
/// and per-movie member weights, w_0 + Σ_t (z_u^a_t c_t) z_m^b_t and w_k + Σ_t (z_u^a_t v_tk) z_m^b_t, with every
/// z_m^b_t computed once (<see cref="BlendSupport.ForMovies"/>). The same sum as <see cref="BlendSupport.Predict"/>
/// in another order and in single precision: equal to about 1e-6 relative, not to the bit. Immutable; thread-safe.
/// </summary>
public sealed class MovieBlend
{
    private readonly BlendSupport _support;
    private readonly double[] _weights;
    private readonly float[] _moviePowers; // terms x movies: z_m^b_t

    internal MovieBlend(BlendSupport support, double[] weights, float[] moviePowers, int movies)
    {
        _support = support;
        _weights = weights;
        _moviePowers = moviePowers;
        Movies = movies;
    }

    /// <summary>The movies it scores.</summary>
    public int Movies { get; }

    /// <summary>
    /// <paramref name="destination"/>[i] = the unclipped blend of <paramref name="members"/>[k][i] (member k's prediction
    /// of movie i) for a user whose z_u is <paramref name="userFeature"/> (NaN: the base weights only).
    /// </summary>
    public void Predict(IReadOnlyList<float[]> members, double userFeature, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(members);
        int k = members.Count;
        if (destination.Length != Movies || members.Any(m => m.Length < Movies) || _weights.Length != k + 1)
        {
            throw new ArgumentException($"{Movies} movies with {_weights.Length - 1} members to blend: got {destination.Length} destinations and members of {string.Join(", ", members.Select(m => m.Length))} predictions");
        }

        IReadOnlyList<BlendTerm> terms = _support.Terms;
        int t = double.IsNaN(userFeature) ? 0 : terms.Count;
        Span<double> userPowers = t <= 32 ? stackalloc double[t] : new double[t];
        _support.UserPowers(userFeature, userPowers);

        // Per term: its intercept and member weights scaled by the user's power, as floats for the vector pass.
        var coefficients = new float[t * (k + 1)];
        for (int j = 0; j < t; j++)
        {
            coefficients[j * (k + 1)] = (float)(userPowers[j] * terms[j].Intercept);
            for (int member = 0; member < k; member++)
            {
                coefficients[(j * (k + 1)) + member + 1] = (float)(userPowers[j] * terms[j].Weights[member]);
            }
        }

        var weights = new float[k + 1];
        for (int member = 0; member <= k; member++)
        {
            weights[member] = (float)_weights[member];
        }

        // s = w_0 + Σ_k w_k p_k + Σ_t z_m^b_t (c'_t + Σ_k v'_tk p_k), eight or sixteen movies at a time.
        int width = Vector<float>.Count;
        int i = 0;
        for (; i <= Movies - width; i += width)
        {
            Vector<float> sum = new(weights[0]);
            for (int member = 0; member < k; member++)
            {
                sum += new Vector<float>(weights[member + 1]) * new Vector<float>(members[member].AsSpan(i, width));
            }

            for (int j = 0; j < t; j++)
            {
                Vector<float> inner = new(coefficients[j * (k + 1)]);
                for (int member = 0; member < k; member++)
                {
                    inner += new Vector<float>(coefficients[(j * (k + 1)) + member + 1]) * new Vector<float>(members[member].AsSpan(i, width));
                }

                sum += new Vector<float>(_moviePowers.AsSpan((j * Movies) + i, width)) * inner;
            }

            sum.CopyTo(destination.Slice(i, width));
        }

        for (; i < Movies; i++)
        {
            float sum = weights[0];
            for (int member = 0; member < k; member++)
            {
                sum += weights[member + 1] * members[member][i];
            }

            for (int j = 0; j < t; j++)
            {
                float inner = coefficients[j * (k + 1)];
                for (int member = 0; member < k; member++)
                {
                    inner += coefficients[(j * (k + 1)) + member + 1] * members[member][i];
                }

                sum += _moviePowers[(j * Movies) + i] * inner;
            }

            destination[i] = sum;
        }
    }
}
