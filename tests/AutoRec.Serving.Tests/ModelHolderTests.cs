using AutoRec.Serving.Configuration;
using AutoRec.Serving.Models;
using AutoRec.Serving.Observability;
using Microsoft.Extensions.Options;

namespace AutoRec.Serving.Tests;

/// <summary>A replaced generation stays usable by the requests holding it and is disposed when the last one lets go.</summary>
public sealed class ModelHolderTests
{
    [Fact]
    public void AReplacedGenerationIsDisposedOnlyAfterItsLastLease()
    {
        using var folder = new ModelFolder(ModelKind.UserBased);
        var loader = new ModelLoader(
            Options.Create(new ModelOptions { Directory = folder.Root }), Options.Create(new BatchingOptions()), Options.Create(new ServingOptions()),
            new ServingMetrics(), TimeProvider.System);
        using var holder = new ModelHolder();
        ModelGeneration first = Load(loader);
        holder.Publish(first);

        GenerationLease held = holder.Acquire();
        folder.ReplaceModel(seed: 2);
        ModelGeneration second = Load(loader);
        holder.Publish(second);

        Assert.Same(first, held.Generation);
        _ = first.Recommender.Recommend(folder.UserIds[0], 3); // still whole while held
        using (GenerationLease fresh = holder.Acquire())
        {
            Assert.Same(second, fresh.Generation);
        }

        held.Dispose();
        Assert.Throws<ObjectDisposedException>(() => first.Model!.Predict(new Dictionary<int, float>()));
        Assert.Throws<ObjectDisposedException>(() => first.Answers.PredictAsync(folder.UserIds[0]).AsTask().GetAwaiter().GetResult()); // its batcher is stopped
        _ = second.Recommender.Recommend(folder.UserIds[0], 3);
    }

    [Fact]
    public void NoGenerationGivesAnEmptyLease()
    {
        using var holder = new ModelHolder();

        using GenerationLease lease = holder.Acquire();

        Assert.Null(lease.Generation);
    }

    private static ModelGeneration Load(ModelLoader loader)
    {
        ServedFile file = loader.ReadModel();
        return loader.Load(file, ModelLoader.VersionOf(file.Bytes));
    }
}
