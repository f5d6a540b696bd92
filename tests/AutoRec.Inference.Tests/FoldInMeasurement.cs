using System.Diagnostics;
using AutoRec.Data;
using AutoRec.Inference.FoldIn;
using AutoRec.Inference.Network;
using AutoRec.Inference.Recommenders;
using Xunit.Abstractions;

namespace AutoRec.Inference.Tests;

/// <summary>
/// How good and how fast fold-in is on the pipeline's ML-1M model (artifacts/ml-1m, made by <c>dotnet build</c>):
/// held-out users folded in from their training ratings against the same users served by their trained decoder
/// rows; with <c>AUTOREC_MEASURE=1</c> also a λ sweep, the fold-in + top-10 latency and the recommender's memory and
/// build time (a minute; run it on a quiet machine with a Release build). Both report their numbers (run with
/// <c>--logger "console;verbosity=detailed"</c> to see them) and are skipped where the artifacts are missing:
/// <code>AUTOREC_MEASURE=1 dotnet test -c Release tests/AutoRec.Inference.Tests --filter Category=Measurement --logger "console;verbosity=detailed"</code>
/// </summary>
[Trait("Category", "Measurement")]
public sealed class FoldInMeasurement(ITestOutputHelper output)
{
    private const int Seed = 20261130;
    private const int HeldOutUsers = 300;
    private const int GivenRatings = 20;

    /// <summary>Toy Story, Star Wars, The Godfather, The Matrix.</summary>
    private static readonly int[] FamousMovies = [1, 260, 858, 2571];

    [SkippableFact]
    public void FoldInIsAsGoodAsTraining()
    {
        (Rating[] train, Rating[] test, RecommenderModel model) = Open();
        using (model)
        {
            (int[] heldOut, ILookup<int, Rating> trainOf, ILookup<int, Rating> testOf) = HoldOut(train, test, new Random(Seed));
            var held = heldOut.ToHashSet();
            var recommender = (ItemBasedRecommender)Recommender.Create(model, train);
            Skip.IfNot(recommender.CanRecommendForRatings, "the ML-1M model's output layer is not linear");
            var unseen = (ItemBasedRecommender)Recommender.Create(model, train.Where(r => !held.Contains(r.UserId)));
            RmseResult trained = Score(heldOut, testOf, (user, movies) => [.. movies.Select(m => recommender.Predict(user, m))], recommender);
            RmseResult foldedUnseen = Score(heldOut, testOf, (user, movies) => unseen.Predict(RatingsOf(trainOf[user].Where(r => unseen.ContainsMovie(r.MovieId))), movies), unseen);
            output.WriteLine($"{heldOut.Length} held-out users (seed {Seed}): trained RMSE {trained.Global:F4}, folded in (codes without them) {foldedUnseen.Global:F4}");

            // Fold-in solves the problem training solved for each user's row: it comes close to the trained rows.
            Assert.True(foldedUnseen.Global < trained.Global + 0.03, $"fold-in RMSE {foldedUnseen.Global:F4} against {trained.Global:F4} as trained users");
        }
    }

    [SkippableFact]
    public void FoldInOnMl1m()
    {
        Skip.IfNot(Environment.GetEnvironmentVariable("AUTOREC_MEASURE") == "1", "set AUTOREC_MEASURE=1 to measure fold-in speed and memory on ML-1M (a minute)");
        (Rating[] train, Rating[] test, RecommenderModel model) = Open();
        using (model)
        {
            Measure(train, test, model);
        }
    }

    private void Measure(Rating[] train, Rating[] test, RecommenderModel model)
    {
        // Memory: what the recommender keeps (GC heap before and after), against the users x movies table it replaced.
        long before = GC.GetTotalMemory(forceFullCollection: true);
        var clock = Stopwatch.StartNew();
        var recommender = (ItemBasedRecommender)Recommender.Create(model, train);
        double createSeconds = clock.Elapsed.TotalSeconds;
        long retained = GC.GetTotalMemory(forceFullCollection: true) - before;
        Skip.IfNot(recommender.CanRecommendForRatings, "the ML-1M model's output layer is not linear");
        double tableMb = (double)recommender.UserIds.Count * recommender.MovieIds.Count * sizeof(float) / (1 << 20);
        output.WriteLine($"memory: factors {recommender.FactorBytes / (double)(1 << 20):F1} MiB, GC heap retained by the recommender {retained / (double)(1 << 20):F1} MiB " +
            $"(the users x movies table it replaces: {tableMb:F1} MiB, plus a HashSet per user); Recommender.Create {createSeconds:F2} s");
        // The layout this replaced: the table, plus a HashSet of rated movie indices per user (built here as it was).
        before = GC.GetTotalMemory(forceFullCollection: true);
        HashSet<int>[] sets = [.. recommender.UserIds.Select(_ => new HashSet<int>())];
        var userOf = recommender.UserIds.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i);
        var movieOf = recommender.MovieIds.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i);
        foreach (Rating r in train)
        {
            sets[userOf[r.UserId]].Add(movieOf[r.MovieId]);
        }

        long setBytes = GC.GetTotalMemory(forceFullCollection: true) - before;
        GC.KeepAlive(sets);
        clock.Restart();
        _ = model.PredictPairs(train, [.. recommender.MovieIds.Select(m => (recommender.UserIds[0], m))]);
        output.WriteLine($"  before: the table {tableMb:F1} MiB + the per-user sets {setBytes / (double)(1 << 20):F1} MiB; its network pass over every movie row alone {clock.Elapsed.TotalSeconds:F2} s");
        foreach (MovieCodeEncoder.Method method in new[] { MovieCodeEncoder.Method.Sparse, MovieCodeEncoder.Method.Graph, MovieCodeEncoder.Method.Sparse, MovieCodeEncoder.Method.Graph })
        {
            clock.Restart();
            _ = ItemBasedRecommender.Create(model, train, null, null, method);
            output.WriteLine($"  Create again, codes {method}: {clock.Elapsed.TotalSeconds:F2} s");
        }

        var random = new Random(Seed);
        (int[] heldOut, ILookup<int, Rating> trainOf, ILookup<int, Rating> testOf) = HoldOut(train, test, random);
        var held = heldOut.ToHashSet();

        // As if new: the codes computed without the held-out users' ratings (their columns never reach the encoder).
        var unseen = (ItemBasedRecommender)Recommender.Create(model, train.Where(r => !held.Contains(r.UserId)));
        RmseResult trained = Score(heldOut, testOf, (user, movies) => [.. movies.Select(m => recommender.Predict(user, m))], recommender);
        RmseResult foldedIn = Score(heldOut, testOf, (user, movies) => recommender.Predict(RatingsOf(trainOf[user]), movies), recommender);
        RmseResult foldedUnseen = Score(heldOut, testOf, (user, movies) => unseen.Predict(RatingsOf(trainOf[user].Where(r => unseen.ContainsMovie(r.MovieId))), movies), unseen);
        output.WriteLine($"{heldOut.Length} held-out users (seed {Seed}), {trained.Count} test ratings; λ = {recommender.Prior.Lambda}, per-movie weights: {recommender.Prior.WeightsByMovieCount}");
        output.WriteLine($"  as trained users (their decoder rows):        RMSE {trained.Global:F4} (user mean {trained.UserMean:F4})");
        output.WriteLine($"  folded in, codes from all training ratings:   RMSE {foldedIn.Global:F4} (user mean {foldedIn.UserMean:F4})");
        output.WriteLine($"  folded in, codes without these users:         RMSE {foldedUnseen.Global:F4} (user mean {foldedUnseen.UserMean:F4}, {foldedUnseen.Skipped} test ratings of movies left without ratings skipped)");
        foreach (double scale in new[] { 1.0 / 15, 1.0 / 3, 3, 10 })
        {
            var prior = new FoldInPrior(recommender.Prior.Lambda * scale, recommender.Prior.WeightsByMovieCount);
            var other = ItemBasedRecommender.Create(model, train.Where(r => !held.Contains(r.UserId)), null, null, prior: prior);
            RmseResult result = Score(heldOut, testOf, (user, movies) => other.Predict(RatingsOf(trainOf[user].Where(r => other.ContainsMovie(r.MovieId))), movies), other);
            output.WriteLine($"  (λ = {prior.Lambda:G4}, codes without these users: RMSE {result.Global:F4})");
        }

        Assert.True(foldedUnseen.Global < 1.0, $"fold-in RMSE {foldedUnseen.Global}");

        // Latency: fold-in of 20 given ratings + top 10, one thread, after warm-up.
        Dictionary<int, float>[] requests = [.. heldOut.Where(u => trainOf[u].Count() >= GivenRatings)
            .Select(u => trainOf[u].OrderBy(_ => random.Next()).Take(GivenRatings).ToDictionary(r => r.MovieId, r => r.Value))];
        IRecommender serving = recommender;
        (double p50, double p99) = Latency(requests.Length, i => serving.Recommend(requests[i % requests.Length], 10));
        (double knownP50, double knownP99) = Latency(heldOut.Length, i => serving.Recommend(heldOut[i % heldOut.Length], 10));
        (double similarP50, double similarP99) = Latency(serving.MovieIds.Count, i => serving.SimilarMovies(serving.MovieIds[i % serving.MovieIds.Count], 10));
        output.WriteLine($"latency, {requests.Length} requests of {GivenRatings} ratings: fold-in + top 10 p50 {p50:F3} ms, p99 {p99:F3} ms");
        output.WriteLine($"  known user top 10: p50 {knownP50:F3} ms, p99 {knownP99:F3} ms; similar movies top 10: p50 {similarP50:F3} ms, p99 {similarP99:F3} ms");
        output.WriteLine($"  machine: {Environment.ProcessorCount} cores, load average {LoadAverage()}");

        // What similar movies look like: cosine of the sigmoid codes.
        string movies = Path.Combine(Ml1m()!, "data", "movies.parquet");
        if (File.Exists(movies))
        {
            MovieCatalog catalog = MovieCatalog.From(ParquetTables.ReadMovies(movies));
            IRecommender titled = Recommender.Create(model, train, catalog);
            foreach (int movie in FamousMovies.Where(titled.ContainsMovie))
            {
                output.WriteLine($"  like {catalog.TitleOf(movie)}: {string.Join("; ", titled.SimilarMovies(movie, 5).Select(m => $"{m.Title} {m.Similarity:F3}"))}");
            }
        }
    }

    /// <summary>The ML-1M splits and item-based model; skips where they are missing.</summary>
    private static (Rating[] Train, Rating[] Test, RecommenderModel Model) Open()
    {
        string? folder = Ml1m();
        Skip.If(folder is null, "artifacts/ml-1m (data and model) not found: run dotnet build first");
        Rating[] train = ParquetTables.ReadRatings(Path.Combine(folder!, "data", "train.parquet"));
        Rating[] test = ParquetTables.ReadRatings(Path.Combine(folder!, "data", "test.parquet"));
        var model = RecommenderModel.Open(Path.Combine(folder!, "model", "model.onnx"), new RecommenderOptions { IntraOpThreads = 1 });
        if (model.Kind != ModelKind.ItemBased)
        {
            model.Dispose();
            throw new SkipException("the ML-1M model is not item-based");
        }

        return (train, test, model);
    }

    /// <summary>Held-out users: a seeded sample of the users with test ratings, and their training and test ratings.</summary>
    private static (int[] Users, ILookup<int, Rating> TrainOf, ILookup<int, Rating> TestOf) HoldOut(Rating[] train, Rating[] test, Random random)
    {
        int[] heldOut = [.. test.Select(r => r.UserId).Distinct().Order().OrderBy(_ => random.Next()).Take(HeldOutUsers).Order()];
        var held = heldOut.ToHashSet();
        return (heldOut, train.Where(r => held.Contains(r.UserId)).ToLookup(r => r.UserId), test.Where(r => held.Contains(r.UserId)).ToLookup(r => r.UserId));
    }

    private static Dictionary<int, float> RatingsOf(IEnumerable<Rating> ratings) => ratings.ToDictionary(r => r.MovieId, r => r.Value);

    private static RmseResult Score(int[] users, ILookup<int, Rating> testOf, Func<int, int[], float[]> predict, ItemBasedRecommender recommender)
    {
        var rmse = new RmseAccumulator();
        foreach (int user in users)
        {
            Rating[] scored = [.. testOf[user].Where(r => recommender.ContainsMovie(r.MovieId))];
            for (int skipped = testOf[user].Count() - scored.Length; skipped > 0; skipped--)
            {
                rmse.Skip();
            }

            float[] predicted = predict(user, [.. scored.Select(r => r.MovieId)]);
            for (int i = 0; i < scored.Length; i++)
            {
                rmse.Add(user, predicted[i], scored[i].Value);
            }
        }

        return rmse.Result();
    }

    private static (double P50, double P99) Latency(int distinct, Action<int> call)
    {
        for (int i = 0; i < 300; i++)
        {
            call(i);
        }

        int calls = Math.Max(3000, distinct);
        var times = new double[calls];
        for (int i = 0; i < calls; i++)
        {
            long start = Stopwatch.GetTimestamp();
            call(i);
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        Array.Sort(times);
        return (times[calls / 2], times[(int)(calls * 0.99)]);
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "unknown";

    private static string? Ml1m()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            string folder = Path.Combine(directory.FullName, "artifacts", "ml-1m");
            if (File.Exists(Path.Combine(folder, "model", "model.onnx")) && File.Exists(Path.Combine(folder, "data", "train.parquet"))
                && File.Exists(Path.Combine(folder, "data", "test.parquet")))
            {
                return folder;
            }
        }

        return null;
    }
}
