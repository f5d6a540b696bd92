using System.Text.Json;
using AutoRec.Contracts;

namespace AutoRec.Inference.FoldIn;

/// <summary>
/// The ridge penalty a new user's decoder row gets when folded into an item-based model, derived from the training
/// config (<c>autorec.config</c>) so that the fold-in solves the same problem training solved for every user's row.
/// </summary>
/// <remarks>
/// <para>
/// Training adds <c>l2_decoder·‖W‖²</c> to every batch's loss, and an epoch visits each of the <c>rows</c> training
/// rows (movies) once in batches of <c>batch_size</c>. The stationary point of the epoch's expected gradient, for one
/// user's decoder row w and bias b, is therefore:
/// </para>
/// <list type="bullet">
/// <item><c>masked-sse</c> (the batch's sum of squared errors): Σ_m (w·c_m + b − r_m)² + λ‖w‖² with
/// λ = l2_decoder · ⌈rows / batch_size⌉ (the penalty counted once per batch); the default ML-1M model: 5 · ⌈3706/256⌉ = 75.</item>
/// <item><c>masked-mse</c> (per row, squared error / known count, then the mean over the batch's rows): Σ_m a_m (w·c_m + b − r_m)² + λ‖w‖²
/// with a_m = 1 / (known ratings of movie m + 1, the new user's) and λ = l2_decoder · rows: over an epoch a row's
/// expected weight 1/(its batch's size) is batches/rows, the penalty's weight is batches.</item>
/// </list>
/// <para>
/// <c>rows</c> is taken as the movies of the training ratings the recommender is given; training counted every
/// movie of the three splits (ML-1M: 3,706 against 3,676 in train.parquet, the same 15 batches of 256), which the
/// model file does not record. The bias is not regularised (training does not penalise biases). Missing config keys take training's defaults
/// (l2_decoder 0, loss masked-mse, batch_size 256). With l2_decoder 0 a floor of <see cref="MinimumLambda"/> keeps
/// the system solvable. Noise, dropout and re-feeding change what training optimises and are not modelled; neither
/// is a blend of towers, whose output blocks were trained with each tower's own penalty and then scaled by the
/// blend weights: its config's top-level keys give one λ for the whole row, an approximation.
/// </para>
/// </remarks>
internal sealed record FoldInPrior(double Lambda, bool WeightsByMovieCount)
{
    /// <summary>The smallest ridge used, so that the normal equations stay positive definite.</summary>
    public const double MinimumLambda = 1e-6;

    /// <summary>The prior of a model trained with <paramref name="configJson"/> on <paramref name="rows"/> movies.</summary>
    /// <exception cref="ModelFormatException">The config is not a JSON object, or a key has the wrong type (<see cref="ModelErrorCodes.BadMetadata"/>).</exception>
    public static FoldInPrior From(string configJson, int rows, string source)
    {
        double l2 = 0;
        bool meanPerRow = true;
        int batchSize = 256;
        try
        {
            using JsonDocument document = JsonDocument.Parse(
                configJson, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Bad(source, "is not a JSON object");
            }

            if (root.TryGetProperty("l2_decoder", out JsonElement l2Element))
            {
                l2 = l2Element.GetDouble();
            }

            if (root.TryGetProperty("loss", out JsonElement loss))
            {
                meanPerRow = loss.GetString() switch
                {
                    "masked-mse" => true,
                    "masked-sse" => false,
                    string other => throw Bad(source, $"has an unknown loss '{other}'"),
                    null => throw Bad(source, "has a null loss"),
                };
            }

            if (root.TryGetProperty("batch_size", out JsonElement batch))
            {
                batchSize = batch.GetInt32();
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw Bad(source, $"cannot be read: {e.Message}", e);
        }

        if (!(l2 >= 0) || !double.IsFinite(l2) || batchSize <= 0)
        {
            throw Bad(source, $"has l2_decoder {l2} and batch_size {batchSize}: expected l2_decoder >= 0 and batch_size > 0");
        }

        int batches = (Math.Max(rows, 1) + batchSize - 1) / batchSize;
        double lambda = meanPerRow ? l2 * Math.Max(rows, 1) : l2 * batches;
        return new FoldInPrior(Math.Max(lambda, MinimumLambda), meanPerRow);
    }

    private static ModelFormatException Bad(string source, string reason, Exception? inner = null) =>
        new(ModelErrorCodes.BadMetadata, source, $"metadata '{ModelMetadataKeys.Config}' {reason}", inner);
}
