using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using AutoRec.Data;
using AutoRec.Inference.Factors;
using AutoRec.Onnx;
using AutoRec.Training;
using AutoRec.Training.Configuration;
using AutoRec.Training.Data;
using AutoRec.Training.Model;
using AutoRec.Training.Reporting;
using static TorchSharp.torch;

namespace AutoRec.Export;

/// <summary>
/// Writes a trained model as model.onnx and checks it: the staged file is opened with the inference library and
/// must reproduce TorchSharp's predictions on the first <see cref="VerificationRows"/> rows of the training matrix
/// within <see cref="Tolerance"/>, or nothing is written.
/// </summary>
public static class Exporter
{
    /// <summary>Rows compared between ONNX Runtime and TorchSharp after export.</summary>
    public const int VerificationRows = 256;

    /// <summary>The fold-in graph written beside an item-based model.onnx (see <see cref="FoldInExport"/>).</summary>
    public const string FoldInFile = "foldin.onnx";

    /// <summary>The compact model as a network of its own (<see cref="CompactNetwork"/>), written beside compact.bin.</summary>
    public const string CompactGraphFile = "compact.onnx";

    /// <summary>Rows compared between compact.onnx (ONNX Runtime) and the library's compact factors.</summary>
    public const int CompactGraphRows = 32;

    /// <summary>The largest difference the export accepts.</summary>
    public const float Tolerance = 1e-4f;

    /// <summary>Exports the model in <paramref name="modelDir"/> to ONNX and checks it against TorchSharp.</summary>
    /// <returns>The largest absolute difference found.</returns>
    /// <exception cref="DataFormatException">The model files are missing (AR2102) or the split does not fit the model (AR2103).</exception>
    /// <exception cref="ExportMismatchException">ONNX Runtime and TorchSharp disagree by more than <see cref="Tolerance"/>.</exception>
    public static float Export(string modelDir, string dataDir, IProgressSink progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        var files = new ModelFiles(modelDir);
        using ModelFolderLock folder = ModelFolderLock.Acquire(modelDir, "autorec-export");
        ModelFolderLock.DeleteStaleTemporaryFiles(modelDir);
        foreach (string required in new[] { files.Config, files.Network, files.Weights })
        {
            if (!File.Exists(required))
            {
                throw new DataFormatException("AR2102", required, 0, "missing: train the model first (the train stage writes it)");
            }
        }

        string configJson = File.ReadAllText(files.Config);
        ModelConfig config = ModelConfig.Parse(configJson, files.Config);
        TrainedModelInfo info = TrainedModelInfo.Read(files.Network);
        using nn.Module<Tensor, Tensor> network = Networks.Create(config, info.InputWidth, info.ColumnIds.Length);
        try
        {
            network.load(files.Weights);
        }
        catch (Exception e) when (e is IOException or ArgumentException or InvalidOperationException or System.Runtime.InteropServices.ExternalException)
        {
            throw new CodedException("AR2102", $"cannot read the trained weights ({e.GetType().Name}: {e.Message}): train the model again", files.Weights);
        }

        network.eval();
        OnnxExportSpec spec = info.ExportSpec(config, configJson);

        // Compare on real rows: the first rows of the training matrix, as the model sees them when serving.
        TrainingData data = TrainingData.Load(dataDir, config);
        if (data.Kind != info.Kind || !data.ColumnIds.AsSpan().SequenceEqual(info.ColumnIds))
        {
            throw new DataFormatException(
                "AR2103", files.Network, 0,
                $"the split in {dataDir} does not match the trained model ({data.ColumnCount:N0} columns, the model has {info.ColumnIds.Length:N0}): train again on this split");
        }

        int rows = Math.Min(VerificationRows, data.RowCount);
        float[] ratings = data.DenseRows(0, rows);
        float[]? side = data.Side?.Rows.AsSpan(0, rows * data.Side.Width).ToArray();
        float[] expected = TorchReference.Predict(network, config, data, ratings, side, rows);

        string tolerance = Tolerance.ToString(CultureInfo.InvariantCulture);
        float difference;
        FoldInReport? foldIn;
        CompactReport? compact;
        using (var writes = new AtomicFiles())
        {
            string staged = writes.Stage(files.Onnx);
            AutoencoderWeights weights = Networks.ToWeights(network);
            OnnxModelBuilder.Write(OnnxModelBuilder.Build(weights, spec), staged);
            float[] actual = RuntimeCheck.Predict(staged, ratings, side);
            difference = RuntimeCheck.MaxAbsDifference(expected, actual);
            if (!(difference <= Tolerance))
            {
                throw new ExportMismatchException($"ONNX Runtime and TorchSharp differ by {difference:G3} on {rows} rows (at most {tolerance} allowed); model.onnx was not written");
            }

            // A model's compact factors, what the library serves it with (none where no rank saves anything), and the
            // compact model as a graph of its own for runtimes without this library, checked against the library on
            // the first rows of the check (the graph is the same arithmetic on every row).
            string compactPath = Path.Combine(modelDir, CompactBasis.FileName);
            string compactGraphPath = Path.Combine(modelDir, CompactGraphFile);
            string? stagedCompact = null;
            int graphRows = Math.Min(rows, CompactGraphRows);
            compact = CompactExport.Write(staged, dataDir, () => stagedCompact = writes.Stage(compactPath), basis =>
            {
                float[] outputBias = [.. weights.Layers[^1].Bias];
                float[] outputRows = basis.ProjectRows(weights.Layers[^1].Weight, outputBias);
                string stagedGraph = writes.Stage(compactGraphPath);
                OnnxModelBuilder.Write(OnnxModelBuilder.Build(CompactNetwork.Of(weights, basis.Mean, basis.Basis, basis.Rank, outputRows, outputBias), spec), stagedGraph);
                return (data.RowIds[..graphRows], RuntimeCheck.Predict(stagedGraph, ratings[..(graphRows * data.ColumnCount)], side?[..(graphRows * data.Side!.Width)]));
            });
            if (stagedCompact is null)
            {
                File.Delete(compactPath); // the basis of an earlier model would not belong to this one
                File.Delete(compactGraphPath);
            }
            else if (!(compact!.GraphMaxAbsDifference <= Tolerance))
            {
                throw new ExportMismatchException(
                    $"{CompactGraphFile} and the library's compact factors differ by {compact.GraphMaxAbsDifference:G3} on {graphRows} rows (at most {tolerance} allowed); nothing was written");
            }

            // An item-based model's fold-in as a graph of its own, for runtimes without this library; none otherwise.
            // It folds in over the codes the library serves (compact when there is a basis), so both agree.
            string foldInPath = Path.Combine(modelDir, FoldInFile);
            foldIn = FoldInExport.Write(staged, stagedCompact, Path.Combine(dataDir, "train.parquet"), () => writes.Stage(foldInPath));
            if (foldIn is not { Written: true })
            {
                File.Delete(foldInPath); // a fold-in of an earlier model would not belong to this one
            }

            File.WriteAllText(writes.Stage(files.ExportReport), new ExportReport(rows, difference, Tolerance, OnnxModelBuilder.Opset) { FoldIn = foldIn, Compact = compact }.ToJson());
            writes.Commit();
        }

        progress.Message($"exported {files.Onnx}: ONNX Runtime matches TorchSharp on {rows} rows (max abs difference {difference:G3}, tolerance {tolerance})");
        if (compact is not null)
        {
            progress.Message($"{CompactBasis.FileName}: {compact.Describe()}");
        }

        if (foldIn is { Written: false })
        {
            progress.Message(
                $"warning: {FoldInFile} not written: it differs from the library's fold-in by {foldIn.ShortMaxAbsDifference:G3} on profiles of at most {foldIn.Steps} ratings " +
                $"(tolerance {FoldInExport.Tolerance}; an ill-conditioned fold-in, e.g. l2_decoder 0); other runtimes cannot fold new users into this model");
        }
        else if (foldIn is not null)
        {
            progress.Message(
                $"exported {FoldInFile}: matches the library's fold-in within {foldIn.ShortMaxAbsDifference:G3} on {foldIn.ShortProfiles} profiles of at most {foldIn.Steps} ratings " +
                $"(tolerance {FoldInExport.Tolerance}); {foldIn.LongMaxAbsDifference:G3} on {foldIn.LongProfiles} longer ones (up to {foldIn.LongestRatings} ratings)");
        }
        return difference;
    }
}

/// <summary>export.json: what the export measured against TorchSharp.</summary>
/// <param name="RowsCompared">Rows run through both.</param>
/// <param name="MaxAbsDifference">The largest absolute difference between their predictions.</param>
/// <param name="Tolerance">The largest difference accepted.</param>
/// <param name="Opset">The ONNX opset of the model.</param>
public sealed record ExportReport(
    [property: JsonPropertyName("rows_compared")] int RowsCompared,
    [property: JsonPropertyName("max_abs_difference")] float MaxAbsDifference,
    [property: JsonPropertyName("tolerance")] float Tolerance,
    [property: JsonPropertyName("opset")] int Opset)
{
    /// <summary>What was measured of foldin.onnx, when the model has one.</summary>
    [JsonPropertyName("foldin")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public FoldInReport? FoldIn { get; init; }

    /// <summary>What was measured of the compact factors, when the model has codes to compact.</summary>
    [JsonPropertyName("compact")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public CompactReport? Compact { get; init; }

    /// <summary>As one line of JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this) + "\n";
}
