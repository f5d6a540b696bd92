using System.Text;
using AutoRec.Contracts;
using Parquet;

namespace AutoRec.Data.Tests;

/// <summary>
/// The paths taken only by large inputs: parsing in several segments with the fast line parser, ordering pairs by
/// bucket or by packed sort, ratings files of several row groups, block-wise comparison of staged files.
/// </summary>
public sealed class LargeInputTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>Lines of every shape the general parser accepts, many more than fit one 1 MB segment.</summary>
    private static string[] VariedLines(int count, string separator)
    {
        var random = new Random(17);
        string[] ratings = ["4", "3.5", "4.0", "0.5", "5.0", " 4", "4.50", "3.", "+3", "2.5e0"];
        string[] ids = ["7", "007", "123456789", "1000000000", "2147483647"];
        var lines = new string[count];
        for (int i = 0; i < count; i++)
        {
            bool odd = random.Next(20) == 0; // one line in 20 needs the general parser
            string user = odd ? ids[random.Next(ids.Length)] : (1 + (i / 50)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            string movie = (odd ? 1_000_000 + i : 1 + (i % 50)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            string rating = odd ? ratings[random.Next(ratings.Length)] : ratings[random.Next(5)];
            string time = odd && random.Next(2) == 0 ? "9223372036854775807" : (978_300_000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture);
            lines[i] = string.Join(separator, user, movie, rating, time) + (random.Next(10) == 0 ? "\r" : "");
        }

        return lines;
    }

    [Theory]
    [InlineData("::", MovieLensFormat.DoubleColon, "ratings.dat")]
    [InlineData("\t", MovieLensFormat.Ml100k, "u.data")]
    [InlineData(",", MovieLensFormat.Csv, "ratings.csv")]
    public void FastAndGeneralParsersAgreeLineByLine(string separator, MovieLensFormat format, string name)
    {
        string[] lines = VariedLines(120_000, separator);
        string header = format == MovieLensFormat.Csv ? "userId,movieId,rating,timestamp\n" : "";
        string path = _dir.Write(name, header + string.Join('\n', lines) + "\n\n");
        Assert.True(new FileInfo(path).Length > 2 << 20, "the file should span several segments");

        Rating[] read = MovieLensReader.ReadRatings(path, format, RatingScale.HalfStars);
        Rating[] expected = lines
            .Select((line, i) => RatingText.ParseLine(Encoding.UTF8.GetBytes(line.TrimEnd('\r')), Encoding.UTF8.GetBytes(separator), RatingScale.HalfStars, path, i + 1))
            .ToArray();
        Assert.Equal(expected, read);
    }

    [Fact]
    public void TheFirstBadLineIsReportedWhicheverSegmentHoldsIt()
    {
        string[] lines = Enumerable.Range(0, 200_000).Select(i => $"{1 + (i / 100)}::{1 + (i % 100)}::{1 + (i % 5)}::{978_300_000 + i}").ToArray();
        lines[150_000] = "1501::1::6::978300000"; // off the scale
        lines[180_000] = "1801::1";
        lines[199_999] = "";
        string path = _dir.Write("ratings.dat", string.Join('\n', lines));
        var error = Assert.Throws<DataFormatException>(() => MovieLensReader.ReadRatings(path, MovieLensFormat.DoubleColon, RatingScale.WholeStars));
        Assert.Equal(DataErrorCodes.BadRating, error.Code);
        Assert.Equal(150_001, error.Line);

        lines[150_000] = "1501::1::5::978300000";
        error = Assert.Throws<DataFormatException>(() => MovieLensReader.ReadRatings(_dir.Write("ratings.dat", string.Join('\n', lines)), MovieLensFormat.DoubleColon, RatingScale.WholeStars));
        Assert.Equal(DataErrorCodes.FieldCount, error.Code);
        Assert.Equal(180_001, error.Line);
    }

    [Fact]
    public void OfSeveralRepeatedPairsTheEarliestRepeatIsReported()
    {
        // Pair (1, 10) sorts first, but (2, 5) repeats earlier in the file; (3, 7) appears three times.
        string path = _dir.Write(
            "ratings.dat",
            "1::10::5::1\n2::5::4::2\n3::7::1::3\n2::5::3::4\n3::7::2::5\n1::10::1::6\n3::7::3::7\n");
        var error = Assert.Throws<DataFormatException>(() => MovieLensReader.ReadRatings(path, MovieLensFormat.DoubleColon, RatingScale.WholeStars));
        Assert.Equal(DataErrorCodes.DuplicatePair, error.Code);
        Assert.Equal(4, error.Line);
        Assert.Contains("user 2 rated movie 5 twice (first on line 2)", error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1_000, false)] // user ids dense enough for one bucket each
    [InlineData(100_000_000, false)] // too sparse: packed pairs are sorted instead
    [InlineData(1_000, true)] // negative ids: packed pairs too
    public void PairOrderSortsAndFindsTheEarliestRepeat(int maxUser, bool negative)
    {
        var random = new Random(maxUser);
        int n = 20_000;
        int[] users = Enumerable.Range(0, n).Select(_ => (negative && random.Next(4) == 0 ? -1 : 1) * random.Next(1, maxUser)).ToArray();
        int[] movies = Enumerable.Range(0, n).Select(_ => random.Next(-5, 3_000)).ToArray();
        int[]? order = PairOrder.Sorted(users, movies);
        Assert.NotNull(order);
        long[] keys = order.Select(i => PairOrder.Key(users[i], movies[i])).ToArray();
        Assert.Equal(keys.Order(), keys);
        Assert.Equal(Enumerable.Range(0, n), order.Order());

        var firstSeen = new Dictionary<long, int>();
        (int, int)? expected = null;
        for (int i = 0; i < n && expected is null; i++)
        {
            if (!firstSeen.TryAdd(PairOrder.Key(users[i], movies[i]), i))
            {
                expected = (firstSeen[PairOrder.Key(users[i], movies[i])], i);
            }
        }

        Assert.Equal(expected, PairOrder.FirstRepeat(users, movies, order));
        int[] sortedUsers = order.Select(i => users[i]).ToArray();
        int[] sortedMovies = order.Select(i => movies[i]).ToArray();
        Assert.Null(PairOrder.Sorted(sortedUsers, sortedMovies));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5_000_000)] // sparse user ids (up to 2e9): the packed sort
    public void SplitDoesNotDependOnInputOrderOrOnRecordsVersusColumns(int userStride)
    {
        var random = new Random(5);
        Rating[] sorted = Enumerable.Range(1, 400)
            .SelectMany(u => Enumerable.Range(1, 5 + random.Next(60)).Select(m => new Rating(u * userStride, m * 3, 1 + random.Next(5), u + m)))
            .ToArray();
        Rating[] shuffled = sorted.OrderBy(_ => random.Next()).ToArray();
        var options = new SplitOptions(11);

        RatingSplit fromSorted = RatingSplitter.Split(sorted, options);
        RatingSplit fromShuffled = RatingSplitter.Split(shuffled, options);
        RatingColumnSplit columns = RatingSplitter.Split(RatingColumns.From(shuffled), options);
        Assert.Equal(fromSorted.Train, fromShuffled.Train);
        Assert.Equal(fromSorted.Validation, fromShuffled.Validation);
        Assert.Equal(fromSorted.Test, fromShuffled.Test);
        Assert.Equal(fromSorted.Train, columns.Train.ToRatings());
        Assert.Equal(fromSorted.Validation, columns.Validation.ToRatings());
        Assert.Equal(fromSorted.Test, columns.Test.ToRatings());
        Assert.Equal(SplitSummary.ToJson(options, fromSorted), SplitSummary.ToJson(options, columns));
        Assert.Equal(sorted, RatingSplitter.SortByUserThenMovie(shuffled));
    }

    [Fact]
    public void SummaryCountsIdsSpreadTooWideForABitmap()
    {
        var train = RatingColumns.From([new Rating(1, int.MaxValue, 3f, 0), new Rating(int.MaxValue, -7, 3f, 0)]);
        var held = RatingColumns.From([new Rating(1, -7, 3f, 0)]);
        string json = SplitSummary.ToJson(new SplitOptions(), new RatingColumnSplit(train, held, new RatingColumns(0)));
        Assert.Contains("\"users\": 2", json, StringComparison.Ordinal);
        Assert.Contains("\"movies\": 2", json, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ParquetTables.RatingsRowGroupSize, 1)]
    [InlineData(ParquetTables.RatingsRowGroupSize + 3, 2)]
    public async Task RatingsFilesHoldRowGroupsOfAMillionRows(int count, int groups)
    {
        var ratings = new RatingColumns(count);
        for (int i = 0; i < count; i++)
        {
            ratings.UserIds[i] = 1 + (i / 100);
            ratings.MovieIds[i] = 1 + (i % 100);
            ratings.Values[i] = 0.5f * (1 + (i % 10));
            ratings.Timestamps[i] = 1_000_000_000L + i;
        }

        string path = _dir.PathOf("ratings.parquet");
        ParquetTables.WriteRatings(path, ratings, RatingScale.HalfStars);
        RatingColumns read = ParquetTables.ReadRatingColumns(path, out RatingScale? scale);
        Assert.Equal(RatingScale.HalfStars, scale);
        Assert.Equal(ratings.UserIds, read.UserIds);
        Assert.Equal(ratings.MovieIds, read.MovieIds);
        Assert.Equal(ratings.Values, read.Values);
        Assert.Equal(ratings.Timestamps, read.Timestamps);
        Assert.Equal(ratings.ToRatings(), ParquetTables.ReadRatings(path));

        await using FileStream stream = File.OpenRead(path);
        await using ParquetReader reader = await ParquetReader.CreateAsync(stream);
        Assert.Equal(groups, reader.RowGroupCount);
    }

    [Fact]
    public void LargeStagedFilesAreComparedToTheEnd()
    {
        byte[] old = new byte[(3 << 20) + 5];
        new Random(3).NextBytes(old);
        string same = _dir.WriteBytes("same.bin", old);
        string changed = _dir.WriteBytes("changed.bin", old);
        var longAgo = new DateTime(2020, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(same, longAgo);
        File.SetLastWriteTimeUtc(changed, longAgo);
        byte[] updated = [.. old];
        updated[^1] ^= 1; // differs in the last, partial block only
        using (var files = new AtomicFiles())
        {
            File.WriteAllBytes(files.Stage(same), old);
            File.WriteAllBytes(files.Stage(changed), updated);
            files.Commit();
        }

        Assert.Equal(longAgo, File.GetLastWriteTimeUtc(same));
        Assert.Equal(updated, File.ReadAllBytes(changed));
    }
}
