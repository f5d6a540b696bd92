using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using AutoRec.Data;
using AutoRec.Onnx;

namespace AutoRec.Inference.Tests;

/// <summary>
/// examples/node/top10.js prints the same top 10 as this library, and examples/node/evaluate.js the same test
/// RMSE as <see cref="ModelEvaluator"/>. Needs node and npm: without them the tests pass trivially on a
/// developer machine, but fail in CI (CI set), where the examples must be checked.
/// </summary>
public sealed partial class NodeExampleTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void NodeTop10EqualsLibraryTop10()
    {
        string? node = FindOnPath("node");
        string? npm = FindOnPath("npm");
        if (node is null || npm is null)
        {
            Assert.False(InCi(), "CI is set but node or npm is not on PATH: install Node.js so the example is checked");
            return; // xunit v2 has no dynamic skip: a developer without Node passes trivially
        }

        string example = Path.Combine(RepoRoot(), "examples", "node");
        EnsureDependencies(npm, example);
        TestModel written = TestModels.Write(_dir.Root, new ModelSpec { Ids = Enumerable.Range(1, 25).Select(i => i * 2).ToArray(), Hidden = [8], Seed = 12 });
        var ratings = new Dictionary<int, float> { [2] = 5f, [14] = 2f, [30] = 4f };

        (int exit, string output, string error) = Run(node, example, "top10.js", written.Path, "--ratings", "2:5,14:2,30:4");

        Assert.True(exit == 0, $"top10.js exited with {exit}: {error}");
        (int MovieId, float Score)[] printed = TopLine().Matches(output)
            .Select(m => (int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture), float.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture)))
            .ToArray();
        using RecommenderModel model = written.Open();
        IReadOnlyList<Recommendation> expected = model.Recommend(ratings, 10);
        Assert.Equal(expected.Select(r => r.MovieId), printed.Select(p => p.MovieId));
        Assert.Equal(expected.Select(r => r.Score), printed.Select(p => p.Score), Tolerance.Comparer);
    }

    [Fact]
    public void NodeExampleExplainsItemBasedModelsAndBadInput()
    {
        string? node = FindOnPath("node");
        string? npm = FindOnPath("npm");
        if (node is null || npm is null)
        {
            Assert.False(InCi(), "CI is set but node or npm is not on PATH: install Node.js so the example is checked");
            return;
        }

        string example = Path.Combine(RepoRoot(), "examples", "node");
        EnsureDependencies(npm, example);
        TestModel item = TestModels.Write(_dir.Root, new ModelSpec { Kind = ModelKind.ItemBased }, "item.onnx");
        TestModel user = TestModels.Write(_dir.Root, new ModelSpec(), "user.onnx");

        (int itemExit, _, string itemError) = Run(node, example, "top10.js", item.Path, "--ratings", "7:5");
        Assert.Equal(2, itemExit);
        Assert.Contains("item-based", itemError, StringComparison.Ordinal);

        (int unknownExit, _, string unknownError) = Run(node, example, "top10.js", user.Path, "--ratings", "42:5");
        Assert.Equal(1, unknownExit);
        Assert.Contains("movie 42", unknownError, StringComparison.Ordinal);

        (int scaleExit, _, string scaleError) = Run(node, example, "top10.js", user.Path, "--ratings", "7:9");
        Assert.Equal(1, scaleExit);
        Assert.Contains("off the scale", scaleError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ModelKind.UserBased, DefaultFill.RowMean)]
    [InlineData(ModelKind.ItemBased, DefaultFill.ColumnMean)]
    public void NodeEvaluateEqualsModelEvaluator(ModelKind kind, DefaultFill fill)
    {
        string? node = FindOnPath("node");
        string? npm = FindOnPath("npm");
        if (node is null || npm is null)
        {
            Assert.False(InCi(), "CI is set but node or npm is not on PATH: install Node.js so the example is checked");
            return;
        }

        string example = Path.Combine(RepoRoot(), "examples", "node");
        EnsureDependencies(npm, example);

        // Test ratings in more rows than evaluate.js's batch of 256; 12 columns with unsorted ids.
        bool userBased = kind == ModelKind.UserBased;
        int[] columns = [41, 3, 77, 12, 5, 60, 29, 8, 93, 17, 50, 2];
        int[] rowIds = Enumerable.Range(1, 600).Select(i => i * 3).ToArray();
        TestModel written = TestModels.Write(
            _dir.Root, new ModelSpec { Kind = kind, Ids = columns, Fill = fill, Hidden = [6], HiddenActivation = "tanh", Seed = 5 }, $"{kind}.onnx");
        var random = new Random(17);
        Rating[] all = rowIds.SelectMany(row => columns.Select(column => (row, column)))
            .Where(_ => random.Next(3) == 0)
            .Select(c => Cell(c.row, c.column, random.Next(2, 11) / 2f))
            .ToArray();
        Rating[] train = all.Where((_, i) => i % 4 != 0).ToArray();
        Rating[] test =
        [
            .. all.Where((_, i) => i % 4 == 0),
            Cell(5000, columns[0], 4f), // a row without training ratings: predicted from the model's default
            Cell(5000, 9999, 3f), // a column the model does not know: skipped
            Cell(rowIds[0], 8888, 2f), // skipped
        ];
        Assert.True(test.Select(r => userBased ? r.UserId : r.MovieId).Distinct().Count() > 256 * 1.5, "the test ratings should span two batches");
        string trainPath = _dir.PathOf($"{kind}-train.parquet");
        string testPath = _dir.PathOf($"{kind}-test.parquet");
        ParquetTables.WriteRatings(trainPath, train);
        ParquetTables.WriteRatings(testPath, test);

        (int exit, string output, string error) = Run(node, example, "evaluate.js", written.Path, trainPath, testPath);

        Assert.True(exit == 0, $"evaluate.js exited with {exit}: {error}");
        using JsonDocument printed = JsonDocument.Parse(output.Trim().Split('\n')[^1]);
        JsonElement result = printed.RootElement;
        using RecommenderModel model = written.Open();
        RmseResult expected = ModelEvaluator.Evaluate(model, trainPath, testPath);
        Assert.Equal(2, expected.Skipped);
        Assert.Equal(expected.Global, result.GetProperty("test_rmse").GetDouble(), 1e-5);
        Assert.Equal(expected.UserMean, result.GetProperty("test_rmse_user_mean").GetDouble(), 1e-5);
        Assert.Equal(expected.Count, result.GetProperty("test_ratings").GetInt32());
        Assert.Equal(expected.Skipped, result.GetProperty("skipped").GetInt32());
        Assert.Equal(userBased ? "user-based" : "item-based", result.GetProperty("kind").GetString());

        Rating Cell(int row, int column, float value) => userBased ? new Rating(row, column, value, 0) : new Rating(column, row, value, 0);
    }

    [Fact]
    public void NodeEvaluateExplainsSideFeaturesForeignDataAndEmptyTests()
    {
        string? node = FindOnPath("node");
        string? npm = FindOnPath("npm");
        if (node is null || npm is null)
        {
            Assert.False(InCi(), "CI is set but node or npm is not on PATH: install Node.js so the example is checked");
            return;
        }

        string example = Path.Combine(RepoRoot(), "examples", "node");
        EnsureDependencies(npm, example);
        TestModel side = TestModels.Write(_dir.Root, new ModelSpec { SideWidth = 2 }, "side.onnx");
        TestModel user = TestModels.Write(_dir.Root, new ModelSpec(), "user.onnx");
        string train = _dir.PathOf("train.parquet");
        string foreign = _dir.PathOf("foreign.parquet");
        string test = _dir.PathOf("test.parquet");
        string empty = _dir.PathOf("empty.parquet");
        ParquetTables.WriteRatings(train, [new Rating(1, 7, 4f, 0)]);
        ParquetTables.WriteRatings(foreign, [new Rating(1, 555, 4f, 0)]);
        ParquetTables.WriteRatings(test, [new Rating(1, 55, 3f, 0)]);
        ParquetTables.WriteRatings(empty, []);

        (int sideExit, _, string sideError) = Run(node, example, "evaluate.js", side.Path, train, test);
        Assert.Equal(2, sideExit);
        Assert.Contains("side features", sideError, StringComparison.Ordinal);

        (int foreignExit, _, string foreignError) = Run(node, example, "evaluate.js", user.Path, foreign, test);
        Assert.Equal(1, foreignExit);
        Assert.Contains("movie 555", foreignError, StringComparison.Ordinal);

        (int missingExit, _, string missingError) = Run(node, example, "evaluate.js", user.Path, train, _dir.PathOf("none.parquet"));
        Assert.Equal(1, missingExit);
        Assert.Contains("not found", missingError, StringComparison.Ordinal);

        // Nothing to score: both RMSEs null (ModelEvaluator's NaN), exit 0.
        (int emptyExit, string emptyOutput, string emptyError) = Run(node, example, "evaluate.js", user.Path, train, empty);
        Assert.True(emptyExit == 0, $"evaluate.js exited with {emptyExit}: {emptyError}");
        using JsonDocument printed = JsonDocument.Parse(emptyOutput.Trim());
        Assert.Equal(JsonValueKind.Null, printed.RootElement.GetProperty("test_rmse").ValueKind);
        Assert.Equal(JsonValueKind.Null, printed.RootElement.GetProperty("test_rmse_user_mean").ValueKind);
        Assert.Equal(0, printed.RootElement.GetProperty("test_ratings").GetInt32());
    }

    [GeneratedRegex(@"^\s*(\d+)\s+(-?\d+)\s+([0-9.]+)\s*$", RegexOptions.Multiline)]
    private static partial Regex TopLine();

    private static readonly Lock InstallLock = new();

    private static bool InCi()
    {
        string? ci = Environment.GetEnvironmentVariable("CI");
        return !string.IsNullOrEmpty(ci) && ci != "false" && ci != "0";
    }

    /// <summary>Installs the pinned packages with npm ci once, unless node_modules already has them.</summary>
    private static void EnsureDependencies(string npm, string example)
    {
        lock (InstallLock)
        {
            using JsonDocument package = JsonDocument.Parse(File.ReadAllText(Path.Combine(example, "package.json")));
            bool installed = package.RootElement.GetProperty("dependencies").EnumerateObject().All(dependency =>
            {
                string manifest = Path.Combine(example, "node_modules", dependency.Name, "package.json");
                if (!File.Exists(manifest))
                {
                    return false;
                }

                using JsonDocument installedPackage = JsonDocument.Parse(File.ReadAllText(manifest));
                return installedPackage.RootElement.GetProperty("version").GetString() == dependency.Value.GetString();
            });
            if (!installed)
            {
                (int exit, string output, string error) = Run(npm, example, "ci", "--no-audit", "--no-fund");
                Assert.True(exit == 0, $"npm ci failed ({exit}):\n{output}\n{error}");
            }
        }
    }

    private static (int Exit, string Output, string Error) Run(string fileName, string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // onnxruntime-node bundles its CPU binaries; its install script must not try to fetch the optional CUDA ones.
        start.Environment["ONNXRUNTIME_NODE_INSTALL"] = "skip";
        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(10)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{fileName} {string.Join(' ', arguments)} did not finish in 10 minutes");
        }

        return (process.ExitCode, output.Result, error.Result);
    }

    private static string? FindOnPath(string tool)
    {
        string[] names = OperatingSystem.IsWindows() ? [tool + ".exe", tool + ".cmd"] : [tool];
        return (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .SelectMany(directory => names.Select(name => Path.Combine(directory, name)))
            .FirstOrDefault(File.Exists);
    }

    private static string RepoRoot()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "examples", "node", "top10.js")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"examples/node/top10.js not found above {AppContext.BaseDirectory}");
    }
}
