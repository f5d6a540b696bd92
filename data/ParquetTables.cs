using System.Runtime.ExceptionServices;
using AutoRec.Contracts;
using Parquet;
using Parquet.Schema;

namespace AutoRec.Data;

/// <summary>
/// The Parquet files of the pipeline: schemas and whole-file read/write of ratings, users and movies.
/// Files are Snappy-compressed; ratings files hold row groups of <see cref="RatingsRowGroupSize"/> rows, the others
/// one row group. Writers write the path given: callers stage it (see <see cref="AtomicFiles"/>).
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
    /// Rows per row group of a ratings file: Arrow's default. Parquet.Net encodes and compresses each column chunk
    /// in memory, so one row group of 20 million ratings would hold over a gigabyte of buffers; groups of 2^20 rows
    /// keep them to tens of megabytes (reused from group to group) and write three times faster. Files of up to
    /// 2^20 ratings (ML-1M and smaller) hold one row group, as they always have.
    /// </summary>
    public const int RatingsRowGroupSize = 1 << 20;

    /// <summary>
    /// Writes ratings to <paramref name="path"/> (the path is written as given: stage it for atomicity), with the
    /// dataset's rating <paramref name="scale"/> as file metadata when given (see <see cref="ReadRatingScale"/>).
    /// </summary>
    public static void WriteRatings(string path, ReadOnlySpan<Rating> ratings, RatingScale? scale = null) =>
        WriteRatings(path, RatingColumns.From(ratings), scale);

    /// <summary>Writes ratings held as columns, like <see cref="WriteRatings(string, ReadOnlySpan{Rating}, RatingScale?)"/>.</summary>
    public static void WriteRatings(string path, RatingColumns ratings, RatingScale? scale = null)
    {
        ArgumentNullException.ThrowIfNull(ratings);
        WriteRatingsAsync(path, ratings, scale?.ToMetadata()).GetAwaiter().GetResult();
    }

    private static async Task WriteRatingsAsync(string path, RatingColumns ratings, Dictionary<string, string>? metadata)
    {
        await using FileStream stream = File.Create(path);
        await using ParquetWriter writer = await ParquetWriter.CreateAsync(RatingsSchema, stream, WriteOptions);
        if (metadata is not null)
        {
            writer.CustomMetadata = metadata;
        }

        // An empty file still holds one (empty) row group, as it always has.
        for (int start = 0; start == 0 || start < ratings.Count; start += RatingsRowGroupSize)
        {
            int count = Math.Min(RatingsRowGroupSize, ratings.Count - start);
            using ParquetRowGroupWriter rowGroup = writer.CreateRowGroup();
            await rowGroup.WriteAsync<int>(UserIdField, ratings.UserIds.AsMemory(start, count));
            await rowGroup.WriteAsync<int>(MovieIdField, ratings.MovieIds.AsMemory(start, count));
            await rowGroup.WriteAsync<float>(RatingField, ratings.Values.AsMemory(start, count));
            await rowGroup.WriteAsync<long>(TimestampField, ratings.Timestamps.AsMemory(start, count));
        }
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

    /// <summary>Reads a ratings file written by <see cref="WriteRatings(string, ReadOnlySpan{Rating}, RatingScale?)"/>.</summary>
    /// <exception cref="DataFormatException">The file is missing or its schema is not the ratings schema.</exception>
    public static Rating[] ReadRatings(string path) => ReadRatings(path, out _);

    /// <summary>Reads a ratings file and the rating scale stored with it (null when it has none), in one pass.</summary>
    /// <exception cref="DataFormatException">The file is missing or its schema is not the ratings schema.</exception>
    public static Rating[] ReadRatings(string path, out RatingScale? scale) => ReadRatingColumns(path, out scale).ToRatings();

    /// <summary>Reads a ratings file into columns.</summary>
    /// <exception cref="DataFormatException">The file is missing or its schema is not the ratings schema.</exception>
    public static RatingColumns ReadRatingColumns(string path) => ReadRatingColumns(path, out _);

    /// <summary>Reads a ratings file into columns, with the rating scale stored with it (null when it has none).</summary>
    /// <exception cref="DataFormatException">The file is missing or its schema is not the ratings schema.</exception>
    public static RatingColumns ReadRatingColumns(string path, out RatingScale? scale)
    {
        (Array[] columns, IReadOnlyDictionary<string, string> metadata) = ReadTable(path, RatingsSchema);
        scale = RatingScale.FromMetadata(metadata);
        return new RatingColumns((int[])columns[0], (int[])columns[1], (float[])columns[2], (long[])columns[3]);
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
        await using ParquetWriter writer = await ParquetWriter.CreateAsync(schema, stream, WriteOptions);
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

    private static Array[] Read(string path, ParquetSchema expected) => ReadTable(path, expected).Columns;

    /// <summary>
    /// Reads every column into one array for the whole file. Row groups are read in parallel, each worker with its
    /// own reader over a contiguous range of them: Parquet.Net decompresses and decodes on the calling thread.
    /// </summary>
    private static (Array[] Columns, IReadOnlyDictionary<string, string> Metadata) ReadTable(string path, ParquetSchema expected)
    {
        (long[] groupRows, IReadOnlyDictionary<string, string> metadata) = ReadLayoutAsync(path, expected).GetAwaiter().GetResult();
        var offsets = new int[groupRows.Length + 1];
        for (int g = 0; g < groupRows.Length; g++)
        {
            offsets[g + 1] = (int)Math.Min(int.MaxValue, offsets[g] + groupRows[g]);
            if (offsets[g + 1] == int.MaxValue)
            {
                throw new DataFormatException(DataErrorCodes.BadParquet, path, 0, "the file holds more rows than one array can");
            }
        }

        Array[] columns = expected.GetDataFields().Select(f => NewColumn(f.ClrType, offsets[^1])).ToArray();
        int workers = Math.Min(groupRows.Length, Environment.ProcessorCount);
        try
        {
            Parallel.For(0, workers, w => ReadGroupsAsync(
                path, expected, columns, offsets, groupRows.Length * w / workers, groupRows.Length * (w + 1) / workers).GetAwaiter().GetResult());
        }
        catch (AggregateException e)
        {
            ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }

        return (columns, metadata);
    }

    /// <summary>Opens the file, checks its schema and returns the rows of each row group and the file metadata.</summary>
    private static async Task<(long[] GroupRows, IReadOnlyDictionary<string, string> Metadata)> ReadLayoutAsync(string path, ParquetSchema expected)
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

            try
            {
                var groupRows = new long[reader.RowGroupCount];
                for (int g = 0; g < groupRows.Length; g++)
                {
                    using ParquetRowGroupReader rowGroup = reader.OpenRowGroupReader(g);
                    groupRows[g] = rowGroup.RowCount;
                }

                return (groupRows, reader.CustomMetadata);
            }
            catch (Exception e) when (IsDamage(e))
            {
                throw new DataFormatException(DataErrorCodes.BadParquet, path, 0, $"the file is damaged: {e.Message}");
            }
        }
    }

    /// <summary>Reads row groups [<paramref name="from"/>, <paramref name="to"/>) into their rows of <paramref name="columns"/>.</summary>
    private static async Task ReadGroupsAsync(string path, ParquetSchema expected, Array[] columns, int[] offsets, int from, int to)
    {
        try
        {
            await using FileStream stream = File.OpenRead(path);
            await using ParquetReader reader = await ParquetReader.CreateAsync(stream);
            DataField[] fields = reader.Schema.GetDataFields();
            for (int g = from; g < to; g++)
            {
                using ParquetRowGroupReader rowGroup = reader.OpenRowGroupReader(g);
                for (int f = 0; f < fields.Length; f++)
                {
                    await ReadColumnAsync(rowGroup, fields[f], columns[f], offsets[g], offsets[g + 1] - offsets[g]);
                }
            }
        }
        catch (Exception e) when (IsDamage(e))
        {
            throw new DataFormatException(DataErrorCodes.BadParquet, path, 0, $"the file is damaged: {e.Message}");
        }
    }

    private static bool IsDamage(Exception e) =>
        e is IOException or InvalidDataException or ParquetException or OverflowException or IndexOutOfRangeException or ArgumentException;

    private static ParquetOptions WriteOptions => new() { CompressionMethod = CompressionMethod.Snappy };

    private static Array NewColumn(Type type, int rows) =>
        type == typeof(int) ? new int[rows]
        : type == typeof(long) ? new long[rows]
        : type == typeof(float) ? new float[rows]
        : new string[rows];

    private static async Task ReadColumnAsync(ParquetRowGroupReader rowGroup, DataField field, Array column, int offset, int rows)
    {
        switch (column)
        {
            case int[] ints:
                await rowGroup.ReadAsync<int>(field, ints.AsMemory(offset, rows));
                break;
            case long[] longs:
                await rowGroup.ReadAsync<long>(field, longs.AsMemory(offset, rows));
                break;
            case float[] floats:
                await rowGroup.ReadAsync<float>(field, floats.AsMemory(offset, rows));
                break;
            default:
                var strings = new string?[rows];
                await rowGroup.ReadAsync(field, strings.AsMemory());
                for (int i = 0; i < rows; i++)
                {
                    ((string[])column)[offset + i] = strings[i] ?? "";
                }

                break;
        }
    }
}
