namespace AutoRec.Benchmarks;

/// <summary>Finds the MovieLens copy to measure: AUTOREC_DATASET_DIR, data/raw/ml-1m or ../shared/data/ml-1m.</summary>
internal static class BenchmarkData
{
    /// <summary>The dataset in <see cref="Ml1mDirectory"/>: AUTOREC_DATASET, else ml-1m.</summary>
    public static string DatasetName() =>
        Environment.GetEnvironmentVariable("AUTOREC_DATASET") is { Length: > 0 } name ? name : "ml-1m";

    public static string Ml1mDirectory()
    {
        if (Environment.GetEnvironmentVariable("AUTOREC_DATASET_DIR") is { Length: > 0 } given)
        {
            return given;
        }

        for (string? dir = AppContext.BaseDirectory; dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (File.Exists(Path.Combine(dir, "Pipeline.sln")))
            {
                foreach (string candidate in new[] { Path.Combine(dir, "data", "raw", "ml-1m"), Path.Combine(dir, "..", "shared", "data", "ml-1m") })
                {
                    if (File.Exists(Path.Combine(candidate, "ratings.dat")))
                    {
                        return Path.GetFullPath(candidate);
                    }
                }
            }
        }

        throw new DirectoryNotFoundException("ML-1M not found: set AUTOREC_DATASET_DIR to a folder with ratings.dat, movies.dat and users.dat");
    }
}
