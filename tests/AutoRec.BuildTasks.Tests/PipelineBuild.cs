using System.Diagnostics;
using System.Text;
using Xunit.Abstractions;

namespace AutoRec.BuildTasks.Tests;

/// <summary>Runs the real pipeline (build-tasks/Pipeline) as a child <c>dotnet build</c> on a tiny dataset and captures its log.</summary>
/// <summary>
/// The test classes that run real <c>dotnet build</c>s of the pipeline: one at a time. Their builds share the
/// repository's tool outputs (the trainer, the tasks, the patched TorchSharp native library); an Experiments build
/// that builds the tools while another test's trainer runs from them made that test's build hang on Ctrl-C.
/// </summary>
[CollectionDefinition(Name)]
public sealed class SerialPipelineBuilds
{
    /// <summary>The collection's name.</summary>
    public const string Name = "pipeline builds";
}

internal sealed class PipelineBuild(ITestOutputHelper output)
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(5);

    /// <summary>Builds up to <paramref name="stopAfter"/> and waits for the build to end.</summary>
    public (int ExitCode, string Log) Run(string datasetDir, string outputDir, string stopAfter, params string[] extra)
    {
        using Running build = Start(datasetDir, outputDir, stopAfter, extra);
        return build.WaitForExit(BuildTimeout);
    }

    /// <summary>Starts a build and returns while it runs.</summary>
    public Running Start(string datasetDir, string outputDir, string stopAfter, params string[] extra)
    {
        string root = RepositoryRoot();
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet")
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in (string[])
        [
            "build", Path.Combine(root, "build-tasks", "Pipeline", "AutoRec.Pipeline.csproj"),
            "-nodeReuse:false", "-p:UseSharedCompilation=false", "-m:1", "-tl:off", "-v:minimal",
            "-p:Dataset=tiny", $"-p:DatasetDir={datasetDir}", $"-p:PipelineOutputDir={outputDir}", $"-p:StopAfter={stopAfter}",
            .. extra,
        ])
        {
            start.ArgumentList.Add(argument);
        }

        // The test host runs inside `dotnet test`: don't let its MSBuild settings leak into the child build.
        foreach (string name in start.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["MSBUILDTERMINALLOGGER"] = "off";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        return new Running(start, output);
    }

    /// <summary>The repository root (where Pipeline.sln is).</summary>
    public static string RepositoryRoot()
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

    /// <summary>A build in progress; its output accumulates in <see cref="Log"/>.</summary>
    public sealed class Running : IDisposable
    {
        private readonly StringBuilder _log = new();
        private readonly Process _process;
        private readonly ITestOutputHelper _output;
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly string _command;

        public Running(ProcessStartInfo start, ITestOutputHelper output)
        {
            _output = output;
            _command = $"dotnet {string.Join(' ', start.ArgumentList)}";
            _process = new Process { StartInfo = start };
            _process.OutputDataReceived += (_, e) => Append(e.Data);
            _process.ErrorDataReceived += (_, e) => Append(e.Data);
            _process.Start();
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }

        /// <summary>The top <c>dotnet build</c> process.</summary>
        public int ProcessId => _process.Id;

        /// <summary>What the build printed so far.</summary>
        public string Log
        {
            get
            {
                lock (_log)
                {
                    return _log.ToString();
                }
            }
        }

        /// <summary>Waits until the log contains <paramref name="text"/>; false when the build ended or the time ran out first.</summary>
        public bool WaitForLog(string text, TimeSpan timeout)
        {
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < timeout)
            {
                if (Log.Contains(text, StringComparison.Ordinal))
                {
                    return true;
                }

                if (_process.HasExited)
                {
                    return Log.Contains(text, StringComparison.Ordinal);
                }

                Thread.Sleep(100);
            }

            return false;
        }

        /// <summary>Waits for the build to end (killing it after <paramref name="timeout"/>, which fails the test).</summary>
        public (int ExitCode, string Log) WaitForExit(TimeSpan timeout)
        {
            if (!_process.WaitForExit(timeout))
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit();
                Assert.Fail($"dotnet build did not finish in {timeout}:\n{Log}");
            }

            _process.WaitForExit(); // drains the output
            _output.WriteLine($"$ {_command}  ({_clock.Elapsed.TotalSeconds:F1} s, exit {_process.ExitCode})\n{Log}");
            return (_process.ExitCode, Log);
        }

        /// <summary>Kills only the top <c>dotnet build</c> process, as a CI timeout or an IDE's stop button does.</summary>
        public void KillTopProcessOnly()
        {
            _process.Kill(entireProcessTree: false);
            _process.WaitForExit();
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit();
            }

            _process.Dispose();
        }

        private void Append(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (_log)
            {
                _log.AppendLine(line);
            }
        }
    }
}
