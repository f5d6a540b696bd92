namespace AutoRec.Serving.Observability;

/// <summary>The service's log events, with their fields named so that JSON logs can be queried by them.</summary>
internal static partial class Log
{
    [LoggerMessage(1001, LogLevel.Information, "Loading the model from {Directory}")]
    public static partial void Loading(ILogger logger, string directory);

    [LoggerMessage(1002, LogLevel.Information,
        "Serving model {Version} ({Kind}, {Dataset}, {Users} users, {Movies} movies), loaded and warmed in {Seconds:F2} s; it replaces {Replaced}")]
    public static partial void Loaded(ILogger logger, string version, string kind, string dataset, int users, int movies, double seconds, string replaced);

    [LoggerMessage(1003, LogLevel.Error, "Could not load the model from {Directory}; still serving {Current}")]
    public static partial void LoadFailed(ILogger logger, Exception exception, string directory, string current);

    [LoggerMessage(1004, LogLevel.Information, "The model file changed but its bytes are those of {Version}: nothing to reload")]
    public static partial void Unchanged(ILogger logger, string version);

    [LoggerMessage(1005, LogLevel.Information, "validation.json changed: test RMSE {TestRmse} for the model being served")]
    public static partial void ValidationRefreshed(ILogger logger, double? testRmse);

    [LoggerMessage(1006, LogLevel.Warning, "Could not read {Path}; the model is served without a test RMSE")]
    public static partial void ValidationUnreadable(ILogger logger, Exception exception, string path);

    [LoggerMessage(1008, LogLevel.Error, "Checking {Directory} for a new model failed; checking again")]
    public static partial void WatchFailed(ILogger logger, Exception exception, string directory);

    [LoggerMessage(1007, LogLevel.Warning, "Cannot watch {Directory} for changes ({Reason}); polling every {Interval} instead")]
    public static partial void NotWatching(ILogger logger, string directory, string reason, TimeSpan interval);
}
