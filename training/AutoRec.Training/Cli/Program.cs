using System.Globalization;
using AutoRec.Training;
using AutoRec.Training.Cli;
using AutoRec.Training.Experiments;
using AutoRec.Training.Reporting;

// autorec-train train --data DIR --config FILE --out DIR [--dataset NAME] [--refit-of METRICS] [--plain] [--watch-pids PID,...]
// autorec-train bench --data DIR --config FILE [--epochs N] [--path dense|sparse|auto]
// autorec-train experiment SUITE|all [--data DIR] [--out DIR] [--docs DIR] [--report] | experiment --list
// (Exporting to ONNX is autorec-export's job: the trainer does not depend on ONNX Runtime.)
// Errors are printed as `file(line): error CODE: message` (or `error CODE: message`) so that the MSBuild task
// and any IDE can locate them; the exit code is 1.
return CommandLine.Run(args);

internal static class CommandLine
{
    private const string Usage = """
        usage:
          autorec-train train  --data DIR --config FILE --out DIR [--dataset NAME] [--refit-of METRICS] [--plain] [--watch-pids PID,...]
            (--refit-of: protocol A's metrics.json; trains again for its chosen epochs and weights, on --data's train split)
          autorec-train bench  --data DIR --config FILE [--epochs N] [--path dense|sparse|auto]
          autorec-train experiment SUITE|all [--data DIR] [--out DIR] [--docs DIR] [--report] [--watch-pids PID,...]
          autorec-train experiment --list
            (defaults: --data artifacts/ml-1m/data --out artifacts/experiments --docs docs; --report rebuilds the
             table and figure from docs/results/SUITE.json without training)
        """;

    public static int Run(string[] args) => ToolErrors.Run(args, Usage, Dispatch);

    private static int Dispatch(string[] args)
    {
        if (args[0] == "experiment")
        {
            Experiment(args[1..]);
            return 0;
        }

        CommandOptions options = CommandOptions.Parse(args[1..], "plain");
        switch (args[0])
        {
            case "train":
                Train(options);
                return 0;
            case "bench":
                string epochs = options.Optional("epochs") ?? "10";
                Commands.Bench(
                    options.Required("data"), options.Required("config"),
                    int.TryParse(epochs, CultureInfo.InvariantCulture, out int n) && n > 1 ? n : throw new UsageException($"--epochs '{epochs}' must be an integer > 1"),
                    Console.Out, options.Optional("path") ?? "auto");
                return 0;
            case "export":
                throw new UsageException("export is autorec-export's command now: dotnet autorec-export.dll --model DIR --data DIR");
            default:
                throw new UsageException($"unknown command '{args[0]}'");
        }
    }

    private static void Experiment(string[] args)
    {
        bool list = args.Length > 0 && args[0] == "--list";
        if (!list && (args.Length == 0 || args[0].StartsWith("--", StringComparison.Ordinal)))
        {
            throw new UsageException("experiment needs a suite name (or --list)");
        }

        CommandOptions options = CommandOptions.Parse(args[1..], "report");
        string tool = AppContext.BaseDirectory;
        var runner = new ExperimentRunner(
            new ExperimentOptions(
                options.Optional("data") ?? Path.Combine("artifacts", "ml-1m", "data"),
                options.Optional("out") ?? Path.Combine("artifacts", "experiments"),
                options.Optional("docs") ?? "docs",
                Path.Combine(tool, "experiments"),
                Path.Combine(tool, "configs")),
            Console.Out);
        if (list)
        {
            foreach (ExperimentSuite suite in runner.List())
            {
                Console.WriteLine($"{suite.Name,-16} {suite.Runs.Count,3} runs  {suite.Title} ({suite.SeedSection})");
            }

            return;
        }

        // "all": every suite, in the order of the seed report's sections; each resumes where it stopped.
        string[] suites = args[0] == "all" ? [.. runner.List().OrderBy(s => ExperimentRunner.SectionOrder(s.Name)).Select(s => s.Name)] : [args[0]];
        foreach (string suite in suites)
        {
            if (options.Has("report"))
            {
                runner.Report(suite);
                continue;
            }

            using BuildWatch build = BuildWatch.Start(options.Optional("watch-pids"));
            _ = runner.Run(suite, build.Token);
        }
    }

    private static void Train(CommandOptions options)
    {
        string data = options.Required("data");
        string config = options.Required("config");
        string output = options.Required("out");
        string dataset = options.Optional("dataset") ?? "unknown";
        string? refitOf = options.Optional("refit-of");

        // The MSBuild task passes the build's processes: when the build is killed, training stops (between epochs)
        // rather than writing the model folder behind a build that has ended.
        using BuildWatch build = BuildWatch.Start(options.Optional("watch-pids"));
        if (options.Has("plain") || Console.IsOutputRedirected)
        {
            Commands.Train(data, config, output, dataset, new PlainProgress(Console.Out), refitOf, build.Token);
        }
        else
        {
            LiveProgress.Run(progress => Commands.Train(data, config, output, dataset, progress, refitOf, build.Token));
        }
    }
}
