using System.Globalization;
using AutoRec.Training.Training;

namespace AutoRec.Training.Reporting;

/// <summary>
/// Records seconds and resident memory after every epoch, for <c>autorec-train bench</c>: the figures behind
/// docs/benchmarks.md, and the check that native memory does not grow across epochs.
/// </summary>
public sealed class BenchProgress(TextWriter output) : IProgressSink
{
    private readonly List<(EpochResult Result, double RssMb)> _epochs = [];

    /// <inheritdoc />
    public void Start(int epochs, int completed) =>
        output.WriteLine("epoch,seconds,rss_mb,validation_rmse");

    /// <inheritdoc />
    public void Epoch(EpochResult result, int bestEpoch)
    {
        double rss = ProcessMemory.CurrentMb();
        _epochs.Add((result, rss));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{result.Epoch},{result.Seconds:F3},{rss:F0},{result.ValidationRmse:F4}"));
    }

    /// <inheritdoc />
    public void Message(string text) => output.WriteLine($"# {text}");

    /// <inheritdoc />
    public void Finish()
    {
        if (_epochs.Count < 2)
        {
            return;
        }

        // The first epoch pays for allocator warm-up; the steady state is what later epochs cost.
        var steady = _epochs.Skip(1).ToArray();
        double mean = steady.Average(e => e.Result.Seconds);
        double growth = steady[^1].RssMb - steady[0].RssMb;
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"# seconds per epoch (epochs 2-{_epochs.Count}): mean {mean:F3}, min {steady.Min(e => e.Result.Seconds):F3}; " +
            $"RSS after epoch 2 {steady[0].RssMb:F0} MB, after epoch {_epochs.Count} {steady[^1].RssMb:F0} MB (growth {growth:F0} MB); peak RSS {ProcessMemory.PeakMb():F0} MB"));
    }
}
