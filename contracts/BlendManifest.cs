using System.Text.Json;
using System.Text.Json.Serialization;

namespace AutoRec.Contracts;

/// <summary>
/// blend.json: a served blend of several exported models (each a complete model file of its own) whose predictions
/// are combined as clip(intercept + Σ weight_k · prediction_k) on the rating scale. The pipeline writes it after
/// fitting the weights by least squares on the validation ratings (<see cref="Blending.FitLeastSquares"/>) of the
/// members' served predictions; the inference library serves it.
/// </summary>
/// <param name="Name">What the blend is called (its config's name).</param>
/// <param name="Intercept">The constant term.</param>
/// <param name="Members">The models and their weights, in the order the weights were fit.</param>
public sealed record BlendManifest(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("intercept")] double Intercept,
    [property: JsonPropertyName("members")] IReadOnlyList<BlendMember> Members)
{
    /// <summary>The file format of a plain blend (no <see cref="Support"/>).</summary>
    public const string CurrentFormat = "autorec-blend/1";

    /// <summary>The file format of a support-weighted blend: a reader of <see cref="CurrentFormat"/> alone would serve it wrong, so it says so.</summary>
    public const string SupportFormat = "autorec-blend/2";

    /// <summary>The file format: <see cref="CurrentFormat"/>, or <see cref="SupportFormat"/> with <see cref="Support"/>.</summary>
    [JsonPropertyName("format")]
    [JsonPropertyOrder(-1)]
    public string Format { get; init; } = CurrentFormat;

    /// <summary>The dataset the members were trained on.</summary>
    [JsonPropertyName("dataset")]
    public string Dataset { get; init; } = "";

    /// <summary>How many validation ratings the weights were fit on.</summary>
    [JsonPropertyName("validation_ratings")]
    public int ValidationRatings { get; init; }

    /// <summary>The blend's global RMSE on those ratings (clipped, as served).</summary>
    [JsonPropertyName("validation_rmse")]
    public double ValidationRmse { get; init; } = double.NaN;

    /// <summary>
    /// How the members were trained (<see cref="RunMetrics.ProtocolA"/> when absent). Under
    /// <see cref="RunMetrics.ProtocolRefit"/> the members are refits on train + validation and the weights, with
    /// <see cref="ValidationRatings"/> and <see cref="ValidationRmse"/>, are protocol A's fit, taken as they were.
    /// </summary>
    [JsonPropertyName("protocol")]
    public string? Protocol { get; init; }

    /// <summary>
    /// When the weights depend on the user's and the movie's number of ratings (<see cref="BlendSupport"/>); null for
    /// a plain blend, whose weights are the same for every prediction.
    /// </summary>
    [JsonPropertyName("support")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public BlendSupport? Support { get; init; }

    /// <summary>[intercept, w_1, ..., w_k]: the layout of <see cref="Blending"/>; with <see cref="Support"/>, the base term's.</summary>
    [JsonIgnore]
    public double[] Weights => [Intercept, .. Members.Select(m => m.Weight)];

    /// <summary>As indented JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, ReportJson.Options) + "\n";

    /// <summary>Parses and checks blend.json.</summary>
    /// <exception cref="JsonException">The text is not a blend manifest: malformed, another format, no member, a member without a name or model, a repeated name, a weight or the intercept not finite.</exception>
    public static BlendManifest Parse(string json)
    {
        BlendManifest manifest = ReportJson.Parse<BlendManifest>(json);
        manifest.Check();
        return manifest;
    }

    /// <summary>Reads blend.json (see <see cref="Parse"/>).</summary>
    /// <exception cref="JsonException">The file is not a blend manifest.</exception>
    public static BlendManifest Read(string path) => Parse(File.ReadAllText(path));

    /// <summary>
    /// Where <paramref name="member"/>'s model file is: its <see cref="BlendMember.Model"/> path taken from the folder of
    /// <paramref name="manifestPath"/> when relative, so that a blend's folder can move as a whole.
    /// </summary>
    public static string ModelPath(string manifestPath, BlendMember member)
    {
        ArgumentNullException.ThrowIfNull(member);
        string folder = Path.GetDirectoryName(Path.GetFullPath(manifestPath))!;
        return Path.GetFullPath(Path.Combine(folder, member.Model));
    }

    private void Check()
    {
        string expected = Support is null ? CurrentFormat : SupportFormat;
        if (Format != expected)
        {
            throw new JsonException(
                Format is CurrentFormat or SupportFormat
                    ? $"format '{Format}' is not {expected}: {SupportFormat} is a blend with \"support\", {CurrentFormat} one without"
                    : $"format '{Format}' is neither {CurrentFormat} nor {SupportFormat}");
        }

        if (Members.Count == 0)
        {
            throw new JsonException("a blend needs at least one member");
        }

        if (!double.IsFinite(Intercept))
        {
            throw new JsonException($"intercept {Intercept} is not a finite number");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < Members.Count; i++)
        {
            BlendMember? member = Members[i];
            if (member is null || string.IsNullOrWhiteSpace(member.Name) || string.IsNullOrWhiteSpace(member.Model))
            {
                throw new JsonException($"member {i + 1} needs a name and a model path");
            }

            if (!names.Add(member.Name))
            {
                throw new JsonException($"member name '{member.Name}' is used twice");
            }

            if (!double.IsFinite(member.Weight))
            {
                throw new JsonException($"member '{member.Name}': weight {member.Weight} is not a finite number");
            }
        }

        Support?.Check(Members.Count);
    }
}

/// <summary>One model of a <see cref="BlendManifest"/>.</summary>
/// <param name="Name">Its name in the blend (unique).</param>
/// <param name="Model">Its model file, relative to the manifest's folder or absolute.</param>
/// <param name="Weight">Its weight.</param>
public sealed record BlendMember(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("weight")] double Weight)
{
    /// <summary>
    /// The SHA-256 of the model file the weights were fit with (lower-case hex), when the manifest pins it: a reader
    /// refuses a member file that changed since (a member rebuilt without the blend being fit again).
    /// </summary>
    [JsonPropertyName("sha256")]
    public string? Sha256 { get; init; }

    /// <summary>The member's own global RMSE on the validation ratings the weights were fit on.</summary>
    [JsonPropertyName("validation_rmse")]
    public double ValidationRmse { get; init; } = double.NaN;
}
