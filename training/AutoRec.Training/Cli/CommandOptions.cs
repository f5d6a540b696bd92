namespace AutoRec.Training.Cli;

/// <summary>A tool's <c>--name value</c> options and bare <c>--flag</c>s.</summary>
public sealed class CommandOptions
{
    private readonly Dictionary<string, string?> _values;

    private CommandOptions(Dictionary<string, string?> values) => _values = values;

    /// <summary>Parses <paramref name="args"/>; the names in <paramref name="flags"/> take no value.</summary>
    /// <exception cref="UsageException">An argument is not an option, or an option lacks its value.</exception>
    public static CommandOptions Parse(IReadOnlyList<string> args, params string[] flags)
    {
        ArgumentNullException.ThrowIfNull(args);
        var values = new Dictionary<string, string?>();
        for (int i = 0; i < args.Count; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                throw new UsageException($"unexpected argument '{args[i]}'");
            }

            string name = args[i][2..];
            values[name] = flags.Contains(name) ? null : i + 1 < args.Count ? args[++i] : throw new UsageException($"--{name} needs a value");
        }

        return new CommandOptions(values);
    }

    /// <summary>Whether <c>--<paramref name="name"/></c> was given (as a flag or with a value).</summary>
    public bool Has(string name) => _values.ContainsKey(name);

    /// <summary>The value of <c>--<paramref name="name"/></c>, or null.</summary>
    public string? Optional(string name) => _values.GetValueOrDefault(name);

    /// <summary>The value of <c>--<paramref name="name"/></c>.</summary>
    /// <exception cref="UsageException">The option is missing.</exception>
    public string Required(string name) => Optional(name) ?? throw new UsageException($"--{name} is required");
}
