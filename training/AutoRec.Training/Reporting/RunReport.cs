using System.Globalization;
using System.Text;
using AutoRec.Training.Training;

namespace AutoRec.Training.Reporting;

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
