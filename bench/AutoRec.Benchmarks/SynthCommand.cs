using System.Globalization;
using AutoRec.Benchmarks.Synthetic;
using static AutoRec.Benchmarks.CommandOptions;

namespace AutoRec.Benchmarks;

/// <summary><c>autorec-bench synth --out DIR [--users N] [--movies N] [--ratings N] [--seed N]</c>: writes a synthetic ml-20m-shaped dataset.</summary>
internal static class SynthCommand
{
    public static int Run(string[] args, TextWriter output)
    {
        string? directory = Option(args, "--out");
        if (directory is null)
        {
            Console.Error.WriteLine("usage: autorec-bench synth --out DIR [--users 138000] [--movies 27000] [--ratings 20000000] [--seed 1]");
            return 2;
        }

        var defaults = new SynthOptions();
        var options = new SynthOptions(
            Number(args, "--users", defaults.Users),
            Number(args, "--movies", defaults.Movies),
            Number(args, "--ratings", defaults.Ratings),
            (ulong)Number(args, "--seed", (long)defaults.Seed));
        try
        {
            SynthSummary s = SyntheticMovieLens.Write(directory, options);
            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"wrote {s.Ratings:N0} ratings of {s.Users:N0} users (per user: min {s.MinPerUser}, median {s.MedianPerUser}, max {s.MaxPerUser:N0}) on {s.Movies:N0} movies to {Path.GetFullPath(directory)} in {s.Seconds:F2} s"));
            return 0;
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"autorec-bench synth: {e.Message}");
            return 2;
        }
    }

    private static int Number(string[] args, string name, int fallback) => (int)Number(args, name, (long)fallback);

    private static long Number(string[] args, string name, long fallback) =>
        Option(args, name) is { } text ? long.Parse(text.Replace("_", "", StringComparison.Ordinal), NumberStyles.Integer, CultureInfo.InvariantCulture) : fallback;
}
