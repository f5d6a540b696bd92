using System.Globalization;
using System.Text.Json;
using AutoRec.Contracts;
using AutoRec.Data;
using AutoRec.Inference;

namespace AutoRec.Serving.Models;

/// <summary>
/// How the served model was made, from the files the pipeline wrote beside it: its training configuration (from
/// the model file's own metadata), metrics.json, the split's split.json, the learning curve of history.csv and, for
/// a blend, its members and weights. Read once per generation; a file that is missing leaves its part empty.
/// </summary>
internal sealed record ModelCard(
    string File,
    long FileBytes,
    JsonElement? Config,
    RunMetrics? Metrics,
    SplitSummary? Split,
    LearningCurve? History,
    BlendManifest? Blend)
{
    /// <summary>Reads what there is of the card for <paramref name="served"/> in <paramref name="files"/>.</summary>
    /// <exception cref="JsonException">A file exists but is not what it should be.</exception>
    public static ModelCard Read(ModelFiles files, ServedFile served, RecommenderModel? model, BlendedModel? blend) => new(
        Path.GetRelativePath(files.Directory, served.Path),
        served.Bytes.LongLength,
        model is null ? null : JsonDocument.Parse(model.Metadata.ConfigJson).RootElement.Clone(),
        System.IO.File.Exists(files.Metrics) ? RunMetrics.Read(files.Metrics) : null,
        System.IO.File.Exists(files.Split) ? SplitSummary.Read(files.Split) : null,
        System.IO.File.Exists(files.History) ? LearningCurve.Read(files.History) : null,
        blend?.Manifest);
}

/// <summary>history.csv: one column of numbers per measure (epoch, train_rmse, validation_rmse, ...), one row per epoch.</summary>
internal sealed record LearningCurve(IReadOnlyDictionary<string, double[]> Columns)
{
    /// <exception cref="FormatException">A row is not as wide as the header or holds something other than a number (file and line named).</exception>
    public static LearningCurve Read(string path)
    {
        string[] lines = System.IO.File.ReadAllLines(path);
        if (lines.Length == 0)
        {
            return new LearningCurve(new Dictionary<string, double[]>());
        }

        string[] header = lines[0].Split(',');
        double[][] columns = [.. header.Select(_ => new double[lines.Length - 1])];
        for (int row = 1; row < lines.Length; row++)
        {
            string[] cells = lines[row].Split(',');
            if (cells.Length != header.Length)
            {
                throw new FormatException($"{path}({row + 1}): {cells.Length} cells where the header has {header.Length}");
            }

            for (int column = 0; column < cells.Length; column++)
            {
                if (!double.TryParse(cells[column], NumberStyles.Float, CultureInfo.InvariantCulture, out columns[column][row - 1]))
                {
                    throw new FormatException($"{path}({row + 1}): '{cells[column]}' in column {header[column]} is not a number");
                }
            }
        }

        return new LearningCurve(header.Select((name, i) => (name, i)).ToDictionary(p => p.name, p => columns[p.i]));
    }
}
