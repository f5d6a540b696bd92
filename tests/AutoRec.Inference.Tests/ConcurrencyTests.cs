namespace AutoRec.Inference.Tests;

/// <summary>One model serves many threads at once with exactly the answers it gives one thread.</summary>
public sealed class ConcurrencyTests : IDisposable
{
    private const int Users = 40;

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void ParallelCallersGetTheSameAnswersAsOneThread()
    {
        TestModel written = TestModels.Write(_dir.Root, new ModelSpec { Ids = Enumerable.Range(1, 60).ToArray(), Hidden = [16], Seed = 9 });
        using RecommenderModel model = written.Open(new RecommenderOptions { IntraOpThreads = 1 });
        Dictionary<int, float>[] users = RandomUsers(written.Spec.Ids);
        IRecommender recommender = Recommender.Create(model, []);
        float[][] predictions = users.Select(u => model.Predict(u)).ToArray();
        IReadOnlyList<Recommendation>[] top = users.Select(u => recommender.Recommend(u, 10)).ToArray();
        float[][][] pairs = users.Select((u, i) => model.PredictBatch([u, users[(i + 1) % Users]])).ToArray();

        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        Parallel.For(0, 1600, new ParallelOptions { MaxDegreeOfParallelism = 24 }, i =>
        {
            int user = i % Users;
            switch (i % 3)
            {
                case 0 when !model.Predict(users[user]).SequenceEqual(predictions[user]):
                    failures.Add($"predict {user}");
                    break;
                case 1 when !recommender.Recommend(users[user], 10).SequenceEqual(top[user]):
                    failures.Add($"recommend {user}");
                    break;
                case 2 when !model.PredictBatch([users[user], users[(user + 1) % Users]]).Zip(pairs[user]).All(p => p.First.SequenceEqual(p.Second)):
                    failures.Add($"batch {user}");
                    break;
            }
        });
        Assert.Empty(failures);
    }

    [Fact]
    public void TwentyThreadsStartedTogetherAgree()
    {
        // Explicit threads released by a barrier guarantee real overlap even on a two-core machine.
        TestModel written = TestModels.Write(_dir.Root, new ModelSpec { Ids = Enumerable.Range(1, 60).ToArray(), Hidden = [16], Fill = AutoRec.Onnx.DefaultFill.RowMean, Seed = 4 });
        using RecommenderModel model = written.Open();
        Dictionary<int, float>[] users = RandomUsers(written.Spec.Ids);
        float[][] expected = users.Select(u => model.Predict(u)).ToArray();
        const int threads = 20;
        using var barrier = new Barrier(threads);
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        Thread[] workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            barrier.SignalAndWait();
            for (int k = 0; k < 100; k++)
            {
                int user = (t * 7 + k) % Users;
                if (!model.Predict(users[user]).SequenceEqual(expected[user]))
                {
                    failures.Add($"thread {t}, user {user}");
                }
            }
        })).ToArray();
        foreach (Thread worker in workers)
        {
            worker.Start();
        }

        foreach (Thread worker in workers)
        {
            worker.Join();
        }

        Assert.Empty(failures);
        Assert.Equal(expected[0], written.Reference(users[0]), Tolerance.Comparer);
    }

    [Fact]
    public void ItemBasedFactorsServeParallelCallersAlike()
    {
        // Fold-ins, known users and similar movies share the immutable factors and rent their own buffers.
        TestModel written = TestModels.Write(_dir.Root, new ModelSpec { Kind = ModelKind.ItemBased, Ids = FactorFixture.Users, Hidden = [8], L2Decoder = 1, Loss = "masked-sse" });
        using RecommenderModel model = written.Open();
        IRecommender recommender = Recommender.Create(model, FactorFixture.Ratings(13, FactorFixture.WholeStars));
        Dictionary<int, float>[] users = RandomUsers(FactorFixture.Movies);
        IReadOnlyList<Recommendation>[] folded = users.Select(u => recommender.Recommend(u, new RecommendationQuery { Count = 5, Offset = 1 })).ToArray();
        IReadOnlyList<Recommendation>[] known = FactorFixture.Users.Select(u => recommender.Recommend(u, 4)).ToArray();
        IReadOnlyList<SimilarMovie>[] similar = FactorFixture.Movies.Select(m => recommender.SimilarMovies(m, 3)).ToArray();

        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        Parallel.For(0, 1200, new ParallelOptions { MaxDegreeOfParallelism = 16 }, i =>
        {
            int user = i % Users;
            switch (i % 3)
            {
                case 0 when !recommender.Recommend(users[user], new RecommendationQuery { Count = 5, Offset = 1 }).SequenceEqual(folded[user]):
                    failures.Add($"fold-in {user}");
                    break;
                case 1 when !recommender.Recommend(FactorFixture.Users[i % FactorFixture.Users.Length], 4).SequenceEqual(known[i % FactorFixture.Users.Length]):
                    failures.Add($"known {i % FactorFixture.Users.Length}");
                    break;
                case 2 when !recommender.SimilarMovies(FactorFixture.Movies[i % FactorFixture.Movies.Length], 3).SequenceEqual(similar[i % FactorFixture.Movies.Length]):
                    failures.Add($"similar {i % FactorFixture.Movies.Length}");
                    break;
            }
        });
        Assert.Empty(failures);
    }

    private static Dictionary<int, float>[] RandomUsers(int[] ids)
    {
        var random = new Random(17);
        return Enumerable.Range(0, Users)
            .Select(_ => ids.Where(_ => random.Next(4) == 0).ToDictionary(id => id, _ => (float)random.Next(1, 6)))
            .ToArray();
    }
}
