namespace AutoRec.Serving.Models;

/// <summary>
/// What the reloader last did, for the model card: when it last tried a changed model file and whether that load
/// failed (the previous generation then goes on serving). Written by <see cref="ModelReloader"/> only.
/// </summary>
internal sealed class ReloadStatus
{
    private ReloadAttempt? _last;

    /// <summary>The last load attempt of a changed file; null before the first.</summary>
    public ReloadAttempt? Last => Volatile.Read(ref _last);

    public void Succeeded(DateTimeOffset at, string version) => Volatile.Write(ref _last, new ReloadAttempt(at, version, null));

    public void Failed(DateTimeOffset at, string reason) => Volatile.Write(ref _last, new ReloadAttempt(at, null, reason));
}

/// <summary>One load attempt: the version it loaded, or why it failed.</summary>
internal sealed record ReloadAttempt(DateTimeOffset At, string? Loaded, string? Failure);
