using AutoRec.Training.Composite;
using AutoRec.Training.Configuration;
using AutoRec.Training.Data;
using AutoRec.Training.Training;

namespace AutoRec.Training.Cli;

/// <summary>
/// Checks a config's memory need against the machine before anything is allocated: a typo such as
/// <c>layers: [1000000000]</c> is then a located config error, not an allocation failure deep inside libtorch.
/// </summary>
public static class MemoryBudget
{
    // Each parameter lives as the parameter, its gradient, Adam's two moments, the best-epoch snapshot and the
    // checkpoint's serialised copies: about eight float copies.
    private const long CopiesPerParameter = 8;

    // The dense training matrix, its predictions, a batch's input and the evaluation buffers.
    private const long CopiesOfTheMatrix = 3;

    // The sparse path instead holds each rating a few times: as read, located, in sparse rows (and as targets).
    private const long BytesPerRating = 48;

    // And per batch row, a few float buffers per hidden unit (activations, gradients, partial sums).
    private const long BatchBuffersPerUnit = 6;

    // L-BFGS keeps more: ten correction pairs, the gradients of the line search's bracket, the direction, the start
    // point and the previous gradient, and on the sparse path the effective weights, their gradients and the kernels.
    private const long LbfgsCopiesPerParameter = 30;

    /// <summary>
    /// Bytes a run of <paramref name="config"/> on <paramref name="data"/> needs on <paramref name="path"/> (by default
    /// the path <see cref="TrainingPath.Choose"/> picks), roughly (an underestimate).
    /// </summary>
    public static long Estimate(ModelConfig config, TrainingData data, TrainingPathKind? path = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(data);
        if (config.Towers is not null)
        {
            // Towers train one after another, the ones done kept (and copied once more into the blend): the largest
            // tower's run and two copies of every tower's parameters.
            double kept = config.Towers.Sum(tower => Parameters(EnsembleTrainer.MergedConfig(tower), data)) * 2 * sizeof(float);
            return (long)Math.Min(long.MaxValue, config.Towers.Max(tower => Estimate(tower, data)) + kept);
        }

        long copies = config.Optimizer == OptimizerKind.Lbfgs ? LbfgsCopiesPerParameter : CopiesPerParameter;
        double bytes = Parameters(config, data) * copies * sizeof(float);
        TrainingPathKind kind = path ?? TrainingPath.Choose(config).Kind;
        if (kind is not (TrainingPathKind.Sparse or TrainingPathKind.SparseFullBatch))
        {
            bytes += (double)data.RowCount * data.ColumnCount * CopiesOfTheMatrix * sizeof(float);
        }
        else
        {
            // The full-batch path's one batch holds every row.
            int batchRows = kind == TrainingPathKind.SparseFullBatch ? data.RowCount : Math.Max(config.BatchSize, 256);
            bytes += (double)(data.TrainRatings.Length + data.Validation.Length + data.Test.Length) * BytesPerRating;
            bytes += (double)batchRows * config.Layers.Sum(l => (double)l) * BatchBuffersPerUnit * sizeof(float);
        }

        return bytes >= long.MaxValue ? long.MaxValue : (long)bytes;
    }

    private static double Parameters(ModelConfig config, TrainingData data)
    {
        long[] sizes = [data.ColumnCount + (data.Side?.Width ?? 0), .. config.Layers.Select(l => (long)l), data.ColumnCount];
        double parameters = 0;
        for (int i = 0; i + 1 < sizes.Length; i++)
        {
            parameters += ((double)sizes[i] * sizes[i + 1]) + sizes[i + 1];
        }

        return parameters;
    }

    /// <summary>Throws when the estimate exceeds the memory this process may use.</summary>
    /// <exception cref="ConfigException">The config cannot fit, located at its <c>layers</c> line.</exception>
    public static void Check(ModelConfig config, TrainingData data, string configPath, TrainingPathKind? path = null, long? availableBytes = null)
    {
        long need = Estimate(config, data, path);
        long available = availableBytes ?? GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        if (need > available)
        {
            throw new ConfigException(
                configPath, LineOf(configPath, "\"layers\""),
                $"layers {config.DescribeLayers()} on {data.RowCount:N0} x {data.ColumnCount:N0} need about {Gigabytes(need)} of memory; this machine offers {Gigabytes(available)}");
        }
    }

    private static string Gigabytes(long bytes) => $"{bytes / 1e9:N1} GB";

    private static int LineOf(string path, string text)
    {
        try
        {
            int line = 0;
            foreach (string content in File.ReadLines(path))
            {
                line++;
                if (content.Contains(text, StringComparison.Ordinal))
                {
                    return line;
                }
            }
        }
        catch (IOException)
        {
            // Located by file only.
        }

        return 0;
    }
}
