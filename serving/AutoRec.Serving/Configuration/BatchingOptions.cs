using System.ComponentModel.DataAnnotations;

namespace AutoRec.Serving.Configuration;

/// <summary>
/// The <c>Batching</c> section: collecting concurrent requests' network rows into one ONNX Runtime run. It applies
/// where a request runs the network, user-based models; item-based ones answer from factors and need no run.
/// </summary>
public sealed class BatchingOptions
{
    public const string Section = "Batching";

    /// <summary>Whether rows are batched; off, every request runs its own row.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The most rows in one run.</summary>
    [Range(1, 1024)]
    public int MaxBatchSize { get; set; } = 16;

    /// <summary>
    /// How long a run waits for more rows after the first; 0 runs at once with whatever is queued, so an idle service
    /// adds no latency and batches still form under load (rows queue while a run is in progress). Timers make waits
    /// below a millisecond round up.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:01")]
    public TimeSpan MaxWait { get; set; } = TimeSpan.Zero;
}
