using AutoRec.Contracts;
using AutoRec.Inference;

namespace AutoRec.Serving.Models;

/// <summary>
/// One loaded model with everything that answers from it: the network, the recommender built on the training
/// ratings, the catalog, and what identifies it. Requests hold it through a <see cref="GenerationLease"/>; it is
/// disposed when it has been replaced and the last request using it has finished, so a reload never pulls a model
/// from under a running request.
/// </summary>
internal sealed class ModelGeneration
{
    private readonly Dictionary<int, int> _movieIndex;
    private ValidationReport? _validation;
    private int _references = 1; // the holder's own reference while it is current

    private readonly ScoreBatcher? _batcher;

    private readonly IDisposable _owner;

    /// <summary>
    /// A generation of <paramref name="recommender"/>; <paramref name="owner"/> holds its native sessions (the model, or
    /// a blend's models) and is disposed with it; <paramref name="model"/> is the network when one model is served, null for a blend.
    /// </summary>
    public ModelGeneration(
        IDisposable owner, RecommenderModel? model, string dataset, IRecommender recommender, IAnswers answers, ScoreBatcher? batcher, MovieCatalog catalog, MovieTable movies,
        TrainingRatings ratings, ModelCard card, RatingScale scale, string version, FileStamp stamp, DateTimeOffset loadedAt, ValidationReport? validation)
    {
        Ratings = ratings;
        Card = card;
        _owner = owner;
        Model = model;
        Recommender = recommender;
        Answers = answers;
        _batcher = batcher;
        Catalog = catalog;
        Movies = movies;
        Scale = scale;
        Version = version;
        Stamp = stamp;
        LoadedAt = loadedAt;
        _validation = validation;
        Dataset = dataset;
        _movieIndex = recommender.MovieIds.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i);
    }

    /// <summary>The network when one model is served; null for a blend (its members are behind <see cref="Recommender"/>).</summary>
    public RecommenderModel? Model { get; }

    /// <summary>How requests that need the model are answered (batched or not).</summary>
    public IAnswers Answers { get; }

    public ModelKind Kind => Recommender.Kind;

    /// <summary>The dataset the model says it was trained on.</summary>
    public string Dataset { get; }

    public IRecommender Recommender { get; }

    /// <summary>The library's catalog: genre filters.</summary>
    public MovieCatalog Catalog { get; }

    /// <summary>Titles and genres for the answers.</summary>
    public MovieTable Movies { get; }

    /// <summary>The training ratings by user and by movie, for the pages about them.</summary>
    public TrainingRatings Ratings { get; }

    /// <summary>How the model was made: configuration, training metrics, split, learning curve, blend members.</summary>
    public ModelCard Card { get; }

    /// <summary>The ratings a user may give: the dataset's scale from train.parquet, else the model's range.</summary>
    public RatingScale Scale { get; }

    /// <summary>Whether a user may give <paramref name="rating"/>: on the scale, in its steps when the dataset has them.</summary>
    public bool IsOnScale(float rating) =>
        Scale.Step > 0 ? Scale.Contains(rating) : rating >= Scale.Min && rating <= Scale.Max;

    /// <summary>The SHA-256 of the model file's bytes, lower-case hex: what was loaded, whatever the file is now.</summary>
    public string Version { get; }

    /// <summary>The model file's size and time when it was read.</summary>
    public FileStamp Stamp { get; }

    public DateTimeOffset LoadedAt { get; }

    /// <summary>validation.json as last read; refreshed in place because the pipeline writes it after model.onnx.</summary>
    public ValidationReport? Validation
    {
        get => Volatile.Read(ref _validation);
        set => Volatile.Write(ref _validation, value);
    }

    /// <summary>Where <paramref name="movieId"/> is in <see cref="IRecommender.MovieIds"/> and in the arrays of <see cref="IRecommender.PredictUser"/>.</summary>
    public bool TryGetMovieIndex(int movieId, out int index) => _movieIndex.TryGetValue(movieId, out index);

    /// <summary>Takes a reference unless the generation is already retired and released.</summary>
    internal bool TryRetain()
    {
        int references = Volatile.Read(ref _references);
        while (references > 0)
        {
            int seen = Interlocked.CompareExchange(ref _references, references + 1, references);
            if (seen == references)
            {
                return true;
            }

            references = seen;
        }

        return false;
    }

    /// <summary>Drops a reference; the last one stops the batcher and disposes the model (ONNX Runtime's native session).</summary>
    internal void Release()
    {
        if (Interlocked.Decrement(ref _references) == 0)
        {
            Dispose();
        }
    }

    /// <summary>For a generation that never got published (its warm-up failed).</summary>
    internal void Dispose()
    {
        _batcher?.Stop();
        _owner.Dispose();
    }
}
