using System.Globalization;

namespace AutoRec.Training.Reporting;

/// <summary>This process's resident memory, read from Linux's /proc/self/status (the working set elsewhere).</summary>
public static class ProcessMemory
{
    /// <summary>Resident memory now, in MB (VmRSS).</summary>
    public static double CurrentMb() => StatusMb("VmRSS:");

    /// <summary>The highest resident memory so far, in MB (VmHWM).</summary>
    public static double PeakMb() => StatusMb("VmHWM:");

    private static double StatusMb(string key)
    {
        const string status = "/proc/self/status";
        string? line = File.Exists(status) ? File.ReadLines(status).FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal)) : null;
        return line is not null && long.TryParse(line[key.Length..].Trim().Split(' ')[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out long kb)
            ? kb / 1024.0
            : Environment.WorkingSet / (1024.0 * 1024.0);
    }
}
