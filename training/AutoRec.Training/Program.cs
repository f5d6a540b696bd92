using AutoRec.Data;
using AutoRec.Training.Configuration;
using AutoRec.Training.Reporting;
using AutoRec.Training.Training;
using AutoRec.Training;

// autorec-train train --data DIR --config FILE --out DIR [--dataset NAME] [--plain]
// autorec-train export --model DIR --data DIR
// autorec-train bench --data DIR --config FILE [--epochs N]
// Errors are printed as `file(line): error CODE: message` (or `error CODE: message`) so that the MSBuild task
// and any IDE can locate them; the exit code is 1.
return CommandLine.Run(args);

internal static class CommandLine
{
    private const string Usage = """
        usage:
          autorec-train train  --data DIR --config FILE --out DIR [--dataset NAME] [--plain]
          autorec-train export --model DIR --data DIR
          autorec-train bench  --data DIR --config FILE [--epochs N]
        """;

    public static int Run(string[] args)
    {
        try
        {
            if (args.Length == 0 || args[0] is "-h" or "--help")
            {
                Console.WriteLine(Usage);
                return args.Length == 0 ? 2 : 0;
            }

            Dictionary<string, string?> options = ParseOptions(args.Skip(1).ToArray());
            bool plain = options.ContainsKey("plain") || Console.IsOutputRedirected;
            switch (args[0])
            {
                case "train":
                    string data = Required(options, "data");
                    string config = Required(options, "config");
                    string output = Required(options, "out");
                    string dataset = options.GetValueOrDefault("dataset") ?? "unknown";
                    if (plain)
                    {
                        Commands.Train(data, config, output, dataset, new PlainProgress(Console.Out));
                    }
                    else
                    {
                        LiveProgress.Run(progress => Commands.Train(data, config, output, dataset, progress));
                    }

                    return 0;
                case "bench":
                    string epochs = options.GetValueOrDefault("epochs") ?? "10";
                    Commands.Bench(
                        Required(options, "data"), Required(options, "config"),
                        int.TryParse(epochs, System.Globalization.CultureInfo.InvariantCulture, out int n) && n > 1 ? n : throw new UsageException($"--epochs '{epochs}' must be an integer > 1"),
                        Console.Out);
                    return 0;
                case "export":
                    Commands.Export(Required(options, "model"), Required(options, "data"), new PlainProgress(Console.Out));
                    return 0;
                default:
                    return Fail("AR2004", null, 0, $"unknown command '{args[0]}'\n{Usage}");
            }
        }
        catch (UsageException e)
        {
            return Fail("AR2004", null, 0, $"{e.Message}\n{Usage}");
        }
        catch (ConfigException e)
        {
            return Fail("AR2001", e.FilePath, e.Line, e.Reason);
        }
        catch (DataFormatException e)
        {
            return Fail(e.Code, e.FilePath, e.Line, e.Reason);
        }
        catch (TrainingDivergedException e)
        {
            return Fail("AR2003", null, 0, e.Message);
        }
        catch (ExportMismatchException e)
        {
            return Fail("AR2101", null, 0, e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Text.Json.JsonException or InvalidDataException or System.Runtime.InteropServices.ExternalException)
        {
            // Files that cannot be read or written, and libtorch's own errors: still a located, coded error.
            return Fail("AR2000", null, 0, $"{e.GetType().Name}: {e.Message}");
        }
    }

    private static int Fail(string code, string? file, int line, string message)
    {
        string location = file is null ? "" : line > 0 ? $"{file}({line}): " : $"{file}: ";
        Console.Error.WriteLine($"{location}error {code}: {message}");
        return 1;
    }

    private static Dictionary<string, string?> ParseOptions(string[] args)
    {
        var options = new Dictionary<string, string?>();
        for (int i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                throw new UsageException($"unexpected argument '{args[i]}'");
            }

            string name = args[i][2..];
            bool flag = name == "plain";
            options[name] = flag ? null : i + 1 < args.Length ? args[++i] : throw new UsageException($"--{name} needs a value");
        }

        return options;
    }

    private static string Required(Dictionary<string, string?> options, string name) =>
        options.GetValueOrDefault(name) ?? throw new UsageException($"--{name} is required");
}

internal sealed class UsageException(string message) : Exception(message);
