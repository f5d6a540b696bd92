using AutoRec.Contracts;
using AutoRec.Onnx;
using AutoRec.Training.Configuration;
using AutoRec.Training.Data;
using static TorchSharp.torch;

namespace AutoRec.Training.Model;

/// <summary>
/// Turns a batch of raw rating rows (0 = unknown) into the network's input: training-time masking noise, the
/// default for unknown entries, input dropout, Gaussian noise, and side features appended. The same fill is
/// written into the ONNX graph, so training and serving agree.
/// </summary>
public sealed class InputPreparation
{
    private readonly ModelConfig _config;
    private readonly Tensor? _columnMeans;

    /// <summary>Prepares inputs for <paramref name="data"/> as <paramref name="config"/> says.</summary>
    public InputPreparation(ModelConfig config, TrainingData data)
    {
        _config = config;
        Fill = FillFor(config.Kind, config.Default);
        GlobalMean = data.GlobalMean;
        FillConstant = (float)config.DefaultValue;
        ColumnMeans = data.ColumnMeans;
        if (Fill == DefaultFill.ColumnMean)
        {
            _columnMeans = tensor(data.ColumnMeans).unsqueeze(0);
        }
    }

    /// <summary>The fill in matrix terms.</summary>
    public DefaultFill Fill { get; }

    /// <summary>The constant of <see cref="DefaultFill.Constant"/>.</summary>
    public float FillConstant { get; }

    /// <summary>The fallback of <see cref="DefaultFill.RowMean"/> for empty rows.</summary>
    public float GlobalMean { get; }

    /// <summary>The per-column values of <see cref="DefaultFill.ColumnMean"/>.</summary>
    public float[] ColumnMeans { get; }

    /// <summary>Maps the user/item default of a config to rows and columns: a user's mean is the row mean of a user-based matrix.</summary>
    public static DefaultFill FillFor(ModelKind kind, DefaultRating rating) => (kind, rating) switch
    {
        (_, DefaultRating.Zero) => DefaultFill.Zero,
        (_, DefaultRating.Constant) => DefaultFill.Constant,
        (ModelKind.UserBased, DefaultRating.UserMean) or (ModelKind.ItemBased, DefaultRating.ItemMean) => DefaultFill.RowMean,
        _ => DefaultFill.ColumnMean,
    };

    /// <summary>
    /// The input for <paramref name="ratings"/> [batch, columns]. With <paramref name="training"/> the configured
    /// noise is applied (drawn from torch's global generator).
    /// </summary>
    public Tensor Prepare(Tensor ratings, Tensor? side, bool training)
    {
        Tensor known = ratings.ne(0);
        Tensor visible = ratings;
        if (training && _config.MaskingNoise > 0)
        {
            // Hide observed ratings from the input only; the loss still sees them.
            Tensor keep = rand_like(ratings).ge(_config.MaskingNoise);
            known = known.logical_and(keep);
            visible = ratings * known;
        }

        Tensor x = Fill switch
        {
            DefaultFill.Zero => visible,
            DefaultFill.Constant => where(known, visible, FillConstant),
            DefaultFill.RowMean => where(known, visible, RowMeans(visible, known)),
            _ => where(known, visible, _columnMeans!),
        };

        if (training && _config.InputDropout > 0)
        {
            x = nn.functional.dropout(x, _config.InputDropout, true);
        }

        if (training && _config.GaussianNoise > 0)
        {
            x = x + (randn_like(x) * _config.GaussianNoise);
        }

        return side is null ? x : cat([x, side], 1);
    }

    private Tensor RowMeans(Tensor visible, Tensor known)
    {
        Tensor count = known.sum(1, keepdim: true, type: ScalarType.Float32);
        Tensor mean = visible.sum(1, keepdim: true) / count.clamp_min(1);
        return where(count.gt(0), mean, GlobalMean);
    }
}
