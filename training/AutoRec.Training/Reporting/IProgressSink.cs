using AutoRec.Training.Training;

namespace AutoRec.Training.Reporting;

/// <summary>Receives a run's progress: a live bar on a terminal, plain lines when redirected.</summary>
public interface IProgressSink
{
    /// <summary>Training starts (or resumes after <paramref name="completed"/> epochs).</summary>
    void Start(int epochs, int completed);

    /// <summary>An epoch finished.</summary>
    void Epoch(EpochResult result, int bestEpoch);

    /// <summary>A note for the log.</summary>
    void Message(string text);

    /// <summary>Training ended.</summary>
    void Finish();
}
