using System.Text.Json;
using System.Text.RegularExpressions;
using AutoRec.Serving.Configuration;
using Microsoft.Extensions.Options;

namespace AutoRec.Serving.Experiments;

/// <summary>
/// The experiment suites' results as the runner wrote them (<c>docs/results/&lt;suite&gt;.json</c>, with
/// <c>docs/experiments/&lt;suite&gt;.png</c>): read from disk on each request, so a suite that finishes shows up
/// without a restart, and never written.
/// </summary>
internal sealed partial class ExperimentResults(IOptions<ExperimentsOptions> options)
{
    private readonly string _results = Path.GetFullPath(options.Value.ResultsDirectory);
    private readonly string _figures = Path.GetFullPath(options.Value.FiguresDirectory);

    /// <summary>The suites' names, sorted; empty when the folder does not exist.</summary>
    public IReadOnlyList<string> Suites() =>
        Directory.Exists(_results)
            ? [.. Directory.EnumerateFiles(_results, "*.json").Select(Path.GetFileNameWithoutExtension).OfType<string>().Where(IsSuiteName).Order(StringComparer.Ordinal)]
            : [];

    /// <summary>Whether <paramref name="suite"/> is a name a results file may have (so no path can be made of it).</summary>
    public static bool IsSuiteName(string suite) => SuiteName().IsMatch(suite);

    /// <summary>The results file of <paramref name="suite"/>, parsed; null when there is none.</summary>
    /// <exception cref="JsonException">The file is not JSON (the message names it).</exception>
    public JsonDocument? Read(string suite)
    {
        string path = ResultsPath(suite);
        if (!IsSuiteName(suite) || !File.Exists(path))
        {
            return null;
        }

        try
        {
            return JsonDocument.Parse(File.ReadAllBytes(path));
        }
        catch (JsonException e)
        {
            throw new JsonException($"{path}({(e.LineNumber ?? 0) + 1}): {e.Message}", e);
        }
    }

    /// <summary>The figure of <paramref name="suite"/>, or null when it has none.</summary>
    public string? FigurePath(string suite)
    {
        string path = Path.Combine(_figures, suite + ".png");
        return IsSuiteName(suite) && File.Exists(path) ? path : null;
    }

    private string ResultsPath(string suite) => Path.Combine(_results, suite + ".json");

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]*$")]
    private static partial Regex SuiteName();
}
