using AutoRec.Contracts;
using AutoRec.Data;
using AutoRec.Inference;
using static AutoRec.Benchmarks.CommandOptions;

namespace AutoRec.Benchmarks;

/// <summary>
/// What a blend's calls cost, member by member: top-10 for a user given by their ratings (each user's training
/// ratings in turn) and a known user's predictions of every movie, for each member's own recommender and for the blend.
/// </summary>
internal static class BlendBench
{
    public static int Run(string[] args, TextWriter output)
    {
        string manifest = Option(args, "--blend") ?? "artifacts/item-user-blend/model/blend.json";
        string dataDir = Option(args, "--data") ?? "artifacts/item-user-blend/data";
        int calls = int.Parse(Option(args, "--calls") ?? "2000", System.Globalization.CultureInfo.InvariantCulture);
        Rating[] train = ParquetTables.ReadRatings(Path.Combine(dataDir, "train.parquet"));
        using BlendedModel blend = BlendedModel.Open(manifest);

        // The managed memory the recommender holds: the heap after it is built less the heap before (both after a
        // full collection; the members' ONNX Runtime sessions are native memory, in the working set only).
        long before = GC.GetTotalMemory(forceFullCollection: true);
        IRecommender blended = Recommender.Create(blend, train);
        long held = GC.GetTotalMemory(forceFullCollection: true) - before;
        output.WriteLine($"# blend {blend.Manifest.Name} ({blend.Members.Count} members) on {dataDir}; {Environment.ProcessorCount} cores; {DateTime.UtcNow:yyyy-MM-dd}");
        output.WriteLine($"memory: the blend's recommender holds {held / 1048576.0:F1} MiB of managed memory; process working set {Environment.WorkingSet / 1048576.0:F0} MiB");

        Dictionary<int, float>[] users = [.. train.GroupBy(r => r.UserId).Select(g => g.ToDictionary(r => r.MovieId, r => r.Value))];
        // The service's load test's new user (20 ratings) and its heaviest request (500, Serving:MaxRatings), from the
        // training users who have that many.
        Dictionary<int, float>[] light = [.. users.Where(u => u.Count >= 20).Select(u => u.Take(20).ToDictionary())];
        Dictionary<int, float>[] heavy = [.. users.Where(u => u.Count >= 500).Select(u => u.Take(500).ToDictionary())];
        int[] userIds = [.. blended.UserIds];
        var recommenders = new List<(string Name, IRecommender Recommender)>();
        for (int k = 0; k < blend.Members.Count; k++)
        {
            long start = GC.GetTotalMemory(forceFullCollection: true);
            IRecommender member = Recommender.Create(blend.Members[k], train);
            output.WriteLine($"memory: member {blend.Manifest.Members[k].Name} alone holds {(GC.GetTotalMemory(forceFullCollection: true) - start) / 1048576.0:F1} MiB of managed memory");
            recommenders.Add((blend.Manifest.Members[k].Name, member));
        }

        recommenders.Add(("blend", blended));
        foreach ((string name, IRecommender recommender) in recommenders)
        {
            if (recommender.CanRecommendForRatings)
            {
                output.WriteLine($"{name,-8} top-10 for a user's ratings   {Latency.Measure(calls, i => recommender.Recommend(users[i % users.Length], 10))}");
                output.WriteLine($"{name,-8} top-10 for 20 ratings         {Latency.Measure(calls, i => recommender.Recommend(light[i % light.Length], 10))}");
                output.WriteLine($"{name,-8} top-10 for 500 ratings        {Latency.Measure(calls, i => recommender.Recommend(heavy[i % heavy.Length], 10))}");
            }

            output.WriteLine($"{name,-8} a known user's predictions   {Latency.Measure(calls, i => recommender.PredictUser(userIds[i % userIds.Length]))}");
        }

        return 0;
    }
}
