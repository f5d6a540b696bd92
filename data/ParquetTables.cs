using AutoRec.Contracts;
using Parquet;
using Parquet.Schema;

namespace AutoRec.Data;

/// <summary>
/// The Parquet files of the pipeline: schemas and whole-file read/write of ratings, users and movies.
/// Files are Snappy-compressed and hold one row group; writers stage to a temporary file (see <see cref="AtomicFiles"/>).
/// </summary>
public static class ParquetTables
{
    private static readonly DataField<int> UserIdField = new("user_id");
    private static readonly DataField<int> MovieIdField = new("movie_id");
    private static readonly DataField<float> RatingField = new("rating");
    private static readonly DataField<long> TimestampField = new("timestamp");
    private static readonly DataField<string> GenderField = new("gender");
    private static readonly DataField<int> AgeField = new("age");
    private static readonly DataField<string> OccupationField = new("occupation");
    private static readonly DataField<string> ZipCodeField = new("zip_code");
    private static readonly DataField<string> TitleField = new("title");
    private static readonly DataField<string> GenresField = new("genres");

    /// <summary>user_id int32, movie_id int32, rating float32, timestamp int64.</summary>
    public static ParquetSchema RatingsSchema { get; } = new(UserIdField, MovieIdField, RatingField, TimestampField);

    /// <summary>user_id int32, gender, age int32, occupation, zip_code.</summary>
    public static ParquetSchema UsersSchema { get; } = new(UserIdField, GenderField, AgeField, OccupationField, ZipCodeField);

    /// <summary>movie_id int32, title (UTF-8), genres ('|' list).</summary>
    public static ParquetSchema MoviesSchema { get; } = new(MovieIdField, TitleField, GenresField);

    /// <summary>
    /// Writes ratings to <paramref name="path"/> (the path is written as given: stage it for atomicity), with the
    /// dataset's rating <paramref name="scale"/> as file metadata when given (see <see cref="ReadRatingScale"/>).
    /// </summary>
    public static void WriteRatings(string path, ReadOnlySpan<Rating> ratings, RatingScale? scale = null)
    {
        var users = new int[ratings.Length];
        var movies = new int[ratings.Length];
        var values = new float[ratings.Length];
        var timestamps = new long[ratings.Length];
        for (int i = 0; i < ratings.Length; i++)
        {
            users[i] = ratings[i].UserId;
            movies[i] = ratings[i].MovieId;
            values[i] = ratings[i].Value;
            timestamps[i] = ratings[i].Timestamp;
        }

        WriteAsync(path, RatingsSchema, scale?.ToMetadata(), [users, movies, values, timestamps]).GetAwaiter().GetResult();
    }

    /// <summary>The rating scale stored in a ratings file, or null when it has none (files written without a scale).</summary>
    /// <exception cref="DataFormatException">The file is missing or not a ratings file.</exception>
    public static RatingScale? ReadRatingScale(string path)
    {
        _ = ReadRatings(path, out RatingScale? scale);
        return scale;
    }

    /// <summary>Writes users to <paramref name="path"/>.</summary>
    public static void WriteUsers(string path, IReadOnlyList<User> users) =>
        Write(
            path, UsersSchema,
            users.Select(u => u.UserId).ToArray(), users.Select(u => u.Gender).ToArray(), users.Select(u => u.Age).ToArray(),
            users.Select(u => u.Occupation).ToArray(), users.Select(u => u.ZipCode).ToArray());

    /// <summary>Writes movies to <paramref name="path"/>.</summary>
    public static void WriteMovies(string path, IReadOnlyList<Movie> movies) =>
        Write(
            path, MoviesSchema,
            movies.Select(m => m.MovieId).ToArray(), movies.Select(m => m.Title).ToArray(), movies.Select(m => m.Genres).ToArray());

    /// <summary>Reads a ratings file written by <see cref="WriteRatings"/>.</summary>
    /// <exception cref="DataFormatException">The file is missing or its schema is not the ratings schema.</exception>
    public static Rating[] ReadRatings(string path) => ReadRatings(path, out _);

    /// <summary>Reads a ratings file and the rating scale stored with it (null when it has none), in one pass.</summary>
    /// <exception cref="DataFormatException">The file is missing or its schema is not the ratings schema.</exception>
    public static Rating[] ReadRatings(string path, out RatingScale? scale)
    {
        (Array[] columns, IReadOnlyDictionary<string, string> metadata) = ReadAsync(path, RatingsSchema).GetAwaiter().GetResult();
        scale = RatingScale.FromMetadata(metadata);
        var users = (int[])columns[0];
        var movies = (int[])columns[1];
        var values = (float[])columns[2];
        var timestamps = (long[])columns[3];
        var ratings = new Rating[users.Length];
        for (int i = 0; i < ratings.Length; i++)
        {
            ratings[i] = new Rating(users[i], movies[i], values[i], timestamps[i]);
        }

        return ratings;
    }

    /// <summary>Reads a users file written by <see cref="WriteUsers"/>.</summary>
    public static User[] ReadUsers(string path)
    {
        Array[] c = Read(path, UsersSchema);
        return Enumerable.Range(0, c[0].Length)
            .Select(i => new User(((int[])c[0])[i], ((string[])c[1])[i], ((int[])c[2])[i], ((string[])c[3])[i], ((string[])c[4])[i]))
            .ToArray();
    }

    /// <summary>Reads a movies file written by <see cref="WriteMovies"/>.</summary>
    public static Movie[] ReadMovies(string path)
    {
        Array[] c = Read(path, MoviesSchema);
        return Enumerable.Range(0, c[0].Length)
            .Select(i => new Movie(((int[])c[0])[i], ((string[])c[1])[i], ((string[])c[2])[i]))
            .ToArray();
    }

    private static void Write(string path, ParquetSchema schema, params Array[] columns) =>
        WriteAsync(path, schema, null, columns).GetAwaiter().GetResult();

    private static async Task WriteAsync(string path, ParquetSchema schema, Dictionary<string, string>? metadata, Array[] columns)
    {
        await using FileStream stream = File.Create(path);
        var options = new ParquetOptions { CompressionMethod = CompressionMethod.Snappy };
        await using ParquetWriter writer = await ParquetWriter.CreateAsync(schema, stream, options);
        if (metadata is not null)
        {
            writer.CustomMetadata = metadata;
        }

        using ParquetRowGroupWriter rowGroup = writer.CreateRowGroup();
        DataField[] fields = schema.GetDataFields();
        for (int i = 0; i < fields.Length; i++)
        {
            Task write = columns[i] switch
            {
                int[] ints => rowGroup.WriteAsync<int>(fields[i], ints),
                long[] longs => rowGroup.WriteAsync<long>(fields[i], longs),
                float[] floats => rowGroup.WriteAsync<float>(fields[i], floats),
                string[] strings => rowGroup.WriteAsync(fields[i], strings),
                _ => throw new ArgumentException($"unsupported column type {columns[i].GetType()}", nameof(columns)),
            };
            await write;
        }
    }

    private static Array[] Read(string path, ParquetSchema expected) => ReadAsync(path, expected).GetAwaiter().GetResult().Columns;

    private static async Task<(Array[] Columns, IReadOnlyDictionary<string, string> Metadata)> ReadAsync(string path, ParquetSchema expected)
    {
        if (!File.Exists(path))
        {
            throw new DataFormatException(DataErrorCodes.MissingFile, path, 0, "file not found");
        }

        await using FileStream stream = File.OpenRead(path);
        ParquetReader reader;
        try
        {
            reader = await ParquetReader.CreateAsync(stream);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or ParquetException)
        {
            throw new DataFormatException(DataErrorCodes.BadParquet, path, 0, $"not a Parquet file: {e.Message}");
        }

        await using (reader)
        {
            DataField[] fields = reader.Schema.GetDataFields();
            DataField[] wanted = expected.GetDataFields();
            if (fields.Length != wanted.Length || fields.Zip(wanted).Any(p => p.First.Name != p.Second.Name || p.First.ClrType != p.Second.ClrType))
            {
                throw new DataFormatException(
                    DataErrorCodes.BadParquet, path, 0,
                    $"schema is ({string.Join(", ", fields.Select(f => $"{f.Name} {f.ClrType.Name}"))}), expected ({string.Join(", ", wanted.Select(f => $"{f.Name} {f.ClrType.Name}"))})");
            }

            var parts = new List<Array>[fields.Length];
            for (int f = 0; f < fields.Length; f++)
            {
                parts[f] = [];
            }

            try
            {
                for (int g = 0; g < reader.RowGroupCount; g++)
                {
                    using ParquetRowGroupReader rowGroup = reader.OpenRowGroupReader(g);
                    int rows = checked((int)rowGroup.RowCount);
                    for (int f = 0; f < fields.Length; f++)
                    {
                        parts[f].Add(await ReadColumnAsync(rowGroup, fields[f], rows));
                    }
                }
            }
            catch (Exception e) when (e is IOException or InvalidDataException or ParquetException or OverflowException or IndexOutOfRangeException or ArgumentException)
            {
                throw new DataFormatException(DataErrorCodes.BadParquet, path, 0, $"the file is damaged: {e.Message}");
            }

            return (parts.Select((p, f) => Concat(p, wanted[f].ClrType)).ToArray(), reader.CustomMetadata);
        }
    }

    private static async Task<Array> ReadColumnAsync(ParquetRowGroupReader rowGroup, DataField field, int rows)
    {
        switch (field.ClrType)
        {
            case Type t when t == typeof(int):
                var ints = new int[rows];
                await rowGroup.ReadAsync<int>(field, ints);
                return ints;
            case Type t when t == typeof(long):
                var longs = new long[rows];
                await rowGroup.ReadAsync<long>(field, longs);
                return longs;
            case Type t when t == typeof(float):
                var floats = new float[rows];
                await rowGroup.ReadAsync<float>(field, floats);
                return floats;
            default:
                var strings = new string?[rows];
                await rowGroup.ReadAsync(field, strings.AsMemory());
                return strings.Select(value => value ?? "").ToArray();
        }
    }

    private static Array Concat(List<Array> parts, Type elementType)
    {
        if (parts.Count == 1)
        {
            return parts[0];
        }

        Array all = Array.CreateInstance(elementType, parts.Sum(p => p.Length));
        int offset = 0;
        foreach (Array part in parts)
        {
            Array.Copy(part, 0, all, offset, part.Length);
            offset += part.Length;
        }

        return all;
    }
}
