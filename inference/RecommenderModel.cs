using System.Collections.ObjectModel;
using AutoRec.Contracts;
using AutoRec.Inference.Network;
using AutoRec.Inference.Rows;
using Microsoft.ML.OnnxRuntime;
using ModelMetadata = AutoRec.Contracts.ModelMetadata;

namespace AutoRec.Inference;

/// <summary>
/// An AutoRec autoencoder exported to ONNX, served with ONNX Runtime: opens the file, says what it is
/// (<see cref="Metadata"/>) and predicts rows of the rating matrix. One instance holds one inference session and
/// may be used from any number of threads at once; dispose it only when no call is in flight. To recommend, build
/// an <see cref="IRecommender"/> with <see cref="Recommender.Create(RecommenderModel, IEnumerable{Rating}, MovieCatalog?, IReadOnlyDictionary{int, float[]}?)"/>.
/// </summary>
/// <remarks>
/// <para>
/// The network maps one row of the rating matrix to its reconstruction: for a user-based model a user's ratings
/// by movie id to predicted ratings of every movie; for an item-based model a movie's ratings by user id to that
/// movie's predicted rating by every user.
/// </para>
/// <para>
/// Ids: every method takes dataset ids; an id the model does not know is an <see cref="ArgumentException"/> that
/// names it (check first with <see cref="TryGetInputIndex"/> and <see cref="TryGetOutputIndex"/>). Zero: a rating
/// of <see cref="UnknownRating"/> means unknown, in dictionaries and dense rows alike; any other rating must be
/// finite (else <see cref="ArgumentException"/>) and on the model's scale (else <see cref="ArgumentOutOfRangeException"/>).
/// </para>
/// </remarks>
public sealed class RecommenderModel : IDisposable
{
    /// <summary>
    /// The value that means "no rating": the graph's input uses it for unknown entries, and every method here reads
    /// it so (a dictionary entry with this value counts as absent).
    /// </summary>
    public const float UnknownRating = 0f;

    private readonly ModelSession _session;

    private RecommenderModel(ModelSession session, RecommenderOptions options, string source, ModelBytes bytes)
    {
        _session = session;
        Bytes = bytes;
        Options = options;
        Source = source;
        Columns = new ColumnIndex(session.Metadata);
        Checks = new InputChecks(session.Metadata, Columns);
        SideFeatures = Array.AsReadOnly(session.Metadata.SideFeatures.ToArray());
    }

    /// <summary>Where the model came from: its path, or the name given with the stream.</summary>
    public string Source { get; }

    /// <summary>The SHA-256 of the model file's bytes as opened, lower-case hex; null when it was opened from a stream.</summary>
    public string? Sha256 => Bytes.Sha256;

    /// <summary>The options it runs with.</summary>
    public RecommenderOptions Options { get; }

    /// <summary>What the model file says about itself (kind, ids, rating scale, dataset, training config, side features); a fresh copy on each access.</summary>
    public ModelMetadata Metadata => _session.Metadata with
    {
        InputIds = [.. Columns.InputIds],
        OutputIds = [.. Columns.OutputIds],
        SideFeatures = [.. SideFeatures],
    };

    /// <summary>User-based or item-based.</summary>
    public ModelKind Kind => _session.Metadata.Kind;

    /// <summary>The id of each input column: movie ids for user-based models, user ids for item-based ones.</summary>
    public ReadOnlyCollection<int> InputIds => Columns.InputIds;

    /// <summary>The id of each output column, in the order of every prediction array this class returns.</summary>
    public ReadOnlyCollection<int> OutputIds => Columns.OutputIds;

    /// <summary>
    /// The meaning of each side-feature column (e.g. <c>gender=F</c>, <c>genre=Comedy</c>); empty when the model
    /// takes none. Side features describe a row's entity: the user for user-based models, the movie for item-based ones.
    /// </summary>
    public ReadOnlyCollection<string> SideFeatures { get; }

    /// <summary>Number of input columns.</summary>
    public int InputWidth => _session.InputWidth;

    /// <summary>Number of output columns.</summary>
    public int OutputWidth => _session.OutputWidth;

    /// <summary>Number of side features each row needs (0 when none).</summary>
    public int SideWidth => _session.SideWidth;

    internal ColumnIndex Columns { get; }

    internal InputChecks Checks { get; }

    /// <summary>The bytes the model was opened from, for reading its layers (<see cref="NetworkGraph"/>).</summary>
    internal ModelBytes Bytes { get; }

    internal ModelSession Session
    {
        get
        {
            ThrowIfDisposed();
            return _session;
        }
    }

    /// <summary>Opens the model at <paramref name="path"/>.</summary>
    /// <exception cref="ModelFormatException">The file is missing, cannot be loaded, or is not an AutoRec model.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static RecommenderModel Open(string path, RecommenderOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new ModelFormatException(ModelErrorCodes.MissingFile, path, "model file not found");
        }

        // Read once: ONNX Runtime loads these bytes, and their digest later proves that a re-read gives the same layers.
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModelFormatException(ModelErrorCodes.NotLoadable, path, $"cannot be read: {e.Message}", e);
        }

        return Load(path, options, ModelBytes.OfFile(path, bytes), sessionOptions => new InferenceSession(bytes, sessionOptions));
    }

    /// <summary>Opens a model read from <paramref name="stream"/> (read to its end, not closed). The bytes are kept: an item-based recommender reads its layers from them.</summary>
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
        return Load(name, options, ModelBytes.Kept(bytes), sessionOptions => new InferenceSession(bytes, sessionOptions));
    }

    /// <summary>Whether <paramref name="id"/> is an input column, and which.</summary>
    public bool TryGetInputIndex(int id, out int index) => Columns.TryGetInput(id, out index);

    /// <summary>Whether <paramref name="id"/> is an output column, and which.</summary>
    public bool TryGetOutputIndex(int id, out int index) => Columns.TryGetOutput(id, out index);

    /// <summary>
    /// Predicts one row: for a user-based model, a user's predicted rating of every movie in <see cref="OutputIds"/>
    /// order from their known ratings by movie id (an empty dictionary for a user with none); for an item-based
    /// model, a movie's predicted rating by every user from its ratings by user id.
    /// </summary>
    /// <param name="ratings">Known ratings by input id; 0 means unknown, any other value must be on the model's scale.</param>
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
    /// <exception cref="ArgumentException">As <see cref="Predict(IReadOnlyDictionary{int, float}, ReadOnlySpan{float})"/>, or <paramref name="destination"/> has the wrong length.</exception>
    public void PredictInto(IReadOnlyDictionary<int, float> ratings, Span<float> destination, ReadOnlySpan<float> side = default)
    {
        ArgumentNullException.ThrowIfNull(ratings);
        ModelSession session = Session;
        InputChecks.RequireLength(destination.Length, OutputWidth, nameof(destination));
        Checks.CheckSide(side, nameof(side));
        var row = new SingleRow(Checks, ratings, side, destination, nameof(ratings));
        session.Run(1, ref row);
    }

    /// <summary>Predicts many rows at once (see <see cref="Predict(IReadOnlyDictionary{int, float}, ReadOnlySpan{float})"/>), in batches of <see cref="RecommenderOptions.BatchSize"/>.</summary>
    /// <param name="rows">Known ratings of each row by input id.</param>
    /// <param name="side">Side features of each row, when the model takes them.</param>
    /// <returns>One prediction array per row, in <see cref="OutputIds"/> order.</returns>
    /// <exception cref="ArgumentException">A row is null or invalid, or the side features do not fit.</exception>
    public float[][] PredictBatch(IReadOnlyList<IReadOnlyDictionary<int, float>> rows, IReadOnlyList<float[]>? side = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ModelSession session = Session;
        Checks.CheckGiven(side is not null, nameof(side));
        if (side is not null)
        {
            InputChecks.RequireLength(side.Count, rows.Count, nameof(side));
            foreach (float[] features in side)
            {
                Checks.CheckSide(features, nameof(side));
            }
        }

        var batch = new DictionaryRows(Checks, rows, side, nameof(rows));
        session.Run(rows.Count, ref batch);
        return batch.Predictions;
    }

    /// <summary>
    /// Predicts dense rows: <paramref name="ratings"/> holds rows of <see cref="InputWidth"/> values, row-major,
    /// <see cref="UnknownRating"/> for unknown; <paramref name="destination"/> receives rows of
    /// <see cref="OutputWidth"/> predictions. Nothing is written when an argument is refused.
    /// </summary>
    /// <param name="ratings">Whole rows of input values.</param>
    /// <param name="destination">Room for as many rows of predictions.</param>
    /// <param name="side">Row-major side features of every row, when the model takes them.</param>
    /// <exception cref="ArgumentException">The lengths do not fit, or a value is neither 0 nor on the scale.</exception>
    public void PredictDense(ReadOnlySpan<float> ratings, Span<float> destination, ReadOnlySpan<float> side = default)
    {
        ModelSession session = Session;
        if (ratings.Length % InputWidth != 0)
        {
            throw new ArgumentException($"{ratings.Length} values are not whole rows of {InputWidth}", nameof(ratings));
        }

        int rows = ratings.Length / InputWidth;
        InputChecks.RequireLength(destination.Length, rows * OutputWidth, nameof(destination));
        Checks.CheckGiven(!side.IsEmpty, nameof(side));
        if (SideWidth > 0)
        {
            InputChecks.RequireLength(side.Length, rows * SideWidth, nameof(side));
            InputChecks.CheckFinite(side, nameof(side));
        }

        Checks.CheckDense(ratings, nameof(ratings));
        var batch = new DenseRows(ratings, side, destination, InputWidth, SideWidth, OutputWidth);
        session.Run(rows, ref batch);
    }

    /// <summary>
    /// Predicts the rating of each (user, movie) pair from <paramref name="knownRatings"/>, with one network pass
    /// per distinct row, in batches: a user-based model runs each pair's user with that user's known ratings (none:
    /// all unknown); an item-based model runs each pair's movie with that movie's known ratings by all users. This is
    /// how a test split is scored: pass the training split as <paramref name="knownRatings"/>.
    /// </summary>
    /// <param name="knownRatings">The ratings the network sees; ratings of 0 are unknown and left out.</param>
    /// <param name="pairs">The pairs to predict; the output id of each (movie for user-based models, user for item-based ones) must be in <see cref="OutputIds"/>.</param>
    /// <param name="sideFeatures">Side features by row id (user id for user-based models, movie id for item-based ones), exactly when the model takes them; every row of a pair needs its own.</param>
    /// <returns>One prediction per pair, in order.</returns>
    /// <exception cref="ArgumentException">An id is not in the model, a rating is invalid, or a row's side features are missing or do not fit.</exception>
    public float[] PredictPairs(
        IEnumerable<Rating> knownRatings, IReadOnlyList<(int UserId, int MovieId)> pairs, IReadOnlyDictionary<int, float[]>? sideFeatures = null)
    {
        ArgumentNullException.ThrowIfNull(knownRatings);
        ArgumentNullException.ThrowIfNull(pairs);
        ThrowIfDisposed();
        Checks.CheckGiven(sideFeatures is not null, nameof(sideFeatures));
        SparseRows rows = SparseRows.Build(this, knownRatings, nameof(knownRatings));
        bool userRows = Kind == ModelKind.UserBased;
        var located = new PairPredictor.Pair[pairs.Count];
        for (int i = 0; i < located.Length; i++)
        {
            (int userId, int movieId) = pairs[i];
            (int rowId, int outputId) = userRows ? (userId, movieId) : (movieId, userId);
            located[i] = new PairPredictor.Pair(rowId, Columns.OutputOf(outputId, nameof(pairs)));
        }

        return PairPredictor.Predict(this, rows, located, sideFeatures, nameof(sideFeatures));
    }

    /// <inheritdoc />
    public void Dispose() => _session.Dispose();

    internal void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_session.IsDisposed, this);

    private static RecommenderModel Load(string source, RecommenderOptions? options, ModelBytes bytes, Func<SessionOptions, InferenceSession> create)
    {
        options ??= RecommenderOptions.Default;
        options.Validate();
        return new RecommenderModel(ModelSession.Load(source, options, create), options, source, bytes);
    }
}
