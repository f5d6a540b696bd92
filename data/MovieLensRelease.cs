using AutoRec.Contracts;

namespace AutoRec.Data;

/// <summary>
/// A MovieLens release GroupLens publishes: its layout, rating scale and, where the zip is stable, how to download
/// and check it. The one table of known datasets: the build's download step and the readers both use it.
/// </summary>
/// <param name="Name">The release, e.g. <c>ml-1m</c> (the <c>Dataset</c> property).</param>
/// <param name="Format">Its file layout.</param>
/// <param name="Scale">Its rating scale.</param>
/// <param name="ZipFolder">The folder the zip unpacks to; null when the release is not downloaded by the build.</param>
/// <param name="ZipSha256">The zip's pinned SHA-256 (tensorflow/datasets and others agree); null likewise.</param>
public sealed record MovieLensRelease(string Name, MovieLensFormat Format, RatingScale Scale, string? ZipFolder, string? ZipSha256)
{
    /// <summary>Where GroupLens serves the zips.</summary>
    public const string DownloadRoot = "https://files.grouplens.org/datasets/movielens/";

    /// <summary>Every release the pipeline knows, in order of size.</summary>
    public static IReadOnlyList<MovieLensRelease> All { get; } =
    [
        new("ml-latest-small", MovieLensFormat.Csv, RatingScale.HalfStars, "ml-latest-small", "696d65a3dfceac7c45750ad32df2c259311949efec81f0f144fdfb91ebc9e436"),
        new("ml-100k", MovieLensFormat.Ml100k, RatingScale.WholeStars, "ml-100k", "50d2a982c66986937beb9ffb3aa76efe955bf3d5c6b761f4e3a7cd717c6a3229"),
        new("ml-1m", MovieLensFormat.DoubleColon, RatingScale.WholeStars, "ml-1m", "a6898adb50b9ca05aa231689da44c217cb524e7ebd39d264c56e2832f2c54e20"),
        new("ml-10m", MovieLensFormat.DoubleColon, RatingScale.HalfStars, "ml-10M100K", "813c411ccb6122564edfe752e7f80c4dcc5aa25fa94c93622f6877a7ba252862"),
        new("ml-20m", MovieLensFormat.Csv, RatingScale.HalfStars, "ml-20m", "96f243c338a8665f6bcc89c53edf6ee39162a846940de6b7c8c48aeada765ff3"),
        new("ml-25m", MovieLensFormat.Csv, RatingScale.HalfStars, "ml-25m", "8b21cfb7eb1706b4ec0aac894368d90acf26ebdfb6aced3ebd4ad5bd1eb9c6aa"),
        new("ml-32m", MovieLensFormat.Csv, RatingScale.HalfStars, "ml-32m", "e4a68655d7386b8f95f2f2424b2ff975dfdd15ffd59e0d864a14dca43e99d6ee"),

        // Its zip changes over time, so no hash can be pinned: the build never downloads it.
        new("ml-latest", MovieLensFormat.Csv, RatingScale.HalfStars, null, null),
    ];

    /// <summary>The zip's address, or null when the build does not download this release.</summary>
    public string? DownloadUrl => ZipSha256 is null ? null : $"{DownloadRoot}{Name}.zip";

    /// <summary>The release named <paramref name="name"/> (case-insensitive), or null for a dataset of one's own.</summary>
    public static MovieLensRelease? Find(string name) =>
        All.FirstOrDefault(release => string.Equals(release.Name, name, StringComparison.OrdinalIgnoreCase));
}
