namespace AutoRec.Serving.Tests;

/// <summary>One test folder served by one app for a whole test class, with the library's answers beside it.</summary>
public abstract class ServedModel : IAsyncLifetime
{
    /// <summary>Small limits, so that the limit cases are cheap to send.</summary>
    public static readonly IReadOnlyDictionary<string, string?> SmallLimits = new Dictionary<string, string?>
    {
        ["Serving:MaxRatings"] = "8",
        ["Serving:MaxMovieIds"] = "5",
        ["Serving:MaxRequestBodyBytes"] = "1024",
    };

    protected ServedModel(ModelKind kind, IReadOnlyDictionary<string, string?>? settings = null)
    {
        Folder = new ModelFolder(kind);
        App = new ServingApp(Folder.Root, new Dictionary<string, string?>(SmallLimits.Concat(settings ?? new Dictionary<string, string?>())));
        Reference = Folder.OpenReference();
    }

    internal ModelFolder Folder { get; }

    internal ServingApp App { get; }

    internal Reference Reference { get; }

    internal HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync() => Client = await App.StartReadyAsync();

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await App.DisposeAsync();
        Reference.Dispose();
        Folder.Dispose();
    }
}

/// <summary>A user-based model with its network rows batched across requests (the default).</summary>
public sealed class UserBasedService() : ServedModel(ModelKind.UserBased);

/// <summary>A user-based model answered by the library one request at a time, nothing cached.</summary>
public sealed class UnbatchedUserBasedService() : ServedModel(
    ModelKind.UserBased, new Dictionary<string, string?> { ["Batching:Enabled"] = "false", ["Model:CachedUsers"] = "0" });

public sealed class ItemBasedService() : ServedModel(ModelKind.ItemBased);
