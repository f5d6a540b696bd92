namespace AutoRec.BuildTasks.Tests;

/// <summary>What the data-task tests share: a raw folder, an output folder, and the tasks run directly with a recording build engine.</summary>
public abstract class DataTaskTestBase : IDisposable
{
    protected static readonly string[] ConvertOutputs = ["ratings.parquet", "movies.parquet", "users.parquet"];
    protected static readonly string[] SplitOutputs = ["train.parquet", "validation.parquet", "test.parquet", "split.json"];

    /// <summary>The test's folder.</summary>
    private protected TempDir Dir { get; } = new();

    /// <summary>Where the raw MovieLens files go.</summary>
    protected string Raw { get; }

    /// <summary>Where the tasks write.</summary>
    protected string Out { get; }

    protected DataTaskTestBase()
    {
        Raw = Dir.PathOf("raw");
        Out = Dir.PathOf("out");
    }

    public void Dispose()
    {
        Dir.Dispose();
        GC.SuppressFinalize(this);
    }

    private protected (bool Result, FakeBuildEngine Engine, ConvertMovieLens Task) Convert(string dataset = "tiny")
    {
        var engine = new FakeBuildEngine();
        var task = new ConvertMovieLens { BuildEngine = engine, Dataset = dataset, DatasetDir = Raw, OutputDirectory = Out };
        return (task.Execute(), engine, task);
    }

    private protected (bool Result, FakeBuildEngine Engine, SplitRatings Task) Split(string seed = "999613182", string test = "0.1", string validation = "0.1", string? ratings = null)
    {
        var engine = new FakeBuildEngine();
        var task = new SplitRatings
        {
            BuildEngine = engine,
            RatingsFile = ratings ?? Path.Combine(Out, "ratings.parquet"),
            OutputDirectory = Out,
            Seed = seed,
            TestFraction = test,
            ValidationFraction = validation,
        };
        return (task.Execute(), engine, task);
    }

    protected Dictionary<string, byte[]> Snapshot() =>
        Directory.GetFiles(Out).ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes);

    protected void AssertUnchanged(Dictionary<string, byte[]> before)
    {
        Dictionary<string, byte[]> after = Snapshot();
        Assert.Equal(before.Keys.Order(), after.Keys.Order());
        foreach ((string name, byte[] bytes) in before)
        {
            Assert.True(bytes.AsSpan().SequenceEqual(after[name]), $"{name} changed");
        }

        Assert.Empty(Directory.GetFiles(Dir.Root, "*.tmp", SearchOption.AllDirectories));
    }
}
