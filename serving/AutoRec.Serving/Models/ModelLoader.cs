using System.Security.Cryptography;
using AutoRec.Contracts;
using AutoRec.Data;
using AutoRec.Inference;
using AutoRec.Inference.Factors;
using AutoRec.Serving.Configuration;
using AutoRec.Serving.Observability;
using Microsoft.Extensions.Options;

namespace AutoRec.Serving.Models;

/// <summary>Builds a generation from the model folder: reads every file once, builds the recommender and warms it up.</summary>
internal sealed class ModelLoader(
    IOptions<ModelOptions> options, IOptions<BatchingOptions> batching, IOptions<ServingOptions> serving, ServingMetrics metrics, TimeProvider time)
{
    public ModelFiles Files { get; } = ModelFiles.At(options.Value.Directory);

    /// <summary>The model file's current version, to skip a reload that would load the same bytes again.</summary>
    public static string VersionOf(byte[] modelBytes) => Convert.ToHexStringLower(SHA256.HashData(modelBytes));

    /// <summary>
    /// Reads the served file whole (<see cref="ModelFiles.Model"/>, decided once here), so that the version is the hash
    /// of exactly the bytes that run; a blend's manifest pins its members' SHA-256, so its hash changes with them.
    /// </summary>
    public ServedFile ReadModel()
    {
        string path = Files.Model;
        FileStamp stamp = FileStamp.Of(path);
        if (stamp == FileStamp.Missing)
        {
            throw new ModelFormatException(ModelErrorCodes.MissingFile, path, "model file not found");
        }

        return new ServedFile(path, File.ReadAllBytes(path), stamp);
    }

    /// <summary>
    /// Loads and warms a generation from <paramref name="file"/> (whose bytes hash to <paramref name="version"/>) and the
    /// folder's data files. A blend (model/blend.json) opens its members' model files from the paths it names.
    /// </summary>
    /// <exception cref="Exception">Anything that makes the folder unservable: a broken model, missing or mismatched data files.</exception>
    public ModelGeneration Load(ServedFile file, string version)
    {
        bool blend = BlendedModel.IsManifest(file.Path);

        // A model is opened from the bytes read (not its path), so its compact factors are named: compact.bin beside
        // it, which the export writes (a blend's members are opened by path and find theirs).
        string compact = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(file.Path)) ?? ".", CompactBasis.FileName);
        var runOptions = new RecommenderOptions
        {
            IntraOpThreads = options.Value.IntraOpThreads,
            CompactBasisPath = !blend && File.Exists(compact) ? compact : null,
        };
        BlendedModel? blended = blend ? BlendedModel.Open(file.Path, file.Bytes, runOptions) : null;
        RecommenderModel? model = blend ? null : RecommenderModel.Open(new MemoryStream(file.Bytes, writable: false), runOptions, file.Path);
        IDisposable owner = (IDisposable?)blended ?? model!;
        ScoreBatcher? batcher = null;
        try
        {
            Rating[] train = ParquetTables.ReadRatings(Files.TrainRatings, out RatingScale? scale);
            Movie[] movies = ParquetTables.ReadMovies(Files.Movies);
            var catalog = MovieCatalog.From(movies);
            IRecommender recommender = blended is not null ? Recommender.Create(blended, train, catalog) : Recommender.Create(model!, train, catalog);
            ModelMetadata metadata = (model ?? blended!.Members[0]).Metadata;

            // Only a user-based model served through its graph runs the network per request; its rows are worth batching
            // (one served as factors, and a blend's members, answer on their own).
            batcher = batching.Value.Enabled && model is { Kind: ModelKind.UserBased, SideWidth: 0 } && Recommender.RunsGraphPerUser(recommender)
                ? new ScoreBatcher(model, batching.Value, metrics)
                : null;
            IAnswers answers = batcher is null ? new LibraryAnswers(recommender, metrics) : new BatchedAnswers(model!, train, batcher);
            if (options.Value.CachedUsers > 0)
            {
                answers = new CachedAnswers(answers, recommender, serving.Value.MaxResults, options.Value.CachedUsers);
            }

            RatingScale served = scale ?? new RatingScale(metadata.RatingMin, metadata.RatingMax, 0f);
            var generation = new ModelGeneration(
                owner, model, metadata.Dataset, recommender, answers, batcher, catalog, MovieTable.From(movies), TrainingRatings.From(train, served),
                ModelCard.Read(Files, file, model, blended), served, version, file.Stamp, time.GetUtcNow(), ReadValidation());
            WarmUp(generation);
            return generation;
        }
        catch
        {
            batcher?.Stop();
            owner.Dispose();
            throw;
        }
    }

    /// <summary>validation.json, or null when there is none.</summary>
    /// <exception cref="System.Text.Json.JsonException">It exists but is not a validation report.</exception>
    public ValidationReport? ReadValidation() => File.Exists(Files.Validation) ? ValidationReport.Read(Files.Validation) : null;

    /// <summary>
    /// Runs each path once before the generation takes traffic, so that its first requests do not pay for ONNX
    /// Runtime's first-run allocations and the JIT.
    /// </summary>
    private static void WarmUp(ModelGeneration generation)
    {
        IRecommender recommender = generation.Recommender;
        IAnswers answers = generation.Answers;
        RecommendationQuery top = RecommendationQuery.Top(10);
        if (recommender.UserIds.Count > 0)
        {
            int user = recommender.UserIds[0];
            _ = answers.RecommendAsync(user, top).AsTask().GetAwaiter().GetResult();
            _ = answers.PredictAsync(user).AsTask().GetAwaiter().GetResult();
        }

        if (recommender.Kind == ModelKind.UserBased && generation.Model is { } model)
        {
            // ONNX Runtime sizes its buffers on a run's first batch shape: run a full batch once.
            _ = model.PredictBatch([.. Enumerable.Repeat(new Dictionary<int, float>(), 16)]);
        }

        if (recommender.MovieIds.Count > 0)
        {
            int movie = recommender.MovieIds[0];
            _ = recommender.SimilarMovies(movie, top);
            if (recommender.CanRecommendForRatings)
            {
                var ratings = new Dictionary<int, float> { [movie] = generation.Scale.Max };
                _ = answers.RecommendAsync(ratings, top).AsTask().GetAwaiter().GetResult();
                _ = answers.PredictAsync(ratings, [movie]).AsTask().GetAwaiter().GetResult();
            }
        }
    }
}

/// <summary>The served file as read: which one (model.onnx or blend.json), its bytes and its size and time then.</summary>
internal sealed record ServedFile(string Path, byte[] Bytes, FileStamp Stamp);
