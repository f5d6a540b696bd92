using System.Globalization;

namespace AutoRec.BuildTasks;

/// <summary>
/// The processes of the build that runs a task: the MSBuild node that started this task host and, when that node
/// is a worker, the main build process above it. A child the task starts watches them and stops when one is gone
/// (a killed build leaves the task host behind, re-parented to init, so watching the task host is not enough).
/// </summary>
internal static class BuildProcesses
{
    /// <summary>The process ids to watch, nearest first; empty where the parent cannot be found.</summary>
    public static IReadOnlyList<int> ToWatch()
    {
        var ids = new List<int>();
        int? node = ParentOf(Environment.ProcessId);
        if (node is not int nodeId || nodeId <= 1)
        {
            return ids;
        }

        ids.Add(nodeId);
        if (IsWorkerNode(nodeId) && ParentOf(nodeId) is int main && main > 1)
        {
            ids.Add(main);
        }

        return ids;
    }

    /// <summary>The parent process id from /proc (Linux); null elsewhere or when it cannot be read.</summary>
    private static int? ParentOf(int pid)
    {
        try
        {
            // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may hold spaces and parentheses, so parse after the last ')'.
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(fields[1], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            // No /proc (not Linux): nothing is watched, and a killed build may leave its child running as before.
            return null;
        }
    }

    private static bool IsWorkerNode(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Contains("nodemode", StringComparison.OrdinalIgnoreCase);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
