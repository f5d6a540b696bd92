using System.Text.RegularExpressions;

namespace AutoRec.Serving.Tests;

/// <summary>
/// The web app end to end: serving/web/tests/app.test.mjs drives headless Chromium (Debian's chromium through npm's
/// playwright-core) against the real service, started as its own process on <see cref="WebAppFolder"/>'s model with
/// an API key. Needs node, npm and chromium: without them the test is reported as skipped on a developer machine
/// and fails in CI (CI set), where the browser tests must run. Screenshots go to artifacts/screenshots/.
/// </summary>
public sealed class BrowserTests
{
    [SkippableFact]
    [Trait("Category", "Browser")]
    public void WebAppPassesItsBrowserTests()
    {
        string? node = NodeTools.FindOnPath("node");
        string? npm = NodeTools.FindOnPath("npm");
        string? chromium = Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } given ? given
            : NodeTools.FindOnPath("chromium") ?? NodeTools.FindOnPath("chromium-browser") ?? NodeTools.FindOnPath("google-chrome");
        if (node is null || npm is null || chromium is null)
        {
            string missing = string.Join(", ", new[] { ("node", node), ("npm", npm), ("chromium", chromium) }.Where(t => t.Item2 is null).Select(t => t.Item1));
            Assert.False(NodeTools.InCi(), $"CI is set but {missing} is not on PATH: .ci/run installs them so that the web app is tested");
            throw new SkipException($"{missing} not on PATH: the web app's browser tests are not run");
        }

        string root = RepositoryRoot();
        string web = Path.Combine(root, "serving", "web");
        NodeTools.EnsureInstalled(npm, web);
        using var folder = new WebAppFolder();
        string screenshots = Path.Combine(root, "artifacts", "screenshots");
        Directory.CreateDirectory(screenshots);

        (int exit, string output, string error) = NodeTools.Run(node, web, ["--test", "--test-reporter=spec", "tests/"], new Dictionary<string, string>
        {
            ["AUTOREC_SERVICE"] = Path.Combine(AppContext.BaseDirectory, "AutoRec.Serving.dll"),
            ["AUTOREC_DOTNET"] = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet",
            ["AUTOREC_MODEL_DIR"] = folder.ModelDirectory,
            ["AUTOREC_RESULTS_DIR"] = folder.ResultsDirectory,
            ["AUTOREC_FIGURES_DIR"] = folder.FiguresDirectory,
            ["CHROMIUM_PATH"] = chromium,
            ["SCREENSHOTS"] = screenshots,
        }, TimeSpan.FromMinutes(5));

        Assert.True(exit == 0, $"the browser tests failed ({exit}):\n{output}\n{error}");
        // node's spec reporter closes with "ℹ tests 9", "ℹ pass 9", "ℹ fail 0": every test ran and none failed.
        Assert.Matches(@"(?m)^ℹ fail 0$", output);
        Assert.Matches(@"(?m)^ℹ pass [1-9]\d*$", output);
        Assert.Equal(Regex.Match(output, @"(?m)^ℹ tests (\d+)$").Groups[1].Value, Regex.Match(output, @"(?m)^ℹ pass (\d+)$").Groups[1].Value);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Pipeline.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"Pipeline.sln not found above {AppContext.BaseDirectory}");
    }
}
