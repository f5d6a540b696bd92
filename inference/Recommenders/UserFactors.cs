using System.Buffers;
using AutoRec.Contracts;
using AutoRec.Inference.Factors;
using AutoRec.Inference.Network;
using AutoRec.Inference.Numerics;
using AutoRec.Inference.Rows;

namespace AutoRec.Inference.Recommenders;

/// <summary>
/// A user-based model served as factors instead of through ONNX Runtime: a user's code h_u (the last hidden layer's
/// output for their ratings) is computed once for every known user and on the fly for a new one (<see cref="SparseEncoder"/>:
/// the first layer at the rated movies only), and a movie's prediction is outputActivation(v_m·h_u + b_m) clipped,
/// v_m the output layer's row of the movie: what the graph computes, at O(ratings x hidden + movies x hidden) per user
/// instead of O(movies x hidden) twice, and over the compact basis (<see cref="CompactBasis"/>) when the export left
/// one. Only for models that read ratings as given and take no side features. Immutable; thread-safe.
/// </summary>
internal sealed class UserFactors
{
    private readonly SparseEncoder _encoder;
    private readonly CompactBasis? _basis;
    private readonly float[] _userCodes; // known users x width, in the order of the ids given to Create
    private readonly float[] _movieRows; // movies x width: the output layer's rows
    private readonly float[] _movieBias;
    private readonly int _width;
    private readonly Activation _activation;
    private readonly ColumnIndex _columns;
    private readonly InputChecks _checks;

    private UserFactors(
        SparseEncoder encoder, CompactBasis? basis, float[] userCodes, float[] movieRows, float[] movieBias, int width, Activation activation, ColumnIndex columns, InputChecks checks)
    {
        _encoder = encoder;
        _basis = basis;
        _userCodes = userCodes;
        _movieRows = movieRows;
        _movieBias = movieBias;
        _width = width;
        _activation = activation;
        _columns = columns;
        _checks = checks;
    }

    /// <summary>The width served: the rank when compact, the code width otherwise.</summary>
    public int Width => _width;

    /// <summary>Whether the compact basis is used.</summary>
    public bool IsCompact => _basis is not null;

    /// <summary>Bytes held: the encoder, the users' codes, the movies' rows and the basis.</summary>
    public long Bytes =>
        _encoder.Bytes + ((_userCodes.LongLength + _movieRows.LongLength + _movieBias.LongLength + (_basis is null ? 0 : _basis.Mean.LongLength + _basis.Basis.LongLength)) * sizeof(float));

    /// <summary>The factors of <paramref name="model"/> for the users of <paramref name="rows"/>, or null when the graph fills unknown ratings or takes side features.</summary>
    public static UserFactors? Create(RecommenderModel model, SparseRows rows, int[] userIds)
    {
        if (model.SideWidth > 0)
        {
            return null;
        }

        NetworkGraph network = NetworkGraph.Read(model.Bytes.Read(), model.Metadata, model.Source);
        if (!network.ReadsRatingsAsGiven)
        {
            return null;
        }

        var encoder = new SparseEncoder(network, model.InputWidth);
        float[] codes = MovieCodeEncoder.Sparse(encoder, rows, userIds, _ => []);
        DenseLayerWeights output = network.Output;
        float[] movieRows = output.Weight;
        float[] bias = [.. output.Bias];
        int width = network.CodeWidth;
        CompactBasis? basis = CompactBasisLookup.For(model, width);
        if (basis is not null)
        {
            codes = basis.ProjectCodes(codes);
            movieRows = basis.ProjectRows(movieRows, bias);
            width = basis.Rank;
        }

        return new UserFactors(encoder, basis, codes, movieRows, bias, width, output.Activation, model.Columns, model.Checks);
    }

    /// <summary>Every movie's prediction for known user number <paramref name="user"/> (in the order of Create's ids).</summary>
    public void ScoreKnown(int user, Span<float> scores) => Score(_userCodes.AsSpan(user * _width, _width), scores);

    /// <summary>The prediction of movie column <paramref name="movie"/> for known user number <paramref name="user"/>.</summary>
    public float PredictKnown(int user, int movie)
    {
        float linear = Simd.Dot(_movieRows.AsSpan(movie * _width, _width), _userCodes.AsSpan(user * _width, _width)) + _movieBias[movie];
        return Math.Clamp(_activation.Apply(linear), _checks.Min, _checks.Max);
    }

    /// <summary>Every movie's prediction for a user given by <paramref name="ratings"/> (checked as the graph's input is).</summary>
    /// <exception cref="ArgumentException">A movie id is not an input of the model, or a rating is not finite or off the scale.</exception>
    public void ScoreNew(IReadOnlyDictionary<int, float> ratings, Span<float> scores, string parameter)
    {
        var entries = new List<(int Column, float Value)>(ratings.Count);
        foreach ((int movieId, float value) in ratings)
        {
            int column = _columns.InputOf(movieId, parameter);
            if (_checks.IsKnown(movieId, value, parameter))
            {
                entries.Add((column, value));
            }
        }

        int widest = _encoder.Widest;
        float[] first = ArrayPool<float>.Shared.Rent(widest);
        float[] second = ArrayPool<float>.Shared.Rent(widest);
        float[] code = ArrayPool<float>.Shared.Rent(_encoder.CodeWidth);
        float[] compact = ArrayPool<float>.Shared.Rent(_width);
        try
        {
            Span<float> h = code.AsSpan(0, _encoder.CodeWidth);
            _encoder.Encode(entries, default, h, first, second);
            if (_basis is null)
            {
                Score(h, scores);
                return;
            }

            Span<float> z = compact.AsSpan(0, _width);
            _basis.ProjectCode(h, z);
            Score(z, scores);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(first);
            ArrayPool<float>.Shared.Return(second);
            ArrayPool<float>.Shared.Return(code);
            ArrayPool<float>.Shared.Return(compact);
        }
    }

    /// <summary>Whether the output layer is linear (what the export's compaction assumes).</summary>
    public bool IsLinear => _activation == Activation.Identity;

    /// <summary>As plain arrays, for the export's compaction; <paramref name="userIds"/> and <paramref name="movieIds"/> in the codes' and rows' order.</summary>
    public ModelFactors Export(int[] userIds, int[] movieIds) =>
        new(ModelKind.UserBased, userIds, [.. _userCodes], movieIds, [.. _movieRows], [.. _movieBias], _width, _checks.Min, _checks.Max);

    /// <summary>The code of known user number <paramref name="user"/>, as served.</summary>
    public ReadOnlySpan<float> CodeOf(int user) => _userCodes.AsSpan(user * _width, _width);

    /// <summary>The output rows, one per movie, as served.</summary>
    public ReadOnlySpan<float> MovieRows => _movieRows;

    /// <summary>The output biases, one per movie, as served.</summary>
    public ReadOnlySpan<float> MovieBias => _movieBias;

    private void Score(ReadOnlySpan<float> code, Span<float> scores)
    {
        Simd.MatrixVector(_movieRows, code, 0f, scores);
        for (int m = 0; m < scores.Length; m++)
        {
            scores[m] += _movieBias[m];
        }

        if (_activation != Activation.Identity)
        {
            ActivationMath.Apply(_activation, scores);
        }

        Simd.Clamp(scores, _checks.Min, _checks.Max);
    }
}
