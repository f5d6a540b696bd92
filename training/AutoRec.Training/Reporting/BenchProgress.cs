using System.Globalization;
using AutoRec.Training.Training;

namespace AutoRec.Training.Reporting;

/// <summary>
/// Records seconds, validation RMSE and resident memory after every epoch, for <c>autorec-train bench</c>: the
/// figures behind docs/benchmarks.md, the comparison of the dense and sparse paths (run once with each
/// <c>--path</c>), and the check that native memory does not grow across epochs. One line per epoch,
/// <c>epoch 3/10 seconds=0.123 validation_rmse=0.9123 rss_mb=512</c>; notes start with <c>#</c>; the last line is
/// <c>mean s/epoch: X</c> over epochs 2 to N (the first pays for warm-up).
/// </summary>
public sealed class BenchProgress(TextWriter output) : IProgressSink
{
    private readonly List<(EpochResult Result, double RssMb)> _epochs = [];
    private int _total;

    /// <inheritdoc />
    public void Start(int epochs, int completed) => _total = epochs;

    /// <inheritdoc />
    public void Epoch(EpochResult result, int bestEpoch)
    {
        double rss = ProcessMemory.CurrentMb();
        _epochs.Add((result, rss));
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"epoch {result.Epoch}/{_total} seconds={result.Seconds:F3} validation_rmse={result.ValidationRmse:F4} rss_mb={rss:F0}"));
        output.Flush();
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

        // The first epoch pays for allocator and JIT warm-up; the steady state is what later epochs cost.
        var steady = _epochs.Skip(1).ToArray();
        double mean = steady.Average(e => e.Result.Seconds);
        double growth = steady[^1].RssMb - steady[0].RssMb;
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"# epochs 2-{_epochs.Count}: min {steady.Min(e => e.Result.Seconds):F3} s; " +
            $"RSS after epoch 2 {steady[0].RssMb:F0} MB, after epoch {_epochs.Count} {steady[^1].RssMb:F0} MB (growth {growth:F0} MB); peak RSS {ProcessMemory.PeakMb():F0} MB"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"mean s/epoch: {mean:F3}"));
        output.Flush();
    }
}
