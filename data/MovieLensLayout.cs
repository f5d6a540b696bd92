using AutoRec.Contracts;

namespace AutoRec.Data;

/// <summary>The three on-disk layouts MovieLens has shipped in.</summary>
public enum MovieLensFormat
{
    /// <summary>ml-1m and ml-10m: <c>ratings.dat</c>, <c>movies.dat</c>, <c>users.dat</c> with <c>::</c> separators.</summary>
    DoubleColon,

    /// <summary>ml-100k: tab-separated <c>u.data</c>, <c>u.user</c> and <c>u.item</c> with <c>|</c>.</summary>
    Ml100k,

    /// <summary>ml-20m, ml-25m, ml-32m, ml-latest: <c>ratings.csv</c> and <c>movies.csv</c> with headers.</summary>
    Csv,
}

/// <summary>Where one dataset's files are and how to read them.</summary>
public sealed record MovieLensLayout(
    string Dataset,
    MovieLensFormat Format,
    RatingScale Scale,
    string RatingsFile,
    string MoviesFile,
    string? UsersFile,
    string? GenresFile)
{
    /// <summary>The files the conversion reads, for incremental builds.</summary>
    public IEnumerable<string> InputFiles =>
        new[] { RatingsFile, MoviesFile, UsersFile, GenresFile }.Where(f => f is not null)!;

    /// <summary>
    /// Finds the layout of <paramref name="directory"/>: by <paramref name="dataset"/> when it names a MovieLens
    /// release, otherwise by the files present.
    /// </summary>
    /// <exception cref="DataFormatException">The folder or a required file is missing, or no layout matches.</exception>
    public static MovieLensLayout Detect(string dataset, string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new DataFormatException(DataErrorCodes.MissingFile, directory, 0, "the dataset folder does not exist");
        }

        MovieLensRelease? release = MovieLensRelease.Find(dataset);
        MovieLensFormat format = release?.Format ?? FormatOfFiles(directory)
            ?? throw new DataFormatException(
                DataErrorCodes.UnknownFormat, directory, 0,
                $"no MovieLens files found for '{dataset}': expected ratings.dat (ml-1m, ml-10m), u.data (ml-100k) or ratings.csv (ml-20m and later)");

        string Required(string name)
        {
            string path = Path.Combine(directory, name);
            return File.Exists(path)
                ? path
                : throw new DataFormatException(DataErrorCodes.MissingFile, path, 0, $"missing file: {name} is required for {dataset} ({format} layout)");
        }

        string? Optional(string name)
        {
            string path = Path.Combine(directory, name);
            return File.Exists(path) ? path : null;
        }

        return format switch
        {
            MovieLensFormat.DoubleColon => new MovieLensLayout(
                dataset, format, release?.Scale ?? ScaleOfUnknownRelease(hasUsers: Optional("users.dat") is not null),
                Required("ratings.dat"), Required("movies.dat"), Optional("users.dat"), null),
            MovieLensFormat.Ml100k => new MovieLensLayout(
                dataset, format, RatingScale.WholeStars,
                Required("u.data"), Required("u.item"), Optional("u.user"), Optional("u.genre")),
            _ => new MovieLensLayout(
                dataset, format, RatingScale.HalfStars,
                Required("ratings.csv"), Required("movies.csv"), null, null),
        };
    }

    private static MovieLensFormat? FormatOfFiles(string directory)
    {
        if (File.Exists(Path.Combine(directory, "ratings.dat")))
        {
            return MovieLensFormat.DoubleColon;
        }

        if (File.Exists(Path.Combine(directory, "u.data")))
        {
            return MovieLensFormat.Ml100k;
        }

        return File.Exists(Path.Combine(directory, "ratings.csv")) ? MovieLensFormat.Csv : null;
    }

    // A dataset of one's own in the ml-1m/ml-10m layout: ml-1m (whole stars) has users, ml-10m (half stars) has none.
    private static RatingScale ScaleOfUnknownRelease(bool hasUsers) => hasUsers ? RatingScale.WholeStars : RatingScale.HalfStars;
}
