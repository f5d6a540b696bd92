using System.Text.RegularExpressions;

namespace AutoRec.Training.Tests;

/// <summary>
/// The trainer's folders are layers in one assembly (docs/architecture.md): each namespace may use its own layer and
/// those below it, never one above, so the kernels and the training loop read without the experiment runner or the
/// command line, and the runner without the command line.
/// </summary>
public sealed partial class LayeringTests
{
    // Lowest first. The root namespace (model files, the tools' exceptions) sits with the trainer.
    private static readonly Dictionary<string, int> Layers = new(StringComparer.Ordinal)
    {
        ["Configuration"] = 0,
        ["Data"] = 0,
        ["Model"] = 1,
        ["Optimization"] = 1,
        [""] = 2,
        ["Training"] = 2,
        ["Sparse"] = 2,
        ["Reporting"] = 2,
        ["Composite"] = 3,
        ["Baselines"] = 3,
        ["Experiments"] = 4,
        ["Cli"] = 5,
    };

    [GeneratedRegex(@"\bAutoRec\.Training(?:\.(?<name>[A-Z][A-Za-z]*))?\b")]
    private static partial Regex NamespaceUse();

    [Fact]
    public void NoNamespaceOfTheTrainerUsesOneAboveIt()
    {
        string project = Path.Combine(RepositoryRoot(), "training", "AutoRec.Training");
        string[] sources = Directory.EnumerateFiles(project, "*.cs", SearchOption.AllDirectories)
            .Where(path => !IsBuildOutput(Path.GetRelativePath(project, path)))
            .ToArray();
        Assert.True(sources.Length > 50, $"found only {sources.Length} sources under {project}");

        var violations = new List<string>();
        foreach (string path in sources)
        {
            string text = File.ReadAllText(path);
            string own = NamespaceOf(text);
            Assert.True(Layers.TryGetValue(own, out int ownLayer), $"{path}: namespace AutoRec.Training.{own} has no layer here");
            foreach (Match use in NamespaceUse().Matches(text))
            {
                string used = use.Groups["name"].Value;
                if (Layers.TryGetValue(used, out int usedLayer) && usedLayer > ownLayer)
                {
                    int line = text.AsSpan(0, use.Index).Count('\n') + 1;
                    violations.Add($"{Path.GetRelativePath(project, path)}({line}): {DisplayName(own)} uses {DisplayName(used)}");
                }
            }
        }

        Assert.True(violations.Count == 0, string.Join('\n', violations));
    }

    [Fact]
    public void TheCheckSeesAUseOfAHigherLayer()
    {
        // The rule itself, on a sample: a training-loop file that reaches for the experiment runner.
        const string sample = "using AutoRec.Training.Experiments;\n\nnamespace AutoRec.Training.Training;\n";
        Assert.Equal("Training", NamespaceOf(sample));
        Assert.Contains(NamespaceUse().Matches(sample), m => Layers[m.Groups["name"].Value] > Layers["Training"]);
    }

    private static string NamespaceOf(string text)
    {
        Match match = Regex.Match(text, @"^namespace AutoRec\.Training(?:\.(?<name>[A-Za-z]+))?;", RegexOptions.Multiline);
        return match.Success ? match.Groups["name"].Value : "Cli"; // top-level statements: Program.cs, the CLI
    }

    private static string DisplayName(string name) => name.Length == 0 ? "AutoRec.Training" : $"AutoRec.Training.{name}";

    private static bool IsBuildOutput(string relative) =>
        relative.StartsWith("bin" + Path.DirectorySeparatorChar, StringComparison.Ordinal) ||
        relative.StartsWith("obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    private static string RepositoryRoot()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "Pipeline.sln")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        return dir ?? throw new InvalidOperationException($"no Pipeline.sln above {AppContext.BaseDirectory}");
    }
}
