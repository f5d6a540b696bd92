using System.Globalization;
using AutoRec.Training.Reporting;
using AutoRec.Training.Training;

namespace AutoRec.Training.Experiments;

/// <summary>
/// Progress of a suite, one line per epoch every <c>every</c> epochs (and the last), prefixed with the suite, the
/// run and part, and which of how many: <c>[activations 3/9 elu-elu] epoch 120/500 validation_rmse=0.9345 best=118 (0.16 s/epoch)</c>.
/// </summary>
public sealed class RunProgress(TextWriter output, string prefix, int every) : IProgressSink
{
    private int _epochs;

    /// <inheritdoc />
    public void Start(int epochs, int completed)
    {
        _epochs = epochs;
        if (completed > 0)
        {
            Message($"resuming after epoch {completed} of {epochs}");
        }
    }

    /// <inheritdoc />
    public void Epoch(EpochResult result, int bestEpoch)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Epoch % every == 0 || result.Epoch == _epochs || result.Epoch == 1)
        {
            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"[{prefix}] epoch {result.Epoch}/{_epochs} train_rmse={result.TrainRmse:F4} validation_rmse={result.ValidationRmse:F4} best={bestEpoch} ({result.Seconds:F2} s/epoch)"));
            output.Flush();
        }
    }

    /// <inheritdoc />
    public void Message(string text)
    {
        output.WriteLine($"[{prefix}] {text}");
        output.Flush();
    }

    /// <inheritdoc />
    public void Finish()
    {
    }
}
