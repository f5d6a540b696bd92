using System.Diagnostics;
using System.Globalization;

namespace AutoRec.Training.Cli;

/// <summary>
/// Watches the processes of the build that started a tool (<c>--watch-pids</c>, passed by the MSBuild tasks) and
/// cancels <see cref="Token"/> when one of them is gone: a killed build leaves its task host behind, re-parented to
/// init, and without this the trainer would go on writing the model folder after the build had ended.
/// </summary>
public sealed class BuildWatch : IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    private readonly (int Pid, string? Identity)[] _watched;
    private readonly CancellationTokenSource _gone = new();
    private readonly Timer? _timer;

    private BuildWatch((int Pid, string? Identity)[] watched)
    {
        _watched = watched;
        _timer = watched.Length == 0 ? null : new Timer(_ => Check(), null, Interval, Interval);
    }

    /// <summary>Cancelled when a watched process is gone.</summary>
    public CancellationToken Token => _gone.Token;

    /// <summary>The process found gone, once <see cref="Token"/> is cancelled.</summary>
    public int? GonePid { get; private set; }

    /// <summary>Watches the comma-separated process ids in <paramref name="pids"/> (nothing when null or empty).</summary>
    /// <exception cref="UsageException">The list is not comma-separated positive integers.</exception>
    public static BuildWatch Start(string? pids)
    {
        if (string.IsNullOrWhiteSpace(pids))
        {
            return new BuildWatch([]);
        }

        var watched = new List<(int, string?)>();
        foreach (string text in pids.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int pid) || pid <= 0)
            {
                throw new UsageException($"--watch-pids: '{text}' is not a process id");
            }

            watched.Add((pid, IdentityOf(pid)));
        }

        var watch = new BuildWatch([.. watched]);
        watch.Check(); // a build already gone when we start
        return watch;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _timer?.Dispose();
        _gone.Dispose();
    }

    private void Check()
    {
        if (_gone.IsCancellationRequested)
        {
            return;
        }

        foreach ((int pid, string? identity) in _watched)
        {
            string? now = IdentityOf(pid);
            if (now is null || (identity is not null && now != identity))
            {
                GonePid = pid;
                _gone.Cancel();
                return;
            }
        }
    }

    /// <summary>
    /// What tells this process from a later one with the same id (its start time), or null when it is gone. A
    /// zombie (killed, not yet reaped) counts as gone.
    /// </summary>
    private static string? IdentityOf(int pid)
    {
        try
        {
            // /proc/<pid>/stat: "pid (comm) state ppid ... starttime(22nd field)"; parse after the last ')'.
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return fields[0] is "Z" or "X" ? null : fields[19];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            if (OperatingSystem.IsLinux())
            {
                return null;
            }
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited ? null : process.StartTime.Ticks.ToString(CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return null;
        }
    }
}
