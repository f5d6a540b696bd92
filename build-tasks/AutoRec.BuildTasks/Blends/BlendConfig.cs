using System.Text.Json;
using System.Text.Json.Nodes;
using AutoRec.Contracts;

namespace AutoRec.BuildTasks.Blends;

/// <summary>
/// A blend config: a JSON file (with comments) given as the pipeline's <c>ModelConfig</c> whose top level has a
/// <c>blend</c> array of members, each a name, the path of its own model config (relative to this file) and optionally
/// the gate its own model must pass (<c>max_test_rmse</c>, or <c>max_test_rmse_margin</c> above the pipeline's
/// <c>MaxTestRmse</c>, so that one config fits every dataset; the pipeline's <c>MaxTestRmse</c> otherwise). It is not a
/// model config itself: the pipeline trains, exports and validates each member as a pipeline of its own, then fits
/// and validates the blend.
/// </summary>
/// <param name="Name">The config's <c>name</c>, or its file name.</param>
/// <param name="Members">The members, in order.</param>
/// <param name="SupportPowers">The config's <c>support_powers</c> (0 to <see cref="BlendSupport.MaxPower"/>, 0 when absent): 0 for one weight per member, else weights that vary with powers 1 to this of the user's and the movie's support.</param>
internal sealed record BlendConfig(string Name, IReadOnlyList<BlendConfigMember> Members, int SupportPowers = 0)
{
    private static readonly JsonDocumentOptions Options = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary>The blend config at <paramref name="path"/>, or null when the file is a plain model config (no <c>blend</c> key).</summary>
    /// <exception cref="BlendConfigException">The file is not JSON, or its <c>blend</c> is malformed.</exception>
    public static BlendConfig? Read(string path)
    {
        if (ParseTop(path) is not JsonObject top || !top.TryGetPropertyValue("blend", out JsonNode? blend))
        {
            return null;
        }

        if (blend is not JsonArray array || array.Count < 2)
        {
            throw new BlendConfigException(path, 0, "\"blend\" must be an array of at least two members ({ \"name\": ..., \"config\": ... })");
        }

        string folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var members = new List<BlendConfigMember>(array.Count);
        foreach (JsonNode? node in array)
        {
            int index = members.Count + 1;
            if (node is not JsonObject member
                || member["name"]?.GetValueKind() != JsonValueKind.String || member["config"]?.GetValueKind() != JsonValueKind.String)
            {
                throw new BlendConfigException(path, 0, $"blend member {index} needs a \"name\" and a \"config\" (strings)");
            }

            string name = member["name"]!.GetValue<string>();
            if (name.Length == 0 || name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')) || name.StartsWith('.'))
            {
                throw new BlendConfigException(path, 0, $"blend member {index}: name '{name}' must be letters, digits, '-', '_' or '.' (it names the member's folder)");
            }

            // Case-insensitively: the names are folders, and some file systems do not tell "Item" from "item".
            if (members.Any(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase)))
            {
                throw new BlendConfigException(path, 0, $"blend member name '{name}' is used twice");
            }

            double? gate = GateOf(path, name, member, "max_test_rmse");
            double? margin = GateOf(path, name, member, "max_test_rmse_margin");
            if (gate is not null && margin is not null)
            {
                throw new BlendConfigException(path, 0, $"blend member '{name}': give max_test_rmse or max_test_rmse_margin, not both");
            }

            string config = Path.GetFullPath(Path.Combine(folder, member["config"]!.GetValue<string>()));
            if (!File.Exists(config))
            {
                throw new BlendConfigException(path, 0, $"blend member '{name}': its config {config} does not exist");
            }

            JsonObject? model = ParseTop(config) as JsonObject;
            if (model?.ContainsKey("blend") == true)
            {
                throw new BlendConfigException(path, 0, $"blend member '{name}': {config} is itself a blend; members are model configs");
            }

            // Checked now rather than after the member has trained: a blend passes no side features to its members.
            if (model?["side_information"]?.GetValueKind() == JsonValueKind.True)
            {
                throw new BlendConfigException(path, 0, $"blend member '{name}': {config} uses side information, which a blend does not pass on to its members");
            }

            members.Add(new BlendConfigMember(name, config, gate, margin));
        }

        string blendName = top["name"]?.GetValueKind() == JsonValueKind.String ? top["name"]!.GetValue<string>() : Path.GetFileNameWithoutExtension(path);
        int supportPowers = 0;
        if (top["support_powers"] is JsonNode powers)
        {
            if (powers.GetValueKind() != JsonValueKind.Number || !powers.AsValue().TryGetValue(out int value) || value is < 0 or > BlendSupport.MaxPower)
            {
                throw new BlendConfigException(path, 0, $"support_powers must be a whole number from 0 to {BlendSupport.MaxPower}");
            }

            supportPowers = value;
        }

        return new BlendConfig(blendName, members, supportPowers);
    }

    /// <summary>A member's gate key: absent, or a non-negative number.</summary>
    private static double? GateOf(string path, string name, JsonObject member, string key)
    {
        if (member[key] is not JsonNode value)
        {
            return null;
        }

        if (value.GetValueKind() != JsonValueKind.Number || !(value.GetValue<double>() >= 0))
        {
            throw new BlendConfigException(path, 0, $"blend member '{name}': {key} must be a non-negative number");
        }

        return value.GetValue<double>();
    }

    /// <summary>The JSON of <paramref name="path"/> (comments allowed); a syntax error is located at its line.</summary>
    private static JsonNode? ParseTop(string path)
    {
        try
        {
            return JsonNode.Parse(File.ReadAllText(path), documentOptions: Options);
        }
        catch (JsonException e)
        {
            throw new BlendConfigException(path, (int)(e.LineNumber ?? -1) + 1, $"not valid JSON: {e.Message}");
        }
    }
}

/// <summary>One member of a <see cref="BlendConfig"/>.</summary>
/// <param name="Name">Its name: the folder its pipeline writes (<c>members/NAME</c>) and its name in blend.json.</param>
/// <param name="Config">Its model config's full path.</param>
/// <param name="MaxTestRmse">The gate its own model must pass, when the blend config sets one.</param>
/// <param name="MaxTestRmseMargin">How far above the pipeline's <c>MaxTestRmse</c> its own gate is, when the blend config says so.</param>
internal sealed record BlendConfigMember(string Name, string Config, double? MaxTestRmse, double? MaxTestRmseMargin);

/// <summary>A blend config that cannot be used; reported as AR2010 at its file (and line, for JSON syntax errors).</summary>
internal sealed class BlendConfigException(string file, int line, string reason) : Exception($"{file}({line}): {reason}")
{
    /// <summary>The error code.</summary>
    public const string Code = "AR2010";

    /// <summary>The config file.</summary>
    public string File { get; } = file;

    /// <summary>The line, 0 when unknown.</summary>
    public int Line { get; } = line;

    /// <summary>What is wrong.</summary>
    public string Reason { get; } = reason;
}
