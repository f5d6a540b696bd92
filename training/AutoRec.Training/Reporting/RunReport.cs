using System.Globalization;
using System.Text.Json.Serialization;
using System.Text.Json;
using System.Text;
using AutoRec.Data;
using AutoRec.Training.Training;

namespace AutoRec.Training.Reporting;

/// <summary>metrics.json: the numbers of a finished run.</summary>
public sealed record RunMetrics(
    [property: JsonPropertyName("test_rmse")] double TestRmse,
    [property: JsonPropertyName("test_rmse_user_mean")] double TestRmseUserMean,
    [property: JsonPropertyName("validation_rmse")] double ValidationRmse,
    [property: JsonPropertyName("validation_rmse_user_mean")] double ValidationRmseUserMean,
    [property: JsonPropertyName("train_rmse")] double TrainRmse,
    [property: JsonPropertyName("best_epoch")] int BestEpoch,
    [property: JsonPropertyName("epochs")] int Epochs,
    [property: JsonPropertyName("stopped_early")] bool StoppedEarly,
    [property: JsonPropertyName("train_seconds")] double TrainSeconds,
    [property: JsonPropertyName("seconds_per_epoch")] double SecondsPerEpoch,
    [property: JsonPropertyName("peak_rss_mb")] double PeakRssMb,
    [property: JsonPropertyName("test_ratings")] int TestRatings,
    [property: JsonPropertyName("parameters")] long Parameters)
{
    // NaN is written as "NaN": a split without validation or test ratings still gets its metrics.
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>As indented JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Options) + "\n";

    /// <summary>Reads metrics.json.</summary>
    public static RunMetrics Read(string path) =>
        JsonSerializer.Deserialize<RunMetrics>(File.ReadAllText(path), Options) ?? throw new InvalidDataException($"{path}: empty metrics");
}

/// <summary>Writes a run's history.csv and learning-curve.png.</summary>
public static class RunReport
{
    /// <summary>history.csv: one row per epoch.</summary>
    public static string HistoryCsv(IEnumerable<EpochResult> history)
    {
        var csv = new StringBuilder("epoch,train_loss,train_rmse,validation_rmse,validation_rmse_user_mean,seconds\n");
        foreach (EpochResult r in history)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{r.Epoch},{r.TrainLoss:R},{r.TrainRmse:R},{r.ValidationRmse:R},{r.ValidationRmseUserMean:R},{r.Seconds:F3}\n");
        }

        return csv.ToString();
    }

    /// <summary>Plots train and validation RMSE per epoch, marking the best epoch, as a PNG at <paramref name="path"/>.</summary>
    public static void SaveLearningCurve(string path, IReadOnlyList<EpochResult> history, int bestEpoch, string title)
    {
        var plot = new ScottPlot.Plot();
        double[] epochs = history.Select(r => (double)r.Epoch).ToArray();
        var train = plot.Add.Scatter(epochs, history.Select(r => r.TrainRmse).ToArray());
        train.LegendText = "train RMSE";
        train.MarkerSize = 0;
        var validation = plot.Add.Scatter(epochs, history.Select(r => r.ValidationRmse).ToArray());
        validation.LegendText = "validation RMSE";
        validation.MarkerSize = 0;
        if (bestEpoch > 0)
        {
            var best = plot.Add.VerticalLine(bestEpoch);
            best.LegendText = $"best epoch {bestEpoch}";
            best.LinePattern = ScottPlot.LinePattern.Dashed;
        }

        plot.Title(title);
        plot.XLabel("epoch");
        plot.YLabel("RMSE (global, clipped)");
        plot.ShowLegend(ScottPlot.Alignment.UpperRight);
        plot.SavePng(path, 900, 540);
    }
}
