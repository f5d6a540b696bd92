using System.Text.Json;
using System.Text.Json.Serialization;
using AutoRec.Contracts;

namespace AutoRec.Training.Configuration;

/// <summary>The value an unknown rating takes in the network's input.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DefaultRating>))]
public enum DefaultRating
{
    /// <summary>0, the seed report's baseline.</summary>
    [JsonStringEnumMemberName("zero")]
    Zero,

    /// <summary><see cref="ModelConfig.DefaultValue"/>.</summary>
    [JsonStringEnumMemberName("constant")]
    Constant,

    /// <summary>The mean of the user's known ratings.</summary>
    [JsonStringEnumMemberName("user-mean")]
    UserMean,

    /// <summary>The mean of the item's training ratings.</summary>
    [JsonStringEnumMemberName("item-mean")]
    ItemMean,
}

/// <summary>How the reconstruction error is reduced over a batch.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<LossKind>))]
public enum LossKind
{
    /// <summary>Per row: squared error over observed entries divided by max(count, 1); then the mean over rows (the seed report).</summary>
    [JsonStringEnumMemberName("masked-mse")]
    MaskedMse,

    /// <summary>The sum of squared errors over observed entries of the batch (the AutoRec paper).</summary>
    [JsonStringEnumMemberName("masked-sse")]
    MaskedSse,
}

/// <summary>Where the output layer's biases start.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<OutputBiasStart>))]
public enum OutputBiasStart
{
    /// <summary>0, as every other bias (the seed report, the papers).</summary>
    [JsonStringEnumMemberName("zero")]
    Zero,

    /// <summary>
    /// The mean training rating, so the first prediction is the mean predictor's: Adam moves a bias by about one
    /// learning rate per step, and a short run on a large dataset (2 epochs of ML-20M shape: 196 steps at 1e-3) ends
    /// before a bias that starts at 0 reaches a mean of 3.5.
    /// </summary>
    [JsonStringEnumMemberName("mean")]
    Mean,
}

/// <summary>How the learning rate moves over the epochs (besides plateau decay).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<LearningRateSchedule>))]
public enum LearningRateSchedule
{
    /// <summary>Constant (unless <see cref="ModelConfig.LrDecayPatience"/> decays it on plateaus).</summary>
    [JsonStringEnumMemberName("constant")]
    Constant,

    /// <summary>Cosine annealing: epoch e of E trains at lr · (1 + cos(π (e − 1) / E)) / 2, from lr down towards 0.</summary>
    [JsonStringEnumMemberName("cosine")]
    Cosine,
}

/// <summary>How the parameters are fit.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<OptimizerKind>))]
public enum OptimizerKind
{
    /// <summary>Adam on mini-batches of rows (an epoch is a pass over the rows).</summary>
    [JsonStringEnumMemberName("adam")]
    Adam,

    /// <summary>
    /// Full-batch L-BFGS with a strong-Wolfe line search, as kernelNet (Muller et al. 2018) trains: an "epoch" is one
    /// L-BFGS iteration over the whole training matrix; <see cref="ModelConfig.LearningRate"/> is its initial step.
    /// </summary>
    [JsonStringEnumMemberName("lbfgs")]
    Lbfgs,
}

/// <summary>Everything that defines a model and how it is trained. Loaded from and saved as JSON.</summary>
public sealed record ModelConfig
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>A free-text name shown in logs and metadata.</summary>
    public string Name { get; init; } = "autorec";

    /// <summary>User-based or item-based.</summary>
    public ModelKind Kind { get; init; } = ModelKind.ItemBased;

    /// <summary>Hidden layer sizes, input side first; the middle one (index Count/2) is the latent layer.</summary>
    public IReadOnlyList<int> Layers { get; init; } = [500];

    /// <summary>Activation of every hidden layer, or one per layer in <see cref="HiddenActivations"/>.</summary>
    public Activation HiddenActivation { get; init; } = Activation.Sigmoid;

    /// <summary>Per-layer activations; overrides <see cref="HiddenActivation"/> when given.</summary>
    public IReadOnlyList<Activation>? HiddenActivations { get; init; }

    /// <summary>Activation of the output layer.</summary>
    public Activation OutputActivation { get; init; } = Activation.Identity;

    /// <summary>Dropout rate after the latent layer.</summary>
    public double Dropout { get; init; }

    /// <summary>Whether decoder weights are the transposed encoder weights (needs mirror-symmetric layers).</summary>
    public bool TiedWeights { get; init; }

    /// <summary>L2 coefficient on encoder kernels (up to and including the latent layer): loss += l2 * sum(W^2).</summary>
    public double L2Encoder { get; init; }

    /// <summary>L2 coefficient on decoder kernels (after the latent layer, and the output).</summary>
    public double L2Decoder { get; init; }

    /// <summary>The value unknown ratings take in the input.</summary>
    public DefaultRating Default { get; init; } = DefaultRating.Zero;

    /// <summary>The constant for <see cref="DefaultRating.Constant"/>.</summary>
    public double DefaultValue { get; init; } = 3;

    /// <summary>Standard deviation of Gaussian noise added to the whole input while training.</summary>
    public double GaussianNoise { get; init; }

    /// <summary>Dropout rate on the whole input while training.</summary>
    public double InputDropout { get; init; }

    /// <summary>Probability of hiding each observed rating from the input while training (the loss keeps it).</summary>
    public double MaskingNoise { get; init; }

    /// <summary>Kuchaiev and Ginsburg's dense re-feeding: a second update on the model's own dense output.</summary>
    public bool DenseRefeeding { get; init; }

    /// <summary>Append one-hot side information (user gender/age/occupation; item genres) to the input.</summary>
    public bool SideInformation { get; init; }

    /// <summary>Loss reduction.</summary>
    public LossKind Loss { get; init; } = LossKind.MaskedMse;

    /// <summary>Adam's learning rate.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Rows per batch.</summary>
    public int BatchSize { get; init; } = 256;

    /// <summary>The most epochs to train.</summary>
    public int Epochs { get; init; } = 500;

    /// <summary>Stop after this many epochs without a better validation RMSE; 0 trains all epochs.</summary>
    public int Patience { get; init; }

    /// <summary>Multiply the learning rate by this factor after <see cref="LrDecayPatience"/> epochs without a better validation RMSE.</summary>
    public double LrDecayFactor { get; init; } = 0.5;

    /// <summary>Epochs without improvement before the learning rate decays; 0 keeps it constant.</summary>
    public int LrDecayPatience { get; init; }

    /// <summary>
    /// The learning-rate schedule over <see cref="Epochs"/>. Written only when not constant, so the JSON of every
    /// config that predates it (and the experiment results keyed by it) stays the same.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public LearningRateSchedule LrSchedule { get; init; }

    /// <summary>
    /// Train this many copies (seeds <see cref="Seed"/>, Seed + 1, ...), each selected on validation, and ship their
    /// mean as one network: hidden layers side by side (block-diagonal weights), the output layer's weights divided
    /// by the count. Exact for an identity output. 0 or 1: one model. Written only when set.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int Ensemble { get; init; }

    /// <summary>
    /// A blend of towers: each of these configs is trained as it says (an ensemble of seeds too), a least-squares blend of
    /// their predictions (intercept and one weight per tower) is fit on validation, and the weights are folded into
    /// the towers' output layers, so the shipped network is the sum of its towers: one graph whose towers read the
    /// same input and whose codes are concatenated before one output layer. Every tower has this config's kind and
    /// default, an identity output and no side information. The other fields of this config describe the model to
    /// readers of the file (e.g. the fold-in prior of the inference library), not its training. Written only when set.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<ModelConfig>? Towers { get; init; }

    /// <summary>Where the output layer's biases start (identity outputs only). Written only when not zero.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public OutputBiasStart OutputBias { get; init; }

    /// <summary>The optimizer. Written only when not Adam.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public OptimizerKind Optimizer { get; init; }

    /// <summary>
    /// kernelNet's kernel layers (Muller et al. 2018): with d &gt; 0, each weight matrix is multiplied elementwise by
    /// max(0, 1 − |u_i − v_j|²), where every input i and output j of the layer has a learned d-dimensional vector.
    /// The product is an ordinary weight matrix, so the exported model is a plain autoencoder. Written only when set.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int KernelDimensions { get; init; }

    /// <summary>The penalty on the kernels: loss += kernel_l2 · Σ kernel² (kernelNet's λ_s). Written only when set.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public double KernelL2 { get; init; }

    /// <summary>The learning rate of <paramref name="epoch"/> (1-based) under <see cref="LrSchedule"/>, before any plateau decay.</summary>
    public double ScheduledLearningRate(int epoch) => LrSchedule == LearningRateSchedule.Cosine
        ? LearningRate * 0.5 * (1 + Math.Cos(Math.PI * (epoch - 1) / Epochs))
        : LearningRate;

    /// <summary>Seed of initialisation, shuffling and noise: a CPU run with the same seed repeats its metrics.</summary>
    public long Seed { get; init; } = 42;

    /// <summary>Intra-op threads for libtorch; 0 keeps libtorch's default (one per core).</summary>
    public int Threads { get; init; }

    /// <summary>The activation of hidden layer <paramref name="index"/>.</summary>
    public Activation ActivationOf(int index) => HiddenActivations?[index] ?? HiddenActivation;

    /// <summary>The architecture as logs show it: "[500] x 5" for an ensemble, each tower's for a blend of towers.</summary>
    public string DescribeLayers() => Towers is null
        ? $"[{string.Join(", ", Layers)}]{(Ensemble > 1 ? $" x {Ensemble}" : "")}"
        : $"blend of {Towers.Count} towers ({string.Join("; ", Towers.Select(t => $"{t.Name} {t.DescribeLayers()}"))})";

    /// <summary>Index of the latent (middle) layer in <see cref="Layers"/>.</summary>
    public int LatentIndex => Layers.Count / 2;

    /// <summary>Parses and validates a config.</summary>
    /// <exception cref="ConfigException">The JSON is malformed or a value is out of range.</exception>
    public static ModelConfig Parse(string json, string source)
    {
        ModelConfig? config;
        try
        {
            config = JsonSerializer.Deserialize<ModelConfig>(json, JsonOptions);
        }
        catch (JsonException e) when (e.Path == "$.blend")
        {
            throw new ConfigException(
                source, e.LineNumber is long l ? (int)l + 1 : 0,
                "this is a blend config (\"blend\" lists model configs): the pipeline builds it, each member then the blend " +
                $"(dotnet build -p:ModelConfig={source}); autorec-train trains one model config, such as a member's");
        }
        catch (JsonException e)
        {
            // Unknown activations land here too (their converter throws), located by line like syntax errors.
            int line = e.LineNumber is long l ? (int)l + 1 : 0;
            throw new ConfigException(source, line, e.Message);
        }

        return (config ?? throw new ConfigException(source, 0, "the config is empty")).Validated(source);
    }

    /// <summary>Loads and validates a config file.</summary>
    public static ModelConfig Load(string path) =>
        File.Exists(path) ? Parse(File.ReadAllText(path), path) : throw new ConfigException(path, 0, "config file not found");

    /// <summary>This config as indented JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions) + "\n";

    private ModelConfig Validated(string source)
    {
        void Require(bool ok, string message)
        {
            if (!ok)
            {
                throw new ConfigException(source, 0, message);
            }
        }

        Require(Layers.Count > 0 && Layers.All(size => size > 0), "layers must be a non-empty list of positive sizes");
        Require(HiddenActivations is null || HiddenActivations.Count == Layers.Count, $"hidden_activations must have one entry per layer ({Layers.Count})");
        Require(Dropout is >= 0 and < 1, "dropout must be in [0, 1)");
        Require(InputDropout is >= 0 and < 1, "input_dropout must be in [0, 1)");
        Require(MaskingNoise is >= 0 and < 1, "masking_noise must be in [0, 1)");
        Require(GaussianNoise >= 0, "gaussian_noise must be >= 0");
        Require(L2Encoder >= 0 && L2Decoder >= 0, "l2_encoder and l2_decoder must be >= 0");
        Require(LearningRate > 0, "learning_rate must be > 0");
        Require(BatchSize > 0, "batch_size must be > 0");
        Require(Epochs > 0, "epochs must be > 0");
        Require(Patience >= 0, "patience must be >= 0");
        Require(LrDecayPatience >= 0, "lr_decay_patience must be >= 0");
        Require(LrDecayFactor is > 0 and <= 1, "lr_decay_factor must be in (0, 1]");
        Require(OutputBias == OutputBiasStart.Zero || OutputActivation == Activation.Identity, "output_bias mean needs an identity output_activation (a mean rating is not a sigmoid's output)");
        Require(LrSchedule == LearningRateSchedule.Constant || LrDecayPatience == 0, "lr_schedule cosine fixes the learning rate of every epoch: lr_decay_patience must be 0");
        Require(Threads >= 0, "threads must be >= 0");
        Require(!TiedWeights || Layers.SequenceEqual(Layers.Reverse()), "tied_weights needs mirror-symmetric layers, e.g. [500] or [512, 256, 512]");
        Require(Ensemble >= 0, "ensemble must be >= 0");
        Require(KernelDimensions >= 0 && KernelL2 >= 0, "kernel_dimensions and kernel_l2 must be >= 0");
        Require(KernelDimensions == 0 || !TiedWeights, "kernel layers cannot tie weights");
        Require(KernelDimensions == 0 || Ensemble <= 1, "kernel layers cannot be merged into an ensemble (blend kernel models as towers instead)");
        Require(
            Optimizer != OptimizerKind.Lbfgs || (Dropout == 0 && InputDropout == 0 && MaskingNoise == 0 && GaussianNoise == 0 && !DenseRefeeding),
            "lbfgs needs a deterministic loss: no dropout, input noise or dense re-feeding");
        Require(
            Optimizer != OptimizerKind.Lbfgs || (LrSchedule == LearningRateSchedule.Constant && LrDecayPatience == 0),
            "lbfgs takes no lr_schedule or lr_decay_patience (its line search sets each step)");
        Require(Ensemble <= 1 || (OutputActivation == Activation.Identity && !TiedWeights),
            "ensemble needs an identity output and untied weights (the mean of the members is then one network)");
        if (Towers is not null)
        {
            Require(Towers.Count >= 2, "towers must list at least two configs");
            Require(Ensemble <= 1 && !SideInformation, "a config with towers takes no ensemble (set it per tower) and no side_information");
            for (int t = 0; t < Towers.Count; t++)
            {
                ModelConfig tower = Towers[t].Validated($"{source} (tower {t + 1})");
                Require(tower.Towers is null, $"tower {t + 1} has towers of its own: towers do not nest");
                Require(tower.Kind == Kind && tower.Default == Default && tower.DefaultValue == DefaultValue,
                    $"tower {t + 1} must have the config's kind ({Kind}) and default: the towers read one input");
                Require(tower.OutputActivation == Activation.Identity && !tower.SideInformation && !tower.TiedWeights,
                    $"tower {t + 1} needs an identity output, untied weights and no side information (the blend is then one output layer)");
            }
        }

        return this;
    }
}

/// <summary>A config that cannot be used, located by file and line where known.</summary>
public sealed class ConfigException(string path, int line, string reason)
    : Exception(line > 0 ? $"{path}({line}): {reason}" : $"{path}: {reason}")
{
    /// <summary>The config file.</summary>
    public string FilePath { get; } = path;

    /// <summary>The 1-based line, or 0.</summary>
    public int Line { get; } = line;

    /// <summary>What is wrong.</summary>
    public string Reason { get; } = reason;
}
