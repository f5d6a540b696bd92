using AutoRec.Data;
using AutoRec.Training.Configuration;
using AutoRec.Training.Training;

namespace AutoRec.Training.Cli;

/// <summary>
/// How the AutoRec tools (<c>autorec-train</c>, <c>autorec-export</c>) end: every failure is one line
/// <c>file(line): error CODE: message</c> (or <c>error CODE: message</c>) on standard error, so that the MSBuild
/// tasks and any IDE can locate it, and exit code 1. Usage goes to standard output: exit code 2 without
/// arguments, 0 for <c>--help</c>.
/// </summary>
public static class ToolErrors
{
    /// <summary>Bad command-line arguments.</summary>
    public const string UsageCode = "AR2004";

    /// <summary>Runs <paramref name="command"/> on <paramref name="args"/>, reporting its failures as coded error lines.</summary>
    /// <returns>The command's exit code, or the exit code of the failure.</returns>
    public static int Run(string[] args, string usage, Func<string[], int> command)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(command);
        try
        {
            if (args.Length == 0 || args[0] is "-h" or "--help")
            {
                Console.WriteLine(usage);
                return args.Length == 0 ? 2 : 0;
            }

            return command(args);
        }
        catch (UsageException e)
        {
            return Fail(UsageCode, null, 0, $"{e.Message}\n{usage}");
        }
        catch (ConfigException e)
        {
            return Fail("AR2001", e.FilePath, e.Line, e.Reason);
        }
        catch (DataFormatException e)
        {
            return Fail(e.Code, e.FilePath, e.Line, e.Reason);
        }
        catch (OperationCanceledException)
        {
            // Only the build watch cancels: the build that started this tool is gone, so nobody reads more than this line.
            Console.Error.WriteLine("stopped: the build that started this run is gone; the checkpoint lets the next build resume");
            return 3;
        }
        catch (TrainingDivergedException e)
        {
            return Fail("AR2003", null, 0, e.Message);
        }
        catch (CodedException e)
        {
            return Fail(e.Code, e.FilePath, 0, e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Text.Json.JsonException or InvalidDataException or System.Runtime.InteropServices.ExternalException)
        {
            // Files that cannot be read or written, and libtorch's own errors: still a located, coded error.
            return Fail("AR2000", null, 0, $"{e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>Writes one canonical error line to standard error.</summary>
    /// <returns>1, the exit code of a failed command.</returns>
    public static int Fail(string code, string? file, int line, string message)
    {
        string location = file is null ? "" : line > 0 ? $"{file}({line}): " : $"{file}: ";
        Console.Error.WriteLine($"{location}error {code}: {message}");
        return 1;
    }
}
