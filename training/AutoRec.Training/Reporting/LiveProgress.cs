using System.Globalization;
using AutoRec.Training.Training;
using Spectre.Console;

namespace AutoRec.Training.Reporting;

/// <summary>A live progress bar (epoch, ETA, current validation RMSE) for runs on a terminal.</summary>
public sealed class LiveProgress(ProgressContext context) : IProgressSink
{
    private ProgressTask? _task;

    /// <summary>Runs <paramref name="body"/> with a live progress display on the console.</summary>
    public static T Run<T>(Func<IProgressSink, T> body) =>
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(context => body(new LiveProgress(context)));

    /// <inheritdoc />
    public void Start(int epochs, int completed)
    {
        _task = context.AddTask("training", maxValue: epochs);
        _task.Value = completed;
    }

    /// <inheritdoc />
    public void Epoch(EpochResult result, int bestEpoch)
    {
        if (_task is null)
        {
            return;
        }

        _task.Description = string.Create(
            CultureInfo.InvariantCulture,
            $"epoch {result.Epoch}/{_task.MaxValue} val RMSE {result.ValidationRmse:F4} (best epoch {bestEpoch})");
        _task.Value = result.Epoch;
    }

    /// <inheritdoc />
    public void Message(string text) => AnsiConsole.MarkupLine(Markup.Escape(text));

    /// <inheritdoc />
    public void Finish()
    {
        if (_task is not null)
        {
            _task.Value = _task.MaxValue;
        }
    }
}
