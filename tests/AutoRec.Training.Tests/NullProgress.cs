using AutoRec.Training.Reporting;
using AutoRec.Training.Training;

namespace AutoRec.Training.Tests;

/// <summary>Records epochs; optionally cancels after a given epoch (to simulate an interrupted run).</summary>
internal sealed class RecordingProgress(CancellationTokenSource? cancelAfter = null, int cancelEpoch = int.MaxValue) : IProgressSink
{
    public List<EpochResult> Epochs { get; } = [];

    public List<string> Messages { get; } = [];

    public void Start(int epochs, int completed)
    {
    }

    public void Epoch(EpochResult result, int bestEpoch)
    {
        Epochs.Add(result);
        if (result.Epoch >= cancelEpoch)
        {
            cancelAfter?.Cancel();
        }
    }

    public void Message(string text) => Messages.Add(text);

    public void Finish()
    {
    }
}
