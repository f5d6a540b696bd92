using System.Diagnostics;
using AutoRec.Contracts;
using AutoRec.Serving.Models;
using Prometheus;

namespace AutoRec.Serving.Observability;

/// <summary>What the network work of a request is, as the <c>operation</c> label of the model metrics names it.</summary>
internal enum ModelOperation
{
    RecommendUser,
    RecommendRatings,
    PredictUser,
    PredictRatings,
    Similar,
    PredictMovie,
}

/// <summary>
/// The service's Prometheus metrics, in a registry of its own (one per app instance, so test hosts in one process
/// do not share counters). HTTP request durations by route template come from prometheus-net's middleware, fed
/// through <see cref="Factory"/>.
/// </summary>
internal sealed class ServingMetrics
{
    private readonly Histogram.Child[] _runSeconds;
    private readonly Histogram _batchSize;
    private readonly Counter.Child _reloadSuccesses;
    private readonly Counter.Child _reloadFailures;
    private readonly Histogram _loadSeconds;
    private readonly Gauge _loadedAt;
    private readonly Gauge _info;

    public ServingMetrics()
    {
        Registry = Metrics.NewCustomRegistry();
        DotNetStats.Register(Registry); // process memory, CPU and GC: what a flat-memory check reads
        Factory = Metrics.WithCustomRegistry(Registry);

        Histogram runSeconds = Factory.CreateHistogram(
            "autorec_model_run_seconds", "Time a request spends in the recommender (waiting for its batch, network run, top-N), by operation.",
            new HistogramConfiguration { LabelNames = ["operation"], Buckets = Histogram.ExponentialBuckets(0.000_005, 2, 18) });
        _runSeconds = Enum.GetValues<ModelOperation>().Select(op => runSeconds.WithLabels(LabelOf(op))).ToArray();
        _batchSize = Factory.CreateHistogram(
            "autorec_model_batch_size", "Rows per ONNX Runtime run made for requests.",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(1, 2, 10) });
        Counter reloads = Factory.CreateCounter(
            "autorec_model_reloads_total", "Model loads (the first and every reload), by result; a failure keeps the previous model.",
            new CounterConfiguration { LabelNames = ["result"] });
        _reloadSuccesses = reloads.WithLabels("success");
        _reloadFailures = reloads.WithLabels("failure");
        _loadSeconds = Factory.CreateHistogram(
            "autorec_model_load_seconds", "Time to load and warm a model generation.",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.01, 2, 14) });
        _loadedAt = Factory.CreateGauge("autorec_model_loaded_timestamp_seconds", "When the model being served was loaded (Unix time).");
        _info = Factory.CreateGauge(
            "autorec_model_info", "The model being served (1), by version (SHA-256 of model.onnx), kind and dataset.",
            new GaugeConfiguration { LabelNames = ["version", "kind", "dataset"] });
    }

    public CollectorRegistry Registry { get; }

    public IMetricFactory Factory { get; }

    /// <summary>Load failures so far (tests and logs read it).</summary>
    public double ReloadFailures => _reloadFailures.Value;

    public double ReloadSuccesses => _reloadSuccesses.Value;

    /// <summary>Records a request's time in the recommender (waiting for its batch included) since <paramref name="startTimestamp"/> (<see cref="Stopwatch.GetTimestamp"/>).</summary>
    public void ObserveRun(ModelOperation operation, long startTimestamp) =>
        _runSeconds[(int)operation].Observe(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds);

    /// <summary>Records one ONNX Runtime run of <paramref name="rows"/> rows (nothing for 0: no run).</summary>
    public void ObserveBatch(int rows)
    {
        if (rows > 0)
        {
            _batchSize.Observe(rows);
        }
    }

    public void LoadSucceeded(ModelGeneration loaded, ModelGeneration? replaced, TimeSpan took)
    {
        _reloadSuccesses.Inc();
        _loadSeconds.Observe(took.TotalSeconds);
        _loadedAt.Set(loaded.LoadedAt.ToUnixTimeMilliseconds() / 1000.0);
        if (replaced is not null && replaced.Version != loaded.Version)
        {
            _info.WithLabels(replaced.Version, replaced.Kind.Name(), replaced.Dataset).Remove();
        }

        _info.WithLabels(loaded.Version, loaded.Kind.Name(), loaded.Dataset).Set(1);
    }

    public void LoadFailed() => _reloadFailures.Inc();

    private static string LabelOf(ModelOperation operation) => operation switch
    {
        ModelOperation.RecommendUser => "recommend_user",
        ModelOperation.RecommendRatings => "recommend_ratings",
        ModelOperation.PredictUser => "predict_user",
        ModelOperation.PredictRatings => "predict_ratings",
        ModelOperation.Similar => "similar",
        ModelOperation.PredictMovie => "predict_movie",
        _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, null),
    };
}
