using System.Globalization;
using System.Text.Json;
using Onnx;

namespace AutoRec.Onnx;

/// <summary>
/// Writes an item-based model's fold-in as a second, self-contained ONNX graph (standard operators, opset 17), so
/// that any runtime recommends for a new user from the files alone: the rated movies' indices and ratings in,
/// every movie's predicted rating out. It solves the inference library's fold-in (min Σ a_i (w·c_i + b − r_i)² +
/// λ‖w‖² over the rated movies i, c_i their codes) in its dual form, (K + λ·diag(1/a)) x = r and = 1 with
/// K_ij = c_i·c_j, b = Σx / Σy, w = Σ (x_i − b·y_i) c_i, by a fixed number of Jacobi-preconditioned
/// conjugate-gradient steps in float64 (both right-hand sides at once). CG is exact after n steps for n ratings
/// (rounding aside), so users with at most <see cref="FoldInGraphSpec.Steps"/> ratings get the library's answer;
/// beyond, the error left after the steps is what export measures and reports.
/// </summary>
public static class FoldInGraphBuilder
{
    /// <summary>Input: the rated movies, as int64 row indices into <see cref="MovieIdsKey"/>'s list [n], n ≥ 1.</summary>
    public const string MoviesInput = "movie_indices";

    /// <summary>Input: their ratings, float32 [n], on the model's scale.</summary>
    public const string RatingsInput = "ratings";

    /// <summary>Output: every movie's predicted rating, float32 [movies], clipped to the scale, in <see cref="MovieIdsKey"/>'s order.</summary>
    public const string PredictionsOutput = "predictions";

    /// <summary>Metadata: the movie id of each row, as a JSON array.</summary>
    public const string MovieIdsKey = "autorec.foldin.movie_ids";

    /// <summary>Metadata: the number of CG steps the graph runs.</summary>
    public const string StepsKey = "autorec.foldin.steps";

    /// <summary>Metadata: the format, <see cref="Format"/>.</summary>
    public const string FormatKey = "autorec.foldin.format";

    /// <summary>The graph format this builder writes.</summary>
    public const string Format = "autorec-foldin/1";

    /// <summary>Builds the fold-in graph of <paramref name="spec"/>.</summary>
    /// <exception cref="ArgumentException">The codes, weights, λ or steps do not fit.</exception>
    public static ModelProto Build(FoldInGraphSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        int movies = spec.MovieIds.Length;
        if (spec.Codes.Length != (long)movies * spec.Width || spec.Steps < 1 || !(spec.Lambda > 0) || (spec.Weights is { } w && w.Length != movies))
        {
            throw new ArgumentException($"a fold-in needs {movies} x {spec.Width} codes, a weight per movie or none, λ > 0 and at least one step", nameof(spec));
        }

        var graph = new GraphProto { Name = "autorec-foldin" };
        graph.Input.Add(Vector(MoviesInput, TensorProto.Types.DataType.Int64, "rated"));
        graph.Input.Add(Vector(RatingsInput, TensorProto.Types.DataType.Float, "rated"));
        var nodes = new NodeWriter(graph);

        string codes = nodes.Constant("codes", spec.Codes, [movies, spec.Width]);
        double[] ridge = [.. Enumerable.Range(0, movies).Select(m => spec.Lambda / (spec.Weights?[m] ?? 1f))];
        string ridgeByMovie = nodes.DoubleConstant("ridge_by_movie", ridge, [movies]);
        string zero = nodes.DoubleConstant("zero", [0], []);
        string one = nodes.DoubleConstant("one", [1], []);
        string tiny = nodes.DoubleConstant("tiny", [1e-300], []);
        string axis0 = nodes.Int64Constant("axis0", [0]);
        string axis1 = nodes.Int64Constant("axis1", [1]);
        long toDouble = (long)TensorProto.Types.DataType.Double;

        // The system: K + λ·diag(1/a) over the rated movies, in float64.
        string rated = nodes.Add("Cast", [nodes.Add("Gather", [codes, MoviesInput], "rated_codes", NodeWriter.Int("axis", 0))], "rated_codes_f64", NodeWriter.Int("to", toDouble));
        string ratedT = nodes.Add("Transpose", [rated], "rated_codes_t", NodeWriter.Ints("perm", 1, 0));
        string gram = nodes.Add("MatMul", [rated, ratedT], "gram");
        string eye = nodes.Add("EyeLike", [gram], "eye");
        string ridgeRated = nodes.Add("Unsqueeze", [nodes.Add("Gather", [ridgeByMovie, MoviesInput], "ridge_rated", NodeWriter.Int("axis", 0)), axis0], "ridge_row");
        string system = nodes.Add("Add", [gram, nodes.Add("Mul", [eye, ridgeRated], "ridge_diagonal")], "system");

        // Two right-hand sides, [r, 1], solved together; Jacobi preconditioner 1 / diag(system).
        string r = nodes.Add("Unsqueeze", [nodes.Add("Cast", [RatingsInput], "ratings_f64", NodeWriter.Int("to", toDouble)), axis1], "r");
        string ones = nodes.Add("Add", [nodes.Add("Mul", [r, zero], "r_zero"), one], "ones");
        string rhs = nodes.Add("Concat", [r, ones], "rhs", NodeWriter.Int("axis", 1));
        string diagonal = nodes.Add("ReduceSum", [nodes.Add("Mul", [system, eye], "system_diagonal_only"), axis1], "system_diagonal", NodeWriter.Int("keepdims", 1));
        string inverse = nodes.Add("Div", [one, diagonal], "preconditioner");

        string x = nodes.Add("Mul", [rhs, zero], "x0");
        string residual = rhs;
        string z = nodes.Add("Mul", [residual, inverse], "z0");
        string direction = z;
        string rz = nodes.Add("ReduceSum", [nodes.Add("Mul", [residual, z], "rz0_terms"), axis0], "rz0", NodeWriter.Int("keepdims", 1));
        for (int step = 1; step <= spec.Steps; step++)
        {
            string s = step.ToString(CultureInfo.InvariantCulture);
            string kp = nodes.Add("MatMul", [system, direction], $"kp{s}");
            string pkp = nodes.Add("ReduceSum", [nodes.Add("Mul", [direction, kp], $"pkp{s}_terms"), axis0], $"pkp{s}", NodeWriter.Int("keepdims", 1));
            string alpha = nodes.Add("Div", [rz, nodes.Add("Max", [pkp, tiny], $"pkp{s}_safe")], $"alpha{s}");
            x = nodes.Add("Add", [x, nodes.Add("Mul", [alpha, direction], $"step{s}")], $"x{s}");
            residual = nodes.Add("Sub", [residual, nodes.Add("Mul", [alpha, kp], $"correction{s}")], $"r{s}");
            z = nodes.Add("Mul", [residual, inverse], $"z{s}");
            string rzNext = nodes.Add("ReduceSum", [nodes.Add("Mul", [residual, z], $"rz{s}_terms"), axis0], $"rz{s}", NodeWriter.Int("keepdims", 1));
            string beta = nodes.Add("Div", [rzNext, nodes.Add("Max", [rz, tiny], $"rz{s}_safe")], $"beta{s}");
            direction = nodes.Add("Add", [z, nodes.Add("Mul", [beta, direction], $"carry{s}")], $"p{s}");
            rz = rzNext;
        }

        // b = Σx / Σy, then the decoder row w = Σ (x_i − b·y_i) c_i and every movie's prediction w·c_m + b.
        string xr = nodes.Add("Gather", [x, nodes.Int64Constant("column_r", [0])], "x_r", NodeWriter.Int("axis", 1));
        string xy = nodes.Add("Gather", [x, nodes.Int64Constant("column_one", [1])], "x_one", NodeWriter.Int("axis", 1));
        string bias = nodes.Add("Div", [
            nodes.Add("ReduceSum", [xr, axis0], "sum_x_r", NodeWriter.Int("keepdims", 1)),
            nodes.Add("ReduceSum", [xy, axis0], "sum_x_one", NodeWriter.Int("keepdims", 1))], "bias");
        string dual = nodes.Add("Sub", [xr, nodes.Add("Mul", [bias, xy], "bias_share")], "dual");
        string row = nodes.Add("MatMul", [ratedT, dual], "user_row"); // [width, 1]
        long toFloat = (long)TensorProto.Types.DataType.Float;
        string scores = nodes.Add("MatMul", [codes, nodes.Add("Cast", [row], "user_row_f32", NodeWriter.Int("to", toFloat))], "scores_column");
        string linear = nodes.Add("Add", [
            nodes.Add("Squeeze", [scores, axis1], "scores"),
            nodes.Add("Cast", [bias], "bias_f32", NodeWriter.Int("to", toFloat))], "linear");
        // The bias is [1, 1]: flatten the sum back to [movies].
        string flat = nodes.Add("Reshape", [linear, nodes.Int64Constant("movies_shape", [-1])], "linear_flat");
        nodes.Add("Clip", [flat, nodes.Constant("rating_min", [spec.RatingMin], []), nodes.Constant("rating_max", [spec.RatingMax], [])], PredictionsOutput);
        graph.Output.Add(Vector(PredictionsOutput, TensorProto.Types.DataType.Float, null, movies));

        return NodeWriter.Model(
            graph,
            "Fold-in of a new user into an item-based AutoRec model: rated movies (row indices) and ratings in, every movie's predicted rating out.",
            new Dictionary<string, string>
            {
                [FormatKey] = Format,
                [MovieIdsKey] = JsonSerializer.Serialize(spec.MovieIds),
                [StepsKey] = spec.Steps.ToString(CultureInfo.InvariantCulture),
                ["autorec.foldin.lambda"] = spec.Lambda.ToString("R", CultureInfo.InvariantCulture),
                ["autorec.rating_min"] = spec.RatingMin.ToString("R", CultureInfo.InvariantCulture),
                ["autorec.rating_max"] = spec.RatingMax.ToString("R", CultureInfo.InvariantCulture),
                ["autorec.dataset"] = spec.Dataset,
            });
    }

    private static ValueInfoProto Vector(string name, TensorProto.Types.DataType type, string? dimParam, long dimValue = 0) => new()
    {
        Name = name,
        Type = new TypeProto
        {
            TensorType = new TypeProto.Types.Tensor
            {
                ElemType = (int)type,
                Shape = new TensorShapeProto
                {
                    Dim = { dimParam is null ? new TensorShapeProto.Types.Dimension { DimValue = dimValue } : new TensorShapeProto.Types.Dimension { DimParam = dimParam } },
                },
            },
        },
    };
}

/// <summary>What <see cref="FoldInGraphBuilder"/> writes: the movies, their codes, the ridge and the scale.</summary>
/// <param name="MovieIds">The movie of each code row.</param>
/// <param name="Codes">Movies x <paramref name="Width"/>, row-major.</param>
/// <param name="Width">The code width.</param>
/// <param name="Weights">Per-movie weights a_m, or null for all 1.</param>
/// <param name="Lambda">The ridge λ.</param>
/// <param name="RatingMin">The lowest prediction.</param>
/// <param name="RatingMax">The highest prediction.</param>
/// <param name="Steps">Conjugate-gradient steps.</param>
/// <param name="Dataset">The dataset, for the metadata.</param>
public sealed record FoldInGraphSpec(
    int[] MovieIds, float[] Codes, int Width, float[]? Weights, double Lambda, float RatingMin, float RatingMax, int Steps, string Dataset);
