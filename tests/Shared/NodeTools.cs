using System.Diagnostics;
using System.Text.Json;

namespace AutoRec.Tests.Shared;

/// <summary>
/// Node.js for the tests that run JavaScript (the Node example, the web app's browser tests): finding node and npm,
/// installing a folder's pinned packages, running a command. Where a tool is missing those tests are skipped, except
/// in CI (CI set), where they must run.
/// </summary>
internal static class NodeTools
{
    private static readonly Lock InstallLock = new();

    private static readonly string[] DependencySections = ["dependencies", "devDependencies"];

    /// <summary>Whether CI is set (to anything but false or 0).</summary>
    public static bool InCi()
    {
        string? ci = Environment.GetEnvironmentVariable("CI");
        return !string.IsNullOrEmpty(ci) && ci != "false" && ci != "0";
    }

    /// <summary>The full path of <paramref name="tool"/> on PATH, or null.</summary>
    public static string? FindOnPath(string tool)
    {
        string[] names = OperatingSystem.IsWindows() ? [tool + ".exe", tool + ".cmd"] : [tool];
        return (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .SelectMany(directory => names.Select(name => Path.Combine(directory, name)))
            .FirstOrDefault(File.Exists);
    }

    /// <summary>
    /// Installs <paramref name="folder"/>'s pinned packages (dependencies and devDependencies of its package.json) with
    /// <c>npm ci</c> from its lockfile, unless node_modules already holds exactly those versions.
    /// </summary>
    public static void EnsureInstalled(string npm, string folder, IReadOnlyDictionary<string, string>? environment = null)
    {
        lock (InstallLock)
        {
            using JsonDocument package = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "package.json")));
            bool installed = DependencySections
                .Where(section => package.RootElement.TryGetProperty(section, out _))
                .SelectMany(section => package.RootElement.GetProperty(section).EnumerateObject())
                .All(dependency =>
                {
                    string manifest = Path.Combine(folder, "node_modules", dependency.Name, "package.json");
                    if (!File.Exists(manifest))
                    {
                        return false;
                    }

                    using JsonDocument installedPackage = JsonDocument.Parse(File.ReadAllText(manifest));
                    return installedPackage.RootElement.GetProperty("version").GetString() == dependency.Value.GetString();
                });
            if (!installed)
            {
                (int exit, string output, string error) = Run(npm, folder, ["ci", "--no-audit", "--no-fund"], environment);
                Assert.True(exit == 0, $"npm ci in {folder} failed ({exit}):\n{output}\n{error}");
            }
        }
    }

    /// <summary>Runs a command to its end (at most <paramref name="timeout"/>, 10 minutes by default) and returns its exit code and output.</summary>
    public static (int Exit, string Output, string Error) Run(
        string fileName, string workingDirectory, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null)
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

        foreach ((string name, string value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        TimeSpan limit = timeout ?? TimeSpan.FromMinutes(10);
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{fileName} {string.Join(' ', arguments)} did not finish in {limit.TotalMinutes:0} minutes; its output so far:\n{output.Result}\n{error.Result}");
        }

        return (process.ExitCode, output.Result, error.Result);
    }
}
