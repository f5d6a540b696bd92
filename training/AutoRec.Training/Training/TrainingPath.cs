using AutoRec.Training.Configuration;

namespace AutoRec.Training.Training;

/// <summary>How a model is trained.</summary>
public enum TrainingPathKind
{
    /// <summary>TorchSharp on the dense rows × columns matrix: serves every config.</summary>
    Dense,

    /// <summary>Hand-written kernels on the observed ratings only (see <c>Sparse/</c>): same loss and gradients, far less work.</summary>
    Sparse,

    /// <summary>TorchSharp on the whole dense training matrix at once, one L-BFGS iteration per epoch (<see cref="Configuration.OptimizerKind.Lbfgs"/>).</summary>
    FullBatch,

    /// <summary>The hand-written kernels over every observed rating at once, one L-BFGS iteration per epoch: what <see cref="FullBatch"/> computes, far faster.</summary>
    SparseFullBatch,
}

/// <summary>The path a run takes and why.</summary>
/// <param name="Kind">The path.</param>
/// <param name="Reason">Why: what makes the config need the dense path, or that it does not.</param>
public sealed record TrainingPathChoice(TrainingPathKind Kind, string Reason)
{
    /// <summary>The log line that names the path and the reason.</summary>
    public string LogLine => $"training path: {Name} ({Reason})";

    /// <summary>"sparse", "dense", "full-batch" (dense) or "sparse full-batch".</summary>
    public string Name => Kind switch
    {
        TrainingPathKind.Sparse => "sparse",
        TrainingPathKind.FullBatch => "full-batch",
        TrainingPathKind.SparseFullBatch => "sparse full-batch",
        _ => "dense",
    };
}

/// <summary>
/// Chooses the training path of a config: the sparse path serves every config whose input is its observed ratings
/// plus a fill that is a fixed vector per row (zero, a constant, the row's or each column's mean), with masking noise,
/// dropout, input dropout on a zero fill (where it only drops observed ratings), Gaussian noise on every input (a
/// dense product per batch on the first layer only), side features, any depth and activation, both losses and L2;
/// with optimizer lbfgs, kernel layers too, full-batch. What changes unknown entries one by one, or ties weights, goes dense.
/// </summary>
public static class TrainingPath
{
    /// <summary>The path for <paramref name="config"/>.</summary>
    public static TrainingPathChoice Choose(ModelConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        string? dense = DenseReason(config);
        if (config.Optimizer == OptimizerKind.Lbfgs)
        {
            return dense is null
                ? new TrainingPathChoice(TrainingPathKind.SparseFullBatch, "optimizer lbfgs: one L-BFGS iteration over every observed rating per epoch")
                : new TrainingPathChoice(TrainingPathKind.FullBatch, $"optimizer lbfgs: one L-BFGS iteration over the whole matrix per epoch; the sparse path cannot serve {dense}");
        }

        return dense is null
            ? new TrainingPathChoice(TrainingPathKind.Sparse, "only the observed ratings are computed on")
            : new TrainingPathChoice(TrainingPathKind.Dense, $"the sparse path cannot serve {dense}");
    }

    /// <summary>
    /// The path <paramref name="requested"/> ("dense", "sparse" or "auto") for <paramref name="config"/>.
    /// </summary>
    /// <exception cref="UsageException">The name is unknown, or sparse was asked of a config it cannot serve.</exception>
    public static TrainingPathChoice Resolve(ModelConfig config, string requested)
    {
        TrainingPathChoice automatic = Choose(config);
        if (config.Optimizer == OptimizerKind.Lbfgs)
        {
            return requested switch
            {
                "auto" => automatic,
                "dense" => new TrainingPathChoice(TrainingPathKind.FullBatch, "--path dense, optimizer lbfgs"),
                "sparse" when automatic.Kind == TrainingPathKind.SparseFullBatch => new TrainingPathChoice(TrainingPathKind.SparseFullBatch, "--path sparse, optimizer lbfgs"),
                "sparse" => throw new UsageException($"--path sparse: {automatic.Reason}"),
                _ => throw new UsageException($"--path '{requested}' must be dense, sparse or auto"),
            };
        }

        return requested switch
        {
            "auto" => automatic,
            "dense" => new TrainingPathChoice(TrainingPathKind.Dense, "--path dense"),
            "sparse" when automatic.Kind == TrainingPathKind.Sparse => new TrainingPathChoice(TrainingPathKind.Sparse, "--path sparse"),
            "sparse" => throw new UsageException($"--path sparse: {automatic.Reason}"),
            _ => throw new UsageException($"--path '{requested}' must be dense, sparse or auto"),
        };
    }

    private static string? DenseReason(ModelConfig config)
    {
        if (config.TiedWeights)
        {
            return "tied_weights (the decoder shares the encoder's weights)";
        }

        if (config.InputDropout > 0 && config.Default != DefaultRating.Zero)
        {
            return "input_dropout > 0 with a non-zero default (it drops and rescales every input entry, unknown ones too)";
        }

        if (config.InputDropout > 0 && config.MaskingNoise > 0)
        {
            return "input_dropout and masking_noise together";
        }

        if (config.DenseRefeeding)
        {
            return "dense_refeeding (it trains on the model's dense output)";
        }

        if (config.KernelDimensions > 0 && config.Optimizer != OptimizerKind.Lbfgs)
        {
            return "kernel_dimensions > 0 with a minibatch optimizer (kernel layers are served full-batch, with lbfgs)";
        }

        return null;
    }
}
