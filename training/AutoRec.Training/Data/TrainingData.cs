using AutoRec.Contracts;
using AutoRec.Data;
using AutoRec.Training.Configuration;

namespace AutoRec.Training.Data;

/// <summary>A held-out rating located in the training matrix: row and column indices, value and its user.</summary>
public readonly record struct HeldOutRating(int Row, int Column, float Value, int UserId);

/// <summary>
/// The split Parquet files laid out for one kind of autoencoder: the training matrix (rows are users for
/// user-based models, movies for item-based ones) as sparse rows, and densely (0 marks unknown) only when asked for;
/// the held-out validation and test ratings located in it, the ids of rows and columns, and the statistics the
/// defaults need.
/// </summary>
public sealed class TrainingData
{
    private float[]? _train;

    private TrainingData(
        ModelKind kind, int[] rowIds, int[] columnIds, HeldOutRating[] trainRatings,
        HeldOutRating[] validation, HeldOutRating[] test, RatingScale scale, SideFeatures? side)
    {
        Kind = kind;
        RowIds = rowIds;
        ColumnIds = columnIds;
        TrainRatings = trainRatings;
        Ratings = RatingRows.From(trainRatings, rowIds.Length, columnIds.Length, deduplicate: true);
        Validation = validation;
        Test = test;
        Scale = scale;
        Side = side;
        ColumnMeans = new float[columnIds.Length];
        var counts = new int[columnIds.Length];
        double sum = 0;
        foreach (HeldOutRating r in trainRatings)
        {
            ColumnMeans[r.Column] += r.Value;
            counts[r.Column]++;
            sum += r.Value;
        }

        GlobalMean = (float)(sum / Math.Max(trainRatings.Length, 1));
        for (int c = 0; c < ColumnMeans.Length; c++)
        {
            ColumnMeans[c] = counts[c] > 0 ? ColumnMeans[c] / counts[c] : GlobalMean;
        }
    }

    /// <summary>User-based (rows are users) or item-based (rows are movies).</summary>
    public ModelKind Kind { get; }

    /// <summary>The dataset id of each row.</summary>
    public int[] RowIds { get; }

    /// <summary>The dataset id of each column (the network's input and output order).</summary>
    public int[] ColumnIds { get; }

    /// <summary>
    /// Rows x columns, row-major; 0 where the training split has no rating. Built on first use: only the dense
    /// training path needs it (ML-20M's would not fit in memory).
    /// </summary>
    public float[] Train => LazyInitializer.EnsureInitialized(ref _train, DenseMatrix);

    /// <summary>Whether <see cref="Train"/> was built (the sparse path never builds it).</summary>
    public bool HasDenseMatrix => Volatile.Read(ref _train) is not null;

    /// <summary>The training matrix as sparse rows (a rating given twice for one cell keeps the last, as in <see cref="Train"/>).</summary>
    public RatingRows Ratings { get; }

    /// <summary>The training ratings located in the matrix.</summary>
    public HeldOutRating[] TrainRatings { get; }

    /// <summary>Validation ratings located in the matrix.</summary>
    public HeldOutRating[] Validation { get; }

    /// <summary>Test ratings located in the matrix.</summary>
    public HeldOutRating[] Test { get; }

    /// <summary>The smallest and largest rating (predictions are clipped to them).</summary>
    public RatingScale Scale { get; }

    /// <summary>Mean training rating of each column (the fallback for columns without ratings is the global mean).</summary>
    public float[] ColumnMeans { get; }

    /// <summary>Mean of all training ratings.</summary>
    public float GlobalMean { get; }

    /// <summary>One-hot side information per row, when requested and available.</summary>
    public SideFeatures? Side { get; }

    /// <summary>Number of rows.</summary>
    public int RowCount => RowIds.Length;

    /// <summary>Number of columns.</summary>
    public int ColumnCount => ColumnIds.Length;

    /// <summary>Rows [<paramref name="start"/>, start + <paramref name="count"/>) of <see cref="Train"/>, made from the sparse rows.</summary>
    public float[] DenseRows(int start, int count)
    {
        var rows = new float[count * ColumnCount];
        Ratings.CopyDense(start, count, rows);
        return rows;
    }

    /// <summary>Loads the split files from <paramref name="dataDir"/> (the pipeline's data folder).</summary>
    /// <exception cref="DataFormatException">A file is missing or malformed.</exception>
    public static TrainingData Load(string dataDir, ModelConfig config)
    {
        // The dataset's scale travels with the files; files without it fall back to the ratings' own range.
        Rating[] train = ParquetTables.ReadRatings(Path.Combine(dataDir, "train.parquet"), out RatingScale? scale);
        Rating[] validation = ParquetTables.ReadRatings(Path.Combine(dataDir, "validation.parquet"));
        Rating[] test = ParquetTables.ReadRatings(Path.Combine(dataDir, "test.parquet"));
        if (train.Length == 0)
        {
            throw new DataFormatException(DataErrorCodes.EmptyFile, Path.Combine(dataDir, "train.parquet"), 0, "the training split is empty");
        }

        SideFeatures? side = null;
        if (config.SideInformation)
        {
            side = config.Kind == ModelKind.UserBased
                ? SideFeatures.ForUsers(ParquetTables.ReadUsers(Path.Combine(dataDir, "users.parquet")))
                : SideFeatures.ForMovies(ParquetTables.ReadMovies(Path.Combine(dataDir, "movies.parquet")));
        }

        return Create(config.Kind, train, validation, test, side, scale);
    }

    /// <summary>
    /// Lays out in-memory splits (used by tests and by <see cref="Load"/>). Without <paramref name="scale"/>, the
    /// smallest and largest rating seen are taken as the scale.
    /// </summary>
    public static TrainingData Create(
        ModelKind kind, Rating[] train, Rating[] validation, Rating[] test, SideFeatures? side = null, RatingScale? scale = null)
    {
        IEnumerable<Rating> all = train.Concat(validation).Concat(test);
        int[] users = all.Select(r => r.UserId).Distinct().Order().ToArray();
        int[] movies = all.Select(r => r.MovieId).Distinct().Order().ToArray();
        bool userRows = kind == ModelKind.UserBased;
        int[] rowIds = userRows ? users : movies;
        int[] columnIds = userRows ? movies : users;
        var rowIndex = Index(rowIds);
        var columnIndex = Index(columnIds);

        HeldOutRating Locate(Rating r) => userRows
            ? new HeldOutRating(rowIndex[r.UserId], columnIndex[r.MovieId], r.Value, r.UserId)
            : new HeldOutRating(rowIndex[r.MovieId], columnIndex[r.UserId], r.Value, r.UserId);

        HeldOutRating[] located = train.Select(Locate).ToArray();
        return new TrainingData(
            kind, rowIds, columnIds, located, validation.Select(Locate).ToArray(), test.Select(Locate).ToArray(),
            scale ?? new RatingScale(all.Min(r => r.Value), all.Max(r => r.Value), 0), side?.Reindex(rowIds));
    }

    private float[] DenseMatrix()
    {
        var matrix = new float[(long)RowCount * ColumnCount];
        foreach (HeldOutRating r in TrainRatings)
        {
            matrix[((long)r.Row * ColumnCount) + r.Column] = r.Value;
        }

        return matrix;
    }

    private static Dictionary<int, int> Index(int[] ids)
    {
        var index = new Dictionary<int, int>(ids.Length);
        for (int i = 0; i < ids.Length; i++)
        {
            index[ids[i]] = i;
        }

        return index;
    }
}
