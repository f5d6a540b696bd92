using System.Globalization;
using AutoRec.Training.Training;

namespace AutoRec.Training.Reporting;

/// <summary>
/// One line per epoch, for logs and for the MSBuild task that parses them:
/// <c>epoch 3/500 train_rmse=0.9123 validation_rmse=0.9345 seconds=1.02 best=3</c>.
/// </summary>
public sealed class PlainProgress(TextWriter output) : IProgressSink
{
    private int _epochs;

    /// <inheritdoc />
    public void Start(int epochs, int completed) => _epochs = epochs;

    /// <inheritdoc />
    public void Epoch(EpochResult result, int bestEpoch)
    {
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"epoch {result.Epoch}/{_epochs} train_rmse={result.TrainRmse:F4} validation_rmse={result.ValidationRmse:F4} seconds={result.Seconds:F2} best={bestEpoch}"));
        output.Flush();
    }

    /// <inheritdoc />
    public void Message(string text)
    {
        output.WriteLine(text);
        output.Flush();
    }

    /// <inheritdoc />
    public void Finish()
    {
    }
}
