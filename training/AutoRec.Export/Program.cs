using AutoRec.Export;
using AutoRec.Training.Cli;
using AutoRec.Training.Reporting;

// autorec-export --model DIR --data DIR [--watch-pids PID,...]
// Errors are printed as `file(line): error CODE: message` (or `error CODE: message`), exit code 1, exactly as
// autorec-train reports them (the same ToolErrors).
return ExportCommandLine.Run(args);

internal static class ExportCommandLine
{
    private const string Usage = """
        usage:
          autorec-export --model DIR --data DIR [--watch-pids PID,...]
        """;

    public static int Run(string[] args) => ToolErrors.Run(args, Usage, Export);

    private static int Export(string[] args)
    {
        CommandOptions options = CommandOptions.Parse(args);

        // An export takes seconds: the build's processes are accepted (the MSBuild task passes them) but not watched.
        _ = options.Optional("watch-pids");
        Exporter.Export(options.Required("model"), options.Required("data"), new PlainProgress(Console.Out));
        return 0;
    }
}
