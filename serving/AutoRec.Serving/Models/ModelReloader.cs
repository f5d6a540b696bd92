using System.Diagnostics;
using System.Threading.Channels;
using AutoRec.Contracts;
using AutoRec.Serving.Configuration;
using AutoRec.Serving.Observability;
using Microsoft.Extensions.Options;

namespace AutoRec.Serving.Models;

/// <summary>
/// Loads the first generation, then watches the model file and loads a new generation whenever it is replaced:
/// the new one is loaded and warmed beside the old, then swapped in at once; a file that does not load leaves the
/// old one serving (logged, and counted in <c>autorec_model_reloads_total{result="failure"}</c>).
/// </summary>
/// <remarks>
/// Changes are noticed by file-system events and, as a fallback, by polling the file's size and time. A change
/// is loaded once the file has been quiet for <see cref="ModelOptions.ReloadDelay"/>, so a file written in place
/// is not read half-way (an atomic rename needs no wait, but costs only the delay).
/// </remarks>
internal sealed class ModelReloader(
    ModelLoader loader, ModelHolder holder, ReloadStatus status, ServingMetrics metrics, IOptions<ModelOptions> options, TimeProvider time,
    ILogger<ModelReloader> logger)
    : BackgroundService
{
    private readonly Channel<bool> _changes = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    private FileStamp _lastAttempt = FileStamp.Missing; // the model file as last tried, loaded or not
    private FileStamp _validationStamp = FileStamp.Missing;

    private ModelFiles Files => loader.Files;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        using FileSystemWatcher? watcher = Watch();
        Load();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await WaitAsync(options.Value.PollInterval, stoppingToken);
                try
                {
                    RefreshValidation();
                    if (FileStamp.Of(Files.Model) != _lastAttempt)
                    {
                        await SettleAsync(stoppingToken);
                        Load();
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Whatever the file system does, the watch goes on: a stopped reloader would serve a stale model silently.
                    Log.WatchFailed(logger, e, Files.Directory);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private void Load()
    {
        ModelGeneration? current = holder.Current;
        string currentName = current?.Version ?? "nothing (not ready)";
        long start = Stopwatch.GetTimestamp();
        FileStamp tried = FileStamp.Missing;
        try
        {
            ServedFile file = loader.ReadModel();
            tried = file.Stamp;
            string version = ModelLoader.VersionOf(file.Bytes);
            if (current is not null && version == current.Version)
            {
                Log.Unchanged(logger, version);
                return;
            }

            Log.Loading(logger, Files.Directory);
            _validationStamp = FileStamp.Of(Files.Validation);
            ModelGeneration next = loader.Load(file, version);
            holder.Publish(next); // from here on the previous generation may be disposed at any time: only its name is used below
            TimeSpan took = Stopwatch.GetElapsedTime(start);
            metrics.LoadSucceeded(next, current, took);
            status.Succeeded(time.GetUtcNow(), next.Version);
            Log.Loaded(
                logger, next.Version, next.Kind.Name(), next.Dataset, next.Recommender.UserIds.Count, next.Recommender.MovieIds.Count,
                took.TotalSeconds, currentName);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            metrics.LoadFailed();
            status.Failed(time.GetUtcNow(), e.Message);
            Log.LoadFailed(logger, e, Files.Directory, currentName);
        }
        finally
        {
            // The same file is not tried again until it changes; when it could not even be read, its stamp now stands for it.
            _lastAttempt = tried == FileStamp.Missing ? FileStamp.Of(Files.Model) : tried;
        }
    }

    /// <summary>Re-reads validation.json into the current generation when it changed: the pipeline writes it after model.onnx.</summary>
    private void RefreshValidation()
    {
        FileStamp stamp = FileStamp.Of(Files.Validation);
        if (stamp == _validationStamp || holder.Current is not { } current)
        {
            return;
        }

        _validationStamp = stamp;
        try
        {
            current.Validation = loader.ReadValidation();
            Log.ValidationRefreshed(logger, current.Validation?.TestRmse);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
        {
            Log.ValidationUnreadable(logger, e, Files.Validation);
        }
    }

    /// <summary>Waits until the model file has not changed for the reload delay.</summary>
    private async Task SettleAsync(CancellationToken stop)
    {
        FileStamp before = FileStamp.Of(Files.Model);
        while (true)
        {
            bool signalled = await WaitAsync(options.Value.ReloadDelay, stop);
            FileStamp after = FileStamp.Of(Files.Model);
            if (!signalled && after == before)
            {
                return;
            }

            before = after;
        }
    }

    /// <summary>Waits for a file-system event or <paramref name="timeout"/>; true when an event came.</summary>
    private async Task<bool> WaitAsync(TimeSpan timeout, CancellationToken stop)
    {
        if (_changes.Reader.TryRead(out _))
        {
            return true;
        }

        using var timer = CancellationTokenSource.CreateLinkedTokenSource(stop);
        timer.CancelAfter(timeout);
        try
        {
            await _changes.Reader.WaitToReadAsync(timer.Token);
            return _changes.Reader.TryRead(out _);
        }
        catch (OperationCanceledException) when (!stop.IsCancellationRequested)
        {
            return false;
        }
    }

    private FileSystemWatcher? Watch()
    {
        string folder = Path.GetDirectoryName(Files.Model)!;
        try
        {
            var watcher = new FileSystemWatcher(folder)
            {
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
                IncludeSubdirectories = false,
            };
            watcher.Changed += (_, _) => _changes.Writer.TryWrite(true);
            watcher.Created += (_, _) => _changes.Writer.TryWrite(true);
            watcher.Deleted += (_, _) => _changes.Writer.TryWrite(true);
            watcher.Renamed += (_, _) => _changes.Writer.TryWrite(true);
            watcher.EnableRaisingEvents = true;
            return watcher;
        }
        catch (Exception e) when (e is ArgumentException or IOException or PlatformNotSupportedException)
        {
            // The folder does not exist yet (or the system has no watcher): polling finds the file when it appears.
            Log.NotWatching(logger, folder, e.Message, options.Value.PollInterval);
            return null;
        }
    }
}
