namespace AutoRec.Training.Experiments;

/// <summary>The figure of a suite, drawn from its results (see <see cref="PlotSpec"/>).</summary>
public static class ExperimentPlots
{
    /// <summary>Draws the suite's figure as a PNG at <paramref name="path"/>.</summary>
    public static void Save(string path, ExperimentSuite suite, SuiteResults results)
    {
        ArgumentNullException.ThrowIfNull(suite);
        ArgumentNullException.ThrowIfNull(results);
        var plot = new ScottPlot.Plot();
        switch (suite.Plot.Kind)
        {
            case "sweep":
                Sweep(plot, suite, results);
                break;
            case "curves":
                LearningCurves(plot, suite, results);
                break;
            default:
                Rows(plot, results);
                break;
        }

        plot.Title($"{suite.Title} ({suite.SeedSection})");
        plot.ShowLegend(ScottPlot.Alignment.UpperRight);
        plot.SavePng(path, 1000, 600);
    }

    /// <summary>Per row: the seed's test RMSE, ours at the best epoch and ours at the last epoch.</summary>
    private static void Rows(ScottPlot.Plot plot, SuiteResults results)
    {
        double[] x = [.. Enumerable.Range(0, results.Runs.Count).Select(i => (double)i)];
        void Series(string label, Func<RunResult, double?> value, ScottPlot.MarkerShape shape)
        {
            var points = results.Runs.Select((r, i) => (X: (double)i, Y: value(r))).Where(p => p.Y is double y && double.IsFinite(y)).ToArray();
            if (points.Length == 0)
            {
                return;
            }

            var scatter = plot.Add.Scatter(points.Select(p => p.X).ToArray(), points.Select(p => p.Y!.Value).ToArray());
            scatter.LineWidth = 0;
            scatter.MarkerSize = 11;
            scatter.MarkerShape = shape;
            scatter.LegendText = label;
        }

        Series("seed report", r => r.Seed?.Test, ScottPlot.MarkerShape.OpenCircle);
        Series("ours, best validation epoch", r => r.TestRmseUserMean, ScottPlot.MarkerShape.FilledCircle);
        Series("ours, last epoch", r => r.LastEpochTestRmseUserMean, ScottPlot.MarkerShape.FilledTriangleUp);
        plot.Axes.Bottom.SetTicks(x, [.. results.Runs.Select(r => r.Label.Length > 28 ? r.Label[..27] + "…" : r.Label)]);
        plot.Axes.Bottom.TickLabelStyle.Rotation = 30;
        plot.Axes.Bottom.TickLabelStyle.Alignment = ScottPlot.Alignment.MiddleLeft;
        plot.Axes.Bottom.MinimumSize = 170;
        plot.Axes.Right.MinimumSize = 60;
        plot.YLabel("test RMSE (mean of per-user RMSEs)");
    }

    /// <summary>Test RMSE against each row's x, one line per series (and the seed's points where it gives them).</summary>
    private static void Sweep(ScottPlot.Plot plot, ExperimentSuite suite, SuiteResults results)
    {
        double X(RunResult r) => suite.Plot.LogX ? Math.Log10(r.X!.Value) : r.X!.Value;
        foreach (var series in results.Runs.Where(r => r.X is not null && (!suite.Plot.LogX || r.X > 0)).GroupBy(r => r.Series ?? ""))
        {
            RunResult[] rows = [.. series.OrderBy(r => r.X)];
            string name = series.Key.Length == 0 ? "" : $"{series.Key}: ";
            var best = plot.Add.Scatter(rows.Select(X).ToArray(), rows.Select(r => r.TestRmseUserMean).ToArray());
            best.LegendText = $"{name}ours, best validation epoch";
            var last = plot.Add.Scatter(rows.Select(X).ToArray(), rows.Select(r => r.LastEpochTestRmseUserMean).ToArray());
            last.LegendText = $"{name}ours, last epoch";
            last.LinePattern = ScottPlot.LinePattern.Dashed;
            RunResult[] seeded = [.. rows.Where(r => r.Seed?.Test is not null)];
            if (seeded.Length > 0)
            {
                var seed = plot.Add.Scatter(seeded.Select(X).ToArray(), seeded.Select(r => r.Seed!.Test!.Value).ToArray());
                seed.LineWidth = 0;
                seed.MarkerSize = 11;
                seed.MarkerShape = ScottPlot.MarkerShape.OpenCircle;
                seed.LegendText = $"{name}seed report";
            }
        }

        string label = suite.Plot.XLabel ?? "x";
        plot.XLabel(suite.Plot.LogX ? $"log10 {label}" : label);
        plot.YLabel("test RMSE (mean of per-user RMSEs)");
    }

    /// <summary>Train and validation RMSE per epoch of the runs the plot names (the seed's learning-curve figures).</summary>
    private static void LearningCurves(ScottPlot.Plot plot, ExperimentSuite suite, SuiteResults results)
    {
        var shown = new List<double>();
        foreach (string name in suite.Plot.Runs ?? [])
        {
            RunResult? run = results.Runs.FirstOrDefault(r => r.Name == name);
            if (run?.History is not { Validation.Count: > 0 } history)
            {
                continue;
            }

            double[] epochs = [.. Enumerable.Range(1, history.Validation.Count).Select(e => (double)e)];
            var validation = plot.Add.Scatter(epochs, history.ValidationUserMean.ToArray());
            validation.MarkerSize = 0;
            validation.LegendText = $"{run.Label}: validation (per-user mean)";
            var train = plot.Add.Scatter(epochs, history.Train.ToArray());
            train.MarkerSize = 0;
            train.LinePattern = ScottPlot.LinePattern.Dashed;
            train.Color = validation.Color;
            train.LegendText = $"{run.Label}: train (global)";

            // The first epochs start far above the rest: the axis shows where the runs differ.
            int skip = Math.Min(5, history.Validation.Count - 1);
            shown.AddRange(history.ValidationUserMean.Skip(skip).Concat(history.Train.Skip(skip)).Where(double.IsFinite));
        }

        if (shown.Count > 0)
        {
            plot.Axes.SetLimitsY(shown.Min() - 0.02, shown.Max() + 0.02);
        }

        plot.XLabel("epoch");
        plot.YLabel("RMSE");
    }
}
