using System.Globalization;
using AutoRec.Contracts;

namespace AutoRec.Data;

/// <summary>Reads and validates a MovieLens release in any of its formats.</summary>
public static class MovieLensReader
{
    private static readonly string[] Ml100kGenres =
    [
        "unknown", "Action", "Adventure", "Animation", "Children's", "Comedy", "Crime", "Documentary", "Drama",
        "Fantasy", "Film-Noir", "Horror", "Musical", "Mystery", "Romance", "Sci-Fi", "Thriller", "War", "Western",
    ];

    // From the ml-1m README: users.dat stores occupations as these codes.
    private static readonly string[] Ml1mOccupations =
    [
        "other", "academic/educator", "artist", "clerical/admin", "college/grad student", "customer service",
        "doctor/health care", "executive/managerial", "farmer", "homemaker", "K-12 student", "lawyer", "programmer",
        "retired", "sales/marketing", "scientist", "self-employed", "technician/engineer", "tradesman/craftsman",
        "unemployed", "writer",
    ];

    /// <summary>Reads every file of <paramref name="layout"/>, validating as it goes.</summary>
    /// <exception cref="DataFormatException">Any file is missing, empty or malformed.</exception>
    public static MovieLensDataset Read(MovieLensLayout layout)
    {
        MovieLensTables tables = ReadTables(layout);
        return new MovieLensDataset(tables.Name, tables.Scale, tables.Ratings.ToRatings(), tables.Users, tables.Movies);
    }

    /// <summary>Reads every file of <paramref name="layout"/> like <see cref="Read"/>, keeping the ratings as columns.</summary>
    /// <exception cref="DataFormatException">Any file is missing, empty or malformed.</exception>
    public static MovieLensTables ReadTables(MovieLensLayout layout)
    {
        RatingColumns ratings = ReadRatingColumns(layout.RatingsFile, layout.Format, layout.Scale);
        IReadOnlyList<Movie> movies = ReadMovies(layout);
        IReadOnlyList<User> users = layout.UsersFile is null ? [] : ReadUsers(layout.UsersFile, layout.Format);
        return new MovieLensTables(layout.Dataset, layout.Scale, ratings, users, movies);
    }

    /// <summary>Reads a ratings file in <paramref name="format"/>, keeping its line order.</summary>
    /// <exception cref="DataFormatException">The file is missing, empty or malformed, or a pair repeats.</exception>
    public static Rating[] ReadRatings(string path, MovieLensFormat format, RatingScale scale) =>
        ReadRatingColumns(path, format, scale).ToRatings();

    /// <summary>Reads a ratings file in <paramref name="format"/> into columns, keeping its line order.</summary>
    /// <exception cref="DataFormatException">The file is missing, empty or malformed, or a pair repeats.</exception>
    public static RatingColumns ReadRatingColumns(string path, MovieLensFormat format, RatingScale scale)
    {
        string separator = format switch
        {
            MovieLensFormat.DoubleColon => "::",
            MovieLensFormat.Ml100k => "\t",
            _ => ",",
        };
        bool csv = format == MovieLensFormat.Csv;
        RatingColumns ratings = RatingText.Parse(path, separator, hasHeader: csv, scale);
        EnsureUniquePairs(ratings, path, firstDataLine: csv ? 2 : 1);
        return ratings;
    }

    private static void EnsureUniquePairs(RatingColumns ratings, string path, int firstDataLine)
    {
        int[] users = ratings.UserIds;
        int[] movies = ratings.MovieIds;
        if (PairOrder.FirstRepeat(users, movies, PairOrder.Sorted(users, movies)) is (int first, int repeat))
        {
            throw new DataFormatException(
                DataErrorCodes.DuplicatePair, path, repeat + firstDataLine,
                $"user {users[repeat]} rated movie {movies[repeat]} twice (first on line {first + firstDataLine})");
        }
    }

    private static int ParseId(string text, string what, string path, int line) =>
        RatingText.ParseId(System.Text.Encoding.UTF8.GetBytes(text), what, path, line);

    /// <summary>Reads the movies of <paramref name="layout"/>, decoding latin-1 titles where the file is not UTF-8.</summary>
    public static IReadOnlyList<Movie> ReadMovies(MovieLensLayout layout)
    {
        string path = layout.MoviesFile;
        IReadOnlyList<string> genreNames = layout.GenresFile is null ? Ml100kGenres : ReadGenreNames(layout.GenresFile);
        var movies = new List<Movie>();
        var seen = new HashSet<int>();
        foreach ((int lineNumber, string line) in DecodedLines(path))
        {
            Movie movie = layout.Format switch
            {
                MovieLensFormat.DoubleColon => ParseDatMovie(line, path, lineNumber),
                MovieLensFormat.Ml100k => Parse100kMovie(line, genreNames, path, lineNumber),
                _ => lineNumber == 1 ? CheckCsvHeader(line, "movieId,title,genres", path) : ParseCsvMovie(line, path, lineNumber),
            };
            if (movie.MovieId == 0)
            {
                continue; // the CSV header
            }

            if (!seen.Add(movie.MovieId))
            {
                throw new DataFormatException(DataErrorCodes.BadId, path, lineNumber, $"movie id {movie.MovieId} appears twice");
            }

            movies.Add(movie);
        }

        return movies.Count > 0 ? movies : throw new DataFormatException(DataErrorCodes.EmptyFile, path, 0, "the file holds no movies");
    }

    /// <summary>Reads users.dat (ml-1m) or u.user (ml-100k).</summary>
    public static IReadOnlyList<User> ReadUsers(string path, MovieLensFormat format)
    {
        var users = new List<User>();
        var seen = new HashSet<int>();
        foreach ((int lineNumber, string line) in DecodedLines(path))
        {
            User user = format == MovieLensFormat.Ml100k ? Parse100kUser(line, path, lineNumber) : ParseDatUser(line, path, lineNumber);
            if (!seen.Add(user.UserId))
            {
                throw new DataFormatException(DataErrorCodes.BadId, path, lineNumber, $"user id {user.UserId} appears twice");
            }

            users.Add(user);
        }

        return users.Count > 0 ? users : throw new DataFormatException(DataErrorCodes.EmptyFile, path, 0, "the file holds no users");
    }

    private static IEnumerable<(int Line, string Text)> DecodedLines(string path)
    {
        string text = TextDecoding.Decode(FileBytes.Read(path));
        string[] lines = text.TrimEnd('\r', '\n').Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            yield return (i + 1, lines[i].TrimEnd('\r'));
        }
    }

    private static string[] Fields(string line, string separator, int expected, string what, string path, int lineNumber)
    {
        string[] fields = line.Split(separator);
        return fields.Length == expected
            ? fields
            : throw new DataFormatException(
                DataErrorCodes.FieldCount, path, lineNumber, $"expected {expected} fields ({what}) but found {(line.Length == 0 ? "an empty line" : fields.Length.ToString(CultureInfo.InvariantCulture))}");
    }

    private static Movie ParseDatMovie(string line, string path, int lineNumber)
    {
        string[] f = Fields(line, "::", 3, "movie, title, genres", path, lineNumber);
        return new Movie(ParseId(f[0], "movie id", path, lineNumber), f[1], f[2]);
    }

    private static Movie Parse100kMovie(string line, IReadOnlyList<string> genreNames, string path, int lineNumber)
    {
        int expected = 5 + genreNames.Count;
        string[] f = Fields(line, "|", expected, "movie, title, dates, url, genre flags", path, lineNumber);
        var genres = new List<string>();
        for (int g = 0; g < genreNames.Count; g++)
        {
            string flag = f[5 + g];
            if (flag == "1")
            {
                genres.Add(genreNames[g]);
            }
            else if (flag != "0")
            {
                throw new DataFormatException(DataErrorCodes.BadField, path, lineNumber, $"genre flag {g} is '{flag}', expected 0 or 1");
            }
        }

        return new Movie(ParseId(f[0], "movie id", path, lineNumber), f[1], string.Join('|', genres));
    }

    private static Movie ParseCsvMovie(string line, string path, int lineNumber)
    {
        List<string> f = FieldSplitter.SplitCsv(line)
            ?? throw new DataFormatException(DataErrorCodes.FieldCount, path, lineNumber, "a quoted field is not closed (truncated line?)");
        if (f.Count != 3)
        {
            throw new DataFormatException(DataErrorCodes.FieldCount, path, lineNumber, $"expected 3 fields (movieId, title, genres) but found {f.Count}");
        }

        return new Movie(ParseId(f[0], "movie id", path, lineNumber), f[1], f[2]);
    }

    private static Movie CheckCsvHeader(string line, string header, string path) =>
        line.StartsWith(header, StringComparison.Ordinal)
            ? new Movie(0, "", "")
            : throw new DataFormatException(DataErrorCodes.BadField, path, 1, $"expected the header '{header}'");

    private static User ParseDatUser(string line, string path, int lineNumber)
    {
        string[] f = Fields(line, "::", 5, "user, gender, age, occupation, zip code", path, lineNumber);
        int occupation = ParseNonNegative(f[3], "occupation", path, lineNumber);
        if (occupation >= Ml1mOccupations.Length)
        {
            throw new DataFormatException(DataErrorCodes.BadField, path, lineNumber, $"occupation code {occupation} is not 0..{Ml1mOccupations.Length - 1}");
        }

        return new User(
            ParseId(f[0], "user id", path, lineNumber), ParseGender(f[1], path, lineNumber),
            ParseNonNegative(f[2], "age", path, lineNumber), Ml1mOccupations[occupation], f[4]);
    }

    private static User Parse100kUser(string line, string path, int lineNumber)
    {
        string[] f = Fields(line, "|", 5, "user, age, gender, occupation, zip code", path, lineNumber);
        return new User(
            ParseId(f[0], "user id", path, lineNumber), ParseGender(f[2], path, lineNumber),
            ParseNonNegative(f[1], "age", path, lineNumber), f[3], f[4]);
    }

    private static string ParseGender(string text, string path, int lineNumber) =>
        text is "M" or "F" ? text : throw new DataFormatException(DataErrorCodes.BadField, path, lineNumber, $"gender '{text}' is not M or F");

    private static int ParseNonNegative(string text, string what, string path, int lineNumber) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value)
            ? value
            : throw new DataFormatException(DataErrorCodes.BadField, path, lineNumber, $"{what} '{text}' is not a non-negative integer");

    private static string[] ReadGenreNames(string path)
    {
        var names = new List<string>();
        foreach ((int lineNumber, string line) in DecodedLines(path))
        {
            if (line.Length == 0)
            {
                continue; // u.genre ends with blank lines
            }

            string[] f = Fields(line, "|", 2, "genre, index", path, lineNumber);
            if (ParseNonNegative(f[1], "genre index", path, lineNumber) != names.Count)
            {
                throw new DataFormatException(DataErrorCodes.BadField, path, lineNumber, $"genre index {f[1]} is out of order");
            }

            names.Add(f[0]);
        }

        return names.ToArray();
    }
}
