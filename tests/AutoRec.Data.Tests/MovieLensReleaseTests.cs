namespace AutoRec.Data.Tests;

/// <summary>The table of known releases: the one place the build's download step and the readers look.</summary>
public sealed class MovieLensReleaseTests
{
    [Theory]
    [InlineData("ml-1m", MovieLensFormat.DoubleColon, 1f)]
    [InlineData("ML-10M", MovieLensFormat.DoubleColon, 0.5f)]
    [InlineData("ml-100k", MovieLensFormat.Ml100k, 1f)]
    [InlineData("ml-20m", MovieLensFormat.Csv, 0.5f)]
    [InlineData("ml-latest", MovieLensFormat.Csv, 0.5f)]
    public void KnownReleasesHaveTheirLayoutAndScale(string name, MovieLensFormat format, float lowest)
    {
        MovieLensRelease release = MovieLensRelease.Find(name) ?? throw new Xunit.Sdk.XunitException($"{name} not found");
        Assert.Equal(format, release.Format);
        Assert.Equal(lowest, release.Scale.Min);
    }

    [Fact]
    public void DownloadableReleasesHaveAPinnedHashAndAFolder()
    {
        Assert.All(
            MovieLensRelease.All.Where(r => r.DownloadUrl is not null),
            r =>
            {
                Assert.Equal($"https://files.grouplens.org/datasets/movielens/{r.Name}.zip", r.DownloadUrl);
                Assert.Matches("^[0-9a-f]{64}$", r.ZipSha256!);
                Assert.False(string.IsNullOrEmpty(r.ZipFolder));
            });
        Assert.Null(MovieLensRelease.Find("ml-latest")!.DownloadUrl);
        Assert.Null(MovieLensRelease.Find("my-own-ratings"));
    }

    [Fact]
    public void ThePipelinePageListsExactlyTheKnownReleases()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "Pipeline.sln")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        Assert.NotNull(dir);
        string row = File.ReadLines(Path.Combine(dir, "docs", "pipeline.md")).Single(line => line.StartsWith("| `Dataset` |", StringComparison.Ordinal));
        string[] listed = System.Text.RegularExpressions.Regex.Matches(row, "`(ml-[a-z0-9-]+)`").Select(m => m.Groups[1].Value).ToArray();
        Assert.Equal(MovieLensRelease.All.Select(r => r.Name).Order(), listed.Distinct().Order());
    }
}
