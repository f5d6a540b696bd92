using System.Security.Cryptography;
using System.Text;
using AutoRec.Contracts;
using AutoRec.Data;
using AutoRec.Training.Configuration;
using AutoRec.Training.Data;

namespace AutoRec.Training.Experiments;

/// <summary>
/// The pipeline's split files, read once for a whole suite, and the training data each run needs: the split as it
/// is, one fold of a k-fold split of all its ratings, or the users of one group.
/// </summary>
public sealed class ExperimentData
{
    private readonly string _dir;
    private readonly Rating[] _train;
    private readonly Rating[] _validation;
    private readonly Rating[] _test;
    private readonly RatingScale? _scale;
    private readonly Dictionary<int, Rating[][]> _folds = [];
    private readonly Dictionary<long, RatingSplit> _splits = [];
    private User[]? _users;
    private Movie[]? _movies;

    private ExperimentData(string dir, Rating[] train, Rating[] validation, Rating[] test, RatingScale? scale, string fingerprint, long splitSeed)
    {
        _dir = dir;
        _train = train;
        _validation = validation;
        _test = test;
        _scale = scale;
        Fingerprint = fingerprint;
        SplitSeed = splitSeed;
    }

    /// <summary>Identifies the split (a hash of its files' sizes and split.json), so results of another split are never reused.</summary>
    public string Fingerprint { get; }

    /// <summary>The split's seed (also the seed of the folds).</summary>
    public long SplitSeed { get; }

    /// <summary>The split's description for the results file.</summary>
    public string Description => $"{_dir}: {_train.Length:N0} train, {_validation.Length:N0} validation, {_test.Length:N0} test ratings (split seed {SplitSeed})";

    /// <summary>The users of the split files (users.parquet).</summary>
    public IReadOnlyList<User> Users => _users ??= ParquetTables.ReadUsers(Path.Combine(_dir, "users.parquet"));

    /// <summary>The rating scale predictions are clipped to.</summary>
    public RatingScale Scale => _scale ?? new RatingScale(_train.Min(r => r.Value), _train.Max(r => r.Value), 0);

    /// <summary>The pipeline's training ratings.</summary>
    public IReadOnlyList<Rating> Train => _train;

    /// <summary>Reads the split files in <paramref name="dir"/>.</summary>
    /// <exception cref="DataFormatException">A file is missing or malformed.</exception>
    public static ExperimentData Load(string dir)
    {
        Rating[] train = ParquetTables.ReadRatings(Path.Combine(dir, "train.parquet"), out RatingScale? scale);
        Rating[] validation = ParquetTables.ReadRatings(Path.Combine(dir, "validation.parquet"));
        Rating[] test = ParquetTables.ReadRatings(Path.Combine(dir, "test.parquet"));
        string splitJson = Path.Combine(dir, "split.json");
        long seed = File.Exists(splitJson) ? SplitSummary.Read(splitJson).Seed : SplitOptions.DefaultSeed;
        var identity = new StringBuilder();
        foreach (string file in new[] { "train.parquet", "validation.parquet", "test.parquet" })
        {
            identity.Append(file).Append(':').Append(new FileInfo(Path.Combine(dir, file)).Length).Append(';');
        }

        identity.Append(File.Exists(splitJson) ? File.ReadAllText(splitJson) : "");
        string fingerprint = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity.ToString())))[..16];
        return new ExperimentData(dir, train, validation, test, scale, fingerprint, seed);
    }

    /// <summary>The training data of <paramref name="config"/> on the split as it is, or restricted to <paramref name="users"/>.</summary>
    public TrainingData For(ModelConfig config, ISet<int>? users = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        Rating[] Keep(Rating[] ratings) => users is null ? ratings : [.. ratings.Where(r => users.Contains(r.UserId))];
        return TrainingData.Create(config.Kind, Keep(_train), Keep(_validation), Keep(_test), Side(config), _scale);
    }

    /// <summary>
    /// The split with <paramref name="seed"/> (null: the pipeline's own): all the ratings split again with the
    /// pipeline's fractions (10% of each user's ratings for test, 10% of the rest for validation).
    /// </summary>
    public RatingSplit SplitOf(long? seed)
    {
        if (seed is not long s)
        {
            return new RatingSplit(_train, _validation, _test);
        }

        if (!_splits.TryGetValue(s, out RatingSplit? split))
        {
            split = RatingSplitter.Split([.. _train, .. _validation, .. _test], new SplitOptions(s));
            _splits[s] = split;
        }

        return split;
    }

    /// <summary>
    /// The training data of <paramref name="config"/> on the split with <paramref name="seed"/>; with
    /// <paramref name="refit"/>, its validation ratings join the training ratings (protocol B) and none are left
    /// for validation.
    /// </summary>
    public TrainingData ForSplit(ModelConfig config, long? seed, bool refit)
    {
        ArgumentNullException.ThrowIfNull(config);
        RatingSplit split = SplitOf(seed);
        return refit
            ? TrainingData.Create(config.Kind, [.. split.Train, .. split.Validation], [], split.Test, Side(config), _scale)
            : TrainingData.Create(config.Kind, split.Train, split.Validation, split.Test, Side(config), _scale);
    }

    /// <summary>
    /// The training data of fold <paramref name="fold"/> of <paramref name="folds"/>: that fold of all the split's
    /// ratings is the test set, and the other folds are split 90/10 per user into train and validation.
    /// </summary>
    public TrainingData ForFold(ModelConfig config, int folds, int fold)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (!_folds.TryGetValue(folds, out Rating[][]? parts))
        {
            parts = RatingSplitter.Folds([.. _train, .. _validation, .. _test], folds, SplitSeed);
            _folds[folds] = parts;
        }

        Rating[] rest = [.. parts.Where((_, i) => i != fold).SelectMany(p => p)];
        RatingSplit split = RatingSplitter.Split(rest, new SplitOptions(SplitSeed, TestFraction: 0, ValidationFraction: 0.1));
        return TrainingData.Create(config.Kind, split.Train, split.Validation, parts[fold], Side(config), _scale);
    }

    private SideFeatures? Side(ModelConfig config)
    {
        if (!config.SideInformation)
        {
            return null;
        }

        return config.Kind == ModelKind.UserBased
            ? SideFeatures.ForUsers(Users)
            : SideFeatures.ForMovies(_movies ??= ParquetTables.ReadMovies(Path.Combine(_dir, "movies.parquet")));
    }
}
