namespace AutoRec.Benchmarks;

/// <summary>The benchmark commands' <c>--name value</c> options.</summary>
internal static class CommandOptions
{
    /// <summary>The value after <paramref name="name"/>, or null when it is not given.</summary>
    public static string? Option(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
