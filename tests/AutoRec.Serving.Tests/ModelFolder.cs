using AutoRec.Data;
using AutoRec.Inference;

namespace AutoRec.Serving.Tests;

/// <summary>
/// A pipeline output folder in miniature (model/model.onnx, model/validation.json, data/train.parquet,
/// data/movies.parquet) with a tiny real ONNX model of either kind, and the library's own answers to compare with.
/// </summary>
internal sealed class ModelFolder : IDisposable
{
    /// <summary>The movies the models score; 77 is missing from the catalog (no title), 500 is in it but unrated.</summary>
    public static readonly int[] MovieIds = [101, 7, 55, 3, 250, 18, 9, 42, 64, 77];

    public static readonly int[] ItemBasedUserIds = [31, 12, 57, 8, 44, 20];

    public static readonly Movie[] Movies =
    [
        new(101, "Toy Story (1995)", "Animation|Children's|Comedy"),
        new(7, "Sabrina (1995)", "Comedy|Romance"),
        new(55, "Heat (1995)", "Action|Crime|Thriller"),
        new(3, "Grumpier Old Men (1995)", "Comedy|Romance"),
        new(250, "Alien (1979)", "Horror|Sci-Fi"),
        new(18, "Four Rooms (1995)", "Thriller"),
        new(9, "Sudden Death (1995)", "Action"),
        new(42, "Dead Presidents (1995)", "Action|Crime|Drama"),
        new(64, "Two if by Sea (1996)", "Comedy|Romance"),
        new(500, "Mrs. Doubtfire (1993)", "Comedy"),
    ];

    private readonly TempDir _dir = new();
    private readonly Func<ModelSpec, ModelSpec> _adjust;

    /// <param name="kind">The kind of model.</param>
    /// <param name="write">Whether to write the files now.</param>
    /// <param name="adjust">Changes to the default spec (e.g. another output activation).</param>
    public ModelFolder(ModelKind kind, bool write = true, Func<ModelSpec, ModelSpec>? adjust = null)
    {
        Kind = kind;
        _adjust = adjust ?? (spec => spec);
        Train = kind == ModelKind.UserBased ? UserBasedTrain() : ItemBasedTrain();
        if (write)
        {
            WriteAll();
        }
    }

    public ModelKind Kind { get; }

    public Rating[] Train { get; }

    public string Root => _dir.Root;

    public string ModelPath => _dir.PathOf("model/model.onnx");

    /// <summary>The users served by id.</summary>
    public int[] UserIds => Kind == ModelKind.UserBased ? [.. Train.Select(r => r.UserId).Distinct().Order()] : ItemBasedUserIds;

    public ModelSpec Spec(int seed) => _adjust(DefaultSpec(Kind, seed));

    public static ModelSpec DefaultSpec(ModelKind kind, int seed) => new()
    {
        Kind = kind,
        Ids = kind == ModelKind.UserBased ? MovieIds : ItemBasedUserIds,
        Hidden = [6],
        Seed = seed,
        Dataset = "tiny",
    };

    public void WriteAll(int seed = 1)
    {
        Directory.CreateDirectory(_dir.PathOf("model"));
        Directory.CreateDirectory(_dir.PathOf("data"));
        ParquetTables.WriteRatings(_dir.PathOf("data/train.parquet"), Train, RatingScale.WholeStars);
        ParquetTables.WriteMovies(_dir.PathOf("data/movies.parquet"), Movies);
        _dir.Write("model/validation.json", (new ValidationReport(ModelPath, Kind, "tiny", 0.9123, 0.8876, 40, 0, 0.01) with { Protocol = RunMetrics.ProtocolRefit }).ToJson());
        TestModels.Write(_dir.PathOf("model"), Spec(seed));
    }

    public string StagedModelPath => _dir.PathOf("model/model.onnx.tmp");

    /// <summary>Replaces model.onnx as the pipeline does: written beside it, then renamed over it in one step.</summary>
    public void ReplaceModel(int seed)
    {
        StageModel(seed);
        CommitStagedModel();
    }

    /// <summary>Writes the model of <paramref name="seed"/> beside model.onnx (see <see cref="CommitStagedModel"/>).</summary>
    public void StageModel(int seed) => TestModels.Write(_dir.PathOf("model"), Spec(seed), "model.onnx.tmp");

    /// <summary>Renames the staged model over model.onnx: one atomic step.</summary>
    public void CommitStagedModel() => File.Move(StagedModelPath, ModelPath, overwrite: true);

    /// <summary>Replaces model.onnx atomically with <paramref name="bytes"/> (e.g. not a model at all).</summary>
    public void ReplaceModel(byte[] bytes)
    {
        _dir.WriteBytes("model/model.onnx.tmp", bytes);
        File.Move(_dir.PathOf("model/model.onnx.tmp"), ModelPath, overwrite: true);
    }

    /// <summary>SHA-256 of the model file (model.onnx unless told), as the service reports its version.</summary>
    public string Version(string? modelPath = null) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(modelPath ?? ModelPath)));

    /// <summary>The library's recommender on the folder's files (model.onnx unless told): what the service must answer.</summary>
    public Reference OpenReference(string? modelPath = null)
    {
        RecommenderModel model = RecommenderModel.Open(modelPath ?? ModelPath);
        return new Reference(model, Recommender.Create(model, Train, MovieCatalog.From(Movies)));
    }

    public void Dispose() => _dir.Dispose();

    private static Rating[] UserBasedTrain()
    {
        // Users 1..6, each with three ratings on the model's movies.
        var ratings = new List<Rating>();
        for (int user = 1; user <= 6; user++)
        {
            for (int k = 0; k < 3; k++)
            {
                ratings.Add(new Rating(user, MovieIds[(user + (3 * k)) % MovieIds.Length], 1 + ((user + k) % 5), 0));
            }
        }

        return [.. ratings];
    }

    private static Rating[] ItemBasedTrain()
    {
        // Every movie rated by two or three of the model's users, so that all of them are scored.
        var ratings = new List<Rating>();
        for (int m = 0; m < MovieIds.Length; m++)
        {
            for (int k = 0; k < 2 + (m % 2); k++)
            {
                ratings.Add(new Rating(ItemBasedUserIds[(m + (2 * k)) % ItemBasedUserIds.Length], MovieIds[m], 1 + ((m + k) % 5), 0));
            }
        }

        return [.. ratings];
    }
}

/// <summary>The library's answers for comparison.</summary>
internal sealed class Reference(RecommenderModel model, IRecommender recommender) : IDisposable
{
    public RecommenderModel Model { get; } = model;

    public IRecommender Recommender { get; } = recommender;

    public void Dispose() => Model.Dispose();
}
