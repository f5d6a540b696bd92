using System.Buffers;
using System.Collections.ObjectModel;
using Microsoft.ML.OnnxRuntime;

namespace AutoRec.Inference;

/// <summary>Writes one network row (ratings or side features) into <paramref name="destination"/>, which arrives zeroed.</summary>
internal delegate void RowWriter(int row, Span<float> destination);

/// <summary>Receives the predictions of one network row.</summary>
internal delegate void RowReader(int row, ReadOnlySpan<float> predictions);

/// <summary>
/// An AutoRec autoencoder exported to ONNX, served with ONNX Runtime. One instance holds one inference session
/// and may be used from any number of threads at once (ONNX Runtime's Run is thread-safe; the buffers of each
/// call are rented per call). Dispose it only when no call is in flight.
/// </summary>
/// <remarks>
/// The network maps one row of the rating matrix to its reconstruction: for a user-based model a user's
/// ratings by movie id to predicted ratings of every movie; for an item-based model a movie's ratings by user id
/// to that movie's predicted rating by every user (see <see cref="ItemBasedPredictions"/> to serve users).
/// Unknown ratings are simply absent: the graph fills them with the default the model was trained with.
/// </remarks>
public sealed class RecommenderModel : IDisposable
{
    private static readonly string[] OutputNames = [ModelContract.PredictionsOutput];

    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly ModelContract _contract;
    private readonly string[] _inputNames;
    private readonly Dictionary<int, int> _inputIndex;
    private readonly Dictionary<int, int> _outputIndex;
    private bool _disposed;

    private RecommenderModel(InferenceSession session, ModelContract contract, RecommenderOptions options, string source)
    {
        _session = session;
        _contract = contract;
        Options = options;
        Source = source;
        _inputNames = contract.SideFeatures.Length > 0 ? [ModelContract.RatingsInput, ModelContract.SideInput] : [ModelContract.RatingsInput];
        _inputIndex = IndexOf(contract.InputIds);
        _outputIndex = IndexOf(contract.OutputIds);
        InputIds = Array.AsReadOnly(contract.InputIds);
        OutputIds = Array.AsReadOnly(contract.OutputIds);
        SideFeatures = Array.AsReadOnly(contract.SideFeatures);
    }

    /// <summary>Where the model came from: its path, or the name given with the stream.</summary>
    public string Source { get; }

    /// <summary>The options it runs with.</summary>
    public RecommenderOptions Options { get; }

    /// <summary>User-based or item-based.</summary>
    public ModelKind Kind => _contract.Kind;

    /// <summary>The id of each input column: movie ids for user-based models, user ids for item-based ones.</summary>
    public ReadOnlyCollection<int> InputIds { get; }

    /// <summary>The id of each output column, in the order of every prediction array this class returns.</summary>
    public ReadOnlyCollection<int> OutputIds { get; }

    /// <summary>The lowest rating; predictions are clipped to it.</summary>
    public float RatingMin => _contract.RatingMin;

    /// <summary>The highest rating; predictions are clipped to it.</summary>
    public float RatingMax => _contract.RatingMax;

    /// <summary>The dataset the model was trained on (e.g. <c>ml-1m</c>).</summary>
    public string Dataset => _contract.Dataset;

    /// <summary>The training configuration, as the JSON the model was trained with.</summary>
    public string ConfigJson => _contract.ConfigJson;

    /// <summary>
    /// The meaning of each side-feature column (e.g. <c>gender=F</c>, <c>genre=Comedy</c>); empty when the model
    /// takes none. Side features describe the row's entity: the user for user-based models, the movie for item-based ones.
    /// </summary>
    public ReadOnlyCollection<string> SideFeatures { get; }

    /// <summary>Number of input columns.</summary>
    public int InputWidth => _contract.InputIds.Length;

    /// <summary>Number of output columns.</summary>
    public int OutputWidth => _contract.OutputIds.Length;

    /// <summary>Number of side features each row needs (0 when none).</summary>
    public int SideWidth => _contract.SideFeatures.Length;

    /// <summary>What an input id names: "movie" for user-based models, "user" for item-based ones.</summary>
    internal string InputEntity => Kind == ModelKind.UserBased ? "movie" : "user";

    /// <summary>What an output id names.</summary>
    internal string OutputEntity => InputEntity;

    /// <summary>What a row stands for: "user" for user-based models, "movie" for item-based ones.</summary>
    internal string RowEntity => Kind == ModelKind.UserBased ? "user" : "movie";

    /// <summary>Opens the model at <paramref name="path"/>.</summary>
    /// <exception cref="ModelFormatException">The file is missing, cannot be loaded, or is not an AutoRec model.</exception>
    public static RecommenderModel Open(string path, RecommenderOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new ModelFormatException(ModelErrorCodes.MissingFile, path, "model file not found");
        }

        return Load(path, options, sessionOptions => new InferenceSession(path, sessionOptions));
    }

    /// <summary>Opens a model read from <paramref name="stream"/> (read to its end, not closed).</summary>
    /// <param name="stream">The ONNX bytes.</param>
    /// <param name="options">How to run it.</param>
    /// <param name="name">What errors and <see cref="Source"/> call the model.</param>
    /// <exception cref="ModelFormatException">The bytes cannot be loaded or are not an AutoRec model.</exception>
    public static RecommenderModel Open(Stream stream, RecommenderOptions? options = null, string name = "(stream)")
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        byte[] bytes = copy.ToArray();
        return Load(name, options, sessionOptions => new InferenceSession(bytes, sessionOptions));
    }

    /// <summary>Whether <paramref name="id"/> is an input column, and which.</summary>
    public bool TryGetInputIndex(int id, out int index) => _inputIndex.TryGetValue(id, out index);

    /// <summary>Whether <paramref name="id"/> is an output column, and which.</summary>
    public bool TryGetOutputIndex(int id, out int index) => _outputIndex.TryGetValue(id, out index);

    /// <summary>
    /// Predicts one row: for a user-based model, a user's predicted rating of every movie in <see cref="OutputIds"/>
    /// order from their known ratings by movie id (an empty dictionary for a user with none); for an item-based
    /// model, a movie's predicted rating by every user from its ratings by user id.
    /// </summary>
    /// <param name="ratings">Known ratings by input id; each on the model's scale.</param>
    /// <param name="side">The row's side features when <see cref="SideWidth"/> is not 0.</param>
    /// <exception cref="ArgumentException">An id is not in the model, a rating is not a number or off the scale, or the side features do not fit.</exception>
    public float[] Predict(IReadOnlyDictionary<int, float> ratings, ReadOnlySpan<float> side = default)
    {
        var predictions = new float[OutputWidth];
        PredictInto(ratings, predictions, side);
        return predictions;
    }

    /// <summary>
    /// As <see cref="Predict(IReadOnlyDictionary{int, float}, ReadOnlySpan{float})"/>, into <paramref name="destination"/>
    /// (<see cref="OutputWidth"/> long), so that a caller reusing its buffer allocates nothing.
    /// </summary>
    public void PredictInto(IReadOnlyDictionary<int, float> ratings, Span<float> destination, ReadOnlySpan<float> side = default)
    {
        ArgumentNullException.ThrowIfNull(ratings);
        ObjectDisposedException.ThrowIf(_disposed, this);
        RequireLength(destination.Length, OutputWidth, nameof(destination));
        CheckSide(side, nameof(side));
        float[] input = Rent(InputWidth);
        float[]? sideInput = SideWidth > 0 ? Rent(SideWidth) : null;
        float[] output = Rent(OutputWidth);
        try
        {
            WriteRow(ratings, input.AsSpan(0, InputWidth), nameof(ratings));
            side.CopyTo(sideInput);
            RunChunk(input, sideInput, output, rows: 1);
            output.AsSpan(0, OutputWidth).CopyTo(destination);
        }
        finally
        {
            Return(input);
            Return(sideInput);
            Return(output);
        }
    }

    /// <summary>Predicts many rows at once (see <see cref="Predict(IReadOnlyDictionary{int, float}, ReadOnlySpan{float})"/>), in batches of <see cref="RecommenderOptions.BatchSize"/>.</summary>
    /// <param name="rows">Known ratings of each row by input id.</param>
    /// <param name="side">Side features of each row, when the model takes them.</param>
    /// <returns>One prediction array per row, in <see cref="OutputIds"/> order.</returns>
    public float[][] PredictBatch(IReadOnlyList<IReadOnlyDictionary<int, float>> rows, IReadOnlyList<float[]>? side = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (SideWidth > 0 && side is null)
        {
            throw SideMissing(nameof(side));
        }

        if (side is not null)
        {
            RequireLength(side.Count, rows.Count, nameof(side));
            foreach (float[] features in side)
            {
                CheckSide(features, nameof(side));
            }
        }

        var predictions = new float[rows.Count][];
        RunRows(
            rows.Count,
            (row, destination) => WriteRow(rows[row] ?? throw new ArgumentException($"row {row} is null", nameof(rows)), destination, nameof(rows)),
            side is null ? null : (row, destination) => side[row].CopyTo(destination),
            (row, output) => predictions[row] = output.ToArray());
        return predictions;
    }

    /// <summary>
    /// Predicts dense rows: <paramref name="ratings"/> holds rows of <see cref="InputWidth"/> values, 0 for unknown,
    /// row-major; <paramref name="destination"/> receives rows of <see cref="OutputWidth"/> predictions.
    /// </summary>
    /// <exception cref="ArgumentException">The lengths do not fit, or a value is neither 0 nor on the scale.</exception>
    public void PredictDense(ReadOnlySpan<float> ratings, Span<float> destination, ReadOnlySpan<float> side = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (ratings.Length % InputWidth != 0)
        {
            throw new ArgumentException($"{ratings.Length} values are not whole rows of {InputWidth}", nameof(ratings));
        }

        int rows = ratings.Length / InputWidth;
        RequireLength(destination.Length, rows * OutputWidth, nameof(destination));
        if (SideWidth == 0 && !side.IsEmpty)
        {
            throw new ArgumentException("this model takes no side features", nameof(side));
        }

        if (SideWidth > 0)
        {
            if (side.IsEmpty)
            {
                throw SideMissing(nameof(side));
            }

            RequireLength(side.Length, rows * SideWidth, nameof(side));
            CheckFinite(side, nameof(side));
        }

        for (int i = 0; i < ratings.Length; i++)
        {
            if (ratings[i] != 0)
            {
                CheckRating(_contract.InputIds[i % InputWidth], ratings[i], nameof(ratings));
            }
        }

        int batch = Options.BatchSize;
        float[] input = Rent(Math.Min(rows, batch) * InputWidth);
        float[]? sideInput = SideWidth > 0 ? Rent(Math.Min(rows, batch) * SideWidth) : null;
        float[] output = Rent(Math.Min(rows, batch) * OutputWidth);
        try
        {
            for (int start = 0; start < rows; start += batch)
            {
                int count = Math.Min(batch, rows - start);
                ratings.Slice(start * InputWidth, count * InputWidth).CopyTo(input);
                side.Slice(start * SideWidth, count * SideWidth).CopyTo(sideInput);
                RunChunk(input, sideInput, output, count);
                output.AsSpan(0, count * OutputWidth).CopyTo(destination[(start * OutputWidth)..]);
            }
        }
        finally
        {
            Return(input);
            Return(sideInput);
            Return(output);
        }
    }

    /// <summary>
    /// Predicts the rating of each (user, movie) pair. A user-based model reads each pair's user row from
    /// <paramref name="ratingsByUser"/> (every user in <paramref name="pairs"/> must be there; an empty dictionary
    /// for a user without ratings). An item-based model reads each movie's row from all of
    /// <paramref name="ratingsByUser"/>, so pass the ratings the model should see, usually its whole training split.
    /// </summary>
    /// <param name="ratingsByUser">Known ratings: user id to (movie id to rating).</param>
    /// <param name="pairs">The pairs to predict.</param>
    /// <param name="sideFeatures">Side features by row id (user id for user-based models, movie id for item-based ones) when the model takes them.</param>
    /// <returns>One prediction per pair, in order.</returns>
    /// <exception cref="ArgumentException">An id is unknown, a user's ratings or a row's side features are missing, or a rating is invalid.</exception>
    public float[] PredictPairs(
        IReadOnlyDictionary<int, IReadOnlyDictionary<int, float>> ratingsByUser,
        IEnumerable<(int UserId, int MovieId)> pairs,
        IReadOnlyDictionary<int, float[]>? sideFeatures = null)
    {
        ArgumentNullException.ThrowIfNull(ratingsByUser);
        ArgumentNullException.ThrowIfNull(pairs);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (SideWidth > 0 && sideFeatures is null)
        {
            throw SideMissing(nameof(sideFeatures));
        }

        IEnumerable<(int, int, float)> flat = ratingsByUser.SelectMany(
            user => (user.Value ?? throw new ArgumentException($"the ratings of user {user.Key} are null", nameof(ratingsByUser)))
                .Select(r => (user.Key, r.Key, r.Value)));
        SparseRows rows = SparseRows.Build(this, flat, nameof(ratingsByUser));
        var located = new List<PairScorer.Pair>();
        foreach ((int userId, int movieId) in pairs)
        {
            (int rowId, int columnId) = Kind == ModelKind.UserBased ? (userId, movieId) : (movieId, userId);
            if (!TryGetOutputIndex(columnId, out int column))
            {
                throw UnknownId(OutputEntity, columnId, nameof(pairs));
            }

            if (Kind == ModelKind.UserBased && !ratingsByUser.ContainsKey(userId))
            {
                throw new ArgumentException($"no ratings given for user {userId}: pass an empty dictionary for a user without ratings", nameof(ratingsByUser));
            }

            located.Add(new PairScorer.Pair(rowId, column));
        }

        Func<int, float[]?>? side = sideFeatures is null ? null : rowId =>
            sideFeatures.TryGetValue(rowId, out float[]? features)
                ? features
                : throw new ArgumentException($"no side features given for {RowEntity} {rowId}", nameof(sideFeatures));
        return PairScorer.Score(this, rows, located, side);
    }

    /// <summary>
    /// The <paramref name="count"/> movies with the highest predicted rating for a user of a user-based model,
    /// leaving out the movies in <paramref name="ratings"/>; best first, ties by ascending movie id.
    /// </summary>
    /// <param name="ratings">The user's known ratings by movie id.</param>
    /// <param name="count">How many to return at most (0 or more).</param>
    /// <param name="catalog">Titles for the result, when given.</param>
    /// <param name="side">The user's side features when the model takes them.</param>
    /// <exception cref="InvalidOperationException">The model is item-based: use <see cref="ItemBasedPredictions"/>.</exception>
    public IReadOnlyList<Recommendation> Recommend(
        IReadOnlyDictionary<int, float> ratings, int count, MovieCatalog? catalog = null, ReadOnlySpan<float> side = default)
    {
        ArgumentNullException.ThrowIfNull(ratings);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (Kind != ModelKind.UserBased)
        {
            throw new InvalidOperationException(
                "an item-based model's input is one movie's ratings by all users, not a user's ratings: build ItemBasedPredictions from the training ratings to recommend to its users");
        }

        float[] predictions = Rent(OutputWidth);
        try
        {
            Span<float> scores = predictions.AsSpan(0, OutputWidth);
            PredictInto(ratings, scores, side);
            return TopN.Select(_contract.OutputIds, scores, index => ratings.ContainsKey(_contract.OutputIds[index]), count, catalog);
        }
        finally
        {
            Return(predictions);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _session.Dispose();
            _runOptions.Dispose();
        }
    }

    /// <summary>
    /// Runs <paramref name="count"/> rows in batches: <paramref name="ratings"/> and <paramref name="side"/> fill
    /// each row's input (already validated by the caller), <paramref name="read"/> receives its predictions.
    /// </summary>
    internal void RunRows(int count, RowWriter ratings, RowWriter? side, RowReader read)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (SideWidth > 0 && side is null)
        {
            throw new InvalidOperationException("side features are required");
        }

        int batch = Math.Min(Options.BatchSize, Math.Max(count, 1));
        float[] input = Rent(batch * InputWidth);
        float[]? sideInput = SideWidth > 0 ? Rent(batch * SideWidth) : null;
        float[] output = Rent(batch * OutputWidth);
        try
        {
            for (int start = 0; start < count; start += batch)
            {
                int rows = Math.Min(batch, count - start);
                input.AsSpan(0, rows * InputWidth).Clear();
                for (int r = 0; r < rows; r++)
                {
                    ratings(start + r, input.AsSpan(r * InputWidth, InputWidth));
                }

                if (sideInput is not null)
                {
                    sideInput.AsSpan(0, rows * SideWidth).Clear();
                    for (int r = 0; r < rows; r++)
                    {
                        Span<float> features = sideInput.AsSpan(r * SideWidth, SideWidth);
                        side!(start + r, features);
                        CheckFinite(features, nameof(side));
                    }
                }

                RunChunk(input, sideInput, output, rows);
                for (int r = 0; r < rows; r++)
                {
                    read(start + r, output.AsSpan(r * OutputWidth, OutputWidth));
                }
            }
        }
        finally
        {
            Return(input);
            Return(sideInput);
            Return(output);
        }
    }

    /// <summary>Writes a row's known ratings into a dense, zeroed input row, checking ids and values.</summary>
    internal void WriteRow(IReadOnlyDictionary<int, float> ratings, Span<float> destination, string parameter)
    {
        foreach ((int id, float value) in ratings)
        {
            destination[InputIndexOf(id, parameter)] = CheckRating(id, value, parameter);
        }
    }

    /// <summary>The input column of <paramref name="id"/>.</summary>
    /// <exception cref="ArgumentException">The model has no such column.</exception>
    internal int InputIndexOf(int id, string parameter) =>
        _inputIndex.TryGetValue(id, out int index) ? index : throw UnknownId(InputEntity, id, parameter);

    /// <summary>Returns <paramref name="value"/> when it is a rating on the model's scale.</summary>
    /// <exception cref="ArgumentException">It is not a finite number or lies off the scale.</exception>
    internal float CheckRating(int id, float value, string parameter)
    {
        if (!float.IsFinite(value))
        {
            throw new ArgumentException($"the rating of {InputEntity} {id} is {value}: ratings must be finite numbers", parameter);
        }

        if (value < RatingMin || value > RatingMax)
        {
            throw new ArgumentOutOfRangeException(
                parameter, value, $"the rating of {InputEntity} {id} is {value}, off the model's scale {RatingMin}..{RatingMax} (leave unknown ratings out)");
        }

        return value;
    }

    /// <summary>Checks one row's side features.</summary>
    internal void CheckSide(ReadOnlySpan<float> side, string parameter)
    {
        if (SideWidth == 0)
        {
            if (!side.IsEmpty)
            {
                throw new ArgumentException($"this model takes no side features, but {side.Length} were given", parameter);
            }

            return;
        }

        if (side.IsEmpty)
        {
            throw SideMissing(parameter);
        }

        RequireLength(side.Length, SideWidth, parameter);
        CheckFinite(side, parameter);
    }

    private ArgumentException SideMissing(string parameter) => new(
        $"this model needs {SideWidth} side features per {RowEntity} ({string.Join(", ", _contract.SideFeatures.Take(8))}{(SideWidth > 8 ? ", ..." : "")}) but none were given",
        parameter);

    private ArgumentException UnknownId(string entity, int id, string parameter) =>
        new($"{entity} {id} is not in the model (it knows {(entity == InputEntity ? InputWidth : OutputWidth)} {entity}s)", parameter);

    private static void CheckFinite(ReadOnlySpan<float> values, string parameter)
    {
        foreach (float value in values)
        {
            if (!float.IsFinite(value))
            {
                throw new ArgumentException($"side feature value {value} is not a finite number", parameter);
            }
        }
    }

    private static void RequireLength(int actual, int expected, string parameter)
    {
        if (actual != expected)
        {
            throw new ArgumentException($"expected {expected} entries, got {actual}", parameter);
        }
    }

    /// <summary>One run over the first <paramref name="rows"/> rows of pooled buffers, wrapped without copying.</summary>
    private void RunChunk(float[] ratings, float[]? side, float[] output, int rows)
    {
        using OrtValue ratingsValue = OrtValue.CreateTensorValueFromMemory(
            OrtMemoryInfo.DefaultInstance, ratings.AsMemory(0, rows * InputWidth), [rows, InputWidth]);
        using OrtValue? sideValue = side is null
            ? null
            : OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, side.AsMemory(0, rows * SideWidth), [rows, SideWidth]);
        using OrtValue outputValue = OrtValue.CreateTensorValueFromMemory(
            OrtMemoryInfo.DefaultInstance, output.AsMemory(0, rows * OutputWidth), [rows, OutputWidth]);
        OrtValue[] inputs = sideValue is null ? [ratingsValue] : [ratingsValue, sideValue];
        _session.Run(_runOptions, _inputNames, inputs, OutputNames, [outputValue]);
    }

    private static RecommenderModel Load(string source, RecommenderOptions? options, Func<SessionOptions, InferenceSession> create)
    {
        options ??= RecommenderOptions.Default;
        options.Validate();
        InferenceSession session;
        using (var sessionOptions = new SessionOptions
        {
            IntraOpNumThreads = options.IntraOpThreads,
            InterOpNumThreads = options.InterOpThreads,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        })
        {
            try
            {
                session = create(sessionOptions);
            }
            catch (OnnxRuntimeException e)
            {
                throw new ModelFormatException(ModelErrorCodes.NotLoadable, source, $"ONNX Runtime cannot load it as a model: {e.Message}", e);
            }
        }

        try
        {
            return new RecommenderModel(session, ModelContract.Read(session, source), options, source);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    private static Dictionary<int, int> IndexOf(int[] ids)
    {
        var index = new Dictionary<int, int>(ids.Length);
        for (int i = 0; i < ids.Length; i++)
        {
            index[ids[i]] = i;
        }

        return index;
    }

    // Pooled buffers keep the hot path free of large allocations; rented arrays may be longer and hold old data.
    private static float[] Rent(int length)
    {
        float[] array = ArrayPool<float>.Shared.Rent(Math.Max(length, 1));
        array.AsSpan(0, length).Clear();
        return array;
    }

    private static void Return(float[]? array)
    {
        if (array is not null)
        {
            ArrayPool<float>.Shared.Return(array);
        }
    }
}
