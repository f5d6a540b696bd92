using System.Globalization;
using System.Runtime.CompilerServices;
using AutoRec.Contracts;

namespace AutoRec.Data;

/// <summary>
/// Parses a ratings file (<c>user SEP movie SEP rating SEP timestamp</c> per line) into columns, in parallel
/// segments cut at line ends. Each line takes a fast path for the shape MovieLens writes (digits, a rating like
/// <c>4</c> or <c>3.5</c>); any other line goes through <see cref="ParseLine"/>, the general parser, which either
/// accepts it or throws the located error, so the fast path changes speed, never what is accepted or reported.
/// </summary>
internal static class RatingText
{
    private const int SegmentBytes = 1 << 20;

    /// <summary>Reads and validates every line of <paramref name="path"/> (not the pairs' uniqueness).</summary>
    /// <param name="path">The ratings file.</param>
    /// <param name="separator">Between fields: <c>::</c>, a tab or a comma.</param>
    /// <param name="hasHeader">Whether line 1 is the CSV header <c>userId,...</c>.</param>
    /// <param name="scale">The values a rating may take.</param>
    /// <exception cref="DataFormatException">The file is missing, empty or has a malformed line (the first one is reported).</exception>
    public static RatingColumns Parse(string path, string separator, bool hasHeader, RatingScale scale)
    {
        byte[] bytes = FileBytes.Read(path);
        int end = bytes.Length;
        while (end > 0 && (bytes[end - 1] == (byte)'\n' || bytes[end - 1] == (byte)'\r'))
        {
            end--; // trailing blank lines are not records
        }

        int dataStart = 0;
        if (hasHeader)
        {
            int newline = bytes.AsSpan(0, end).IndexOf((byte)'\n');
            if (!bytes.AsSpan(0, end).StartsWith("userId,"u8))
            {
                throw new DataFormatException(DataErrorCodes.BadField, path, 1, "expected the header 'userId,movieId,rating,timestamp'");
            }

            dataStart = newline < 0 ? end : newline + 1;
        }

        Segment[] segments = Cut(bytes, dataStart, end);
        long rows = 0;
        foreach (Segment segment in segments)
        {
            segment.FirstRow = (int)rows;
            rows += segment.Lines;
        }

        if (rows == 0)
        {
            throw new DataFormatException(DataErrorCodes.EmptyFile, path, 0, "the file holds no ratings");
        }

        var columns = new RatingColumns(checked((int)rows));
        var context = new LineContext(path, System.Text.Encoding.ASCII.GetBytes(separator), scale, hasHeader ? 2 : 1);
        Parallel.ForEach(segments, segment => segment.Error = ParseSegment(bytes.AsSpan(segment.Start, segment.End - segment.Start), segment.FirstRow, columns, context));
        foreach (Segment segment in segments)
        {
            if (segment.Error is not null)
            {
                throw segment.Error; // segments are in file order: this is the first bad line
            }
        }

        return columns;
    }

    /// <summary>
    /// Parses one line in full generality (what <see cref="int.TryParse(ReadOnlySpan{byte}, NumberStyles, IFormatProvider, out int)"/>
    /// and <see cref="float.TryParse(ReadOnlySpan{byte}, NumberStyles, IFormatProvider, out float)"/> accept), or throws its located error.
    /// </summary>
    public static Rating ParseLine(ReadOnlySpan<byte> line, ReadOnlySpan<byte> separator, RatingScale scale, string path, int lineNumber)
    {
        Span<Range> fields = stackalloc Range[4];
        int count = FieldSplitter.Split(line, separator, fields);
        if (count != 4)
        {
            throw new DataFormatException(
                DataErrorCodes.FieldCount, path, lineNumber,
                $"expected 4 fields (user, movie, rating, timestamp) but found {count}{(line.IsEmpty ? " (empty line)" : "")}");
        }

        int user = ParseId(line[fields[0]], "user id", path, lineNumber);
        int movie = ParseId(line[fields[1]], "movie id", path, lineNumber);
        ReadOnlySpan<byte> ratingText = line[fields[2]];
        if (!float.TryParse(ratingText, NumberStyles.Float, CultureInfo.InvariantCulture, out float value) || !scale.Contains(value))
        {
            throw new DataFormatException(
                DataErrorCodes.BadRating, path, lineNumber,
                $"rating '{TextDecoding.Decode(ratingText)}' is not on the dataset's scale ({scale})");
        }

        ReadOnlySpan<byte> timeText = line[fields[3]];
        if (!long.TryParse(timeText, NumberStyles.None, CultureInfo.InvariantCulture, out long timestamp))
        {
            throw new DataFormatException(
                DataErrorCodes.BadField, path, lineNumber, $"timestamp '{TextDecoding.Decode(timeText)}' is not a non-negative integer");
        }

        return new Rating(user, movie, value, timestamp);
    }

    /// <summary>Parses a positive integer id, or throws AR1003 naming <paramref name="what"/>.</summary>
    public static int ParseId(ReadOnlySpan<byte> text, string what, string path, int line)
    {
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int id) || id <= 0)
        {
            throw new DataFormatException(DataErrorCodes.BadId, path, line, $"{what} '{TextDecoding.Decode(text)}' is not a positive integer");
        }

        return id;
    }

    /// <summary>Segments of about <see cref="SegmentBytes"/>, each ending just after a line end (the last at <paramref name="end"/>), with their line counts.</summary>
    private static Segment[] Cut(byte[] bytes, int start, int end)
    {
        int count = (int)Math.Clamp((end - start) / (long)SegmentBytes, 1, 64L * Environment.ProcessorCount);
        var segments = new List<Segment>(count);
        int from = start;
        for (int k = 1; k <= count && from < end; k++)
        {
            int to = end;
            if (k < count)
            {
                int nominal = Math.Max(from, start + (int)((long)(end - start) * k / count));
                int newline = bytes.AsSpan(nominal, end - nominal).IndexOf((byte)'\n');
                to = newline < 0 ? end : nominal + newline + 1;
            }

            segments.Add(new Segment(from, to));
            from = to;
        }

        Segment[] result = [.. segments];
        Parallel.ForEach(result, s => s.Lines = bytes.AsSpan(s.Start, s.End - s.Start).Count((byte)'\n') + (s.End == end ? 1 : 0));
        return result;
    }

    /// <summary>Parses a segment's lines into rows from <paramref name="firstRow"/>; returns the first line's error, if any.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static DataFormatException? ParseSegment(ReadOnlySpan<byte> text, int firstRow, RatingColumns columns, LineContext context)
    {
        int[] users = columns.UserIds;
        int[] movies = columns.MovieIds;
        float[] values = columns.Values;
        long[] times = columns.Timestamps;
        byte sep = context.Separator[0];
        bool doubleSep = context.Separator.Length == 2;
        int row = firstRow;
        int pos = 0;
        while (pos < text.Length)
        {
            int lineStart = pos;
            if (TryId(text, ref pos, out int user) && TrySeparator(text, ref pos, sep, doubleSep)
                && TryId(text, ref pos, out int movie) && TrySeparator(text, ref pos, sep, doubleSep)
                && TryRating(text, ref pos, out float value) && context.Scale.Contains(value) && TrySeparator(text, ref pos, sep, doubleSep)
                && TryTimestamp(text, ref pos, out long time) && TryLineEnd(text, ref pos))
            {
                users[row] = user;
                movies[row] = movie;
                values[row] = value;
                times[row] = time;
                row++;
                continue;
            }

            int newline = text[lineStart..].IndexOf((byte)'\n');
            int lineEnd = newline < 0 ? text.Length : lineStart + newline;
            ReadOnlySpan<byte> line = text[lineStart..lineEnd];
            if (line.Length > 0 && line[^1] == (byte)'\r')
            {
                line = line[..^1];
            }

            try
            {
                Rating rating = ParseLine(line, context.Separator, context.Scale, context.Path, context.FirstDataLine + row);
                users[row] = rating.UserId;
                movies[row] = rating.MovieId;
                values[row] = rating.Value;
                times[row] = rating.Timestamp;
                row++;
            }
            catch (DataFormatException error)
            {
                return error;
            }

            pos = newline < 0 ? text.Length : lineEnd + 1;
        }

        return null;
    }

    /// <summary>1 to 9 digits (no overflow possible), not zero.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryId(ReadOnlySpan<byte> text, ref int pos, out int value)
    {
        value = 0;
        int start = pos;
        while (pos < text.Length && (uint)(text[pos] - '0') <= 9 && pos - start < 9)
        {
            value = (value * 10) + (text[pos] - '0');
            pos++;
        }

        return pos > start && value > 0;
    }

    /// <summary>1 to 18 digits (no overflow possible).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryTimestamp(ReadOnlySpan<byte> text, ref int pos, out long value)
    {
        value = 0;
        int start = pos;
        while (pos < text.Length && (uint)(text[pos] - '0') <= 9 && pos - start < 18)
        {
            value = (value * 10) + (text[pos] - '0');
            pos++;
        }

        return pos > start;
    }

    /// <summary>
    /// <c>d</c> or <c>d.d</c>. The quotient of two exact small integers is correctly rounded, so the value equals
    /// what <see cref="float.Parse(string)"/> gives for the same text.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryRating(ReadOnlySpan<byte> text, ref int pos, out float value)
    {
        value = 0;
        if (pos >= text.Length || (uint)(text[pos] - '0') > 9)
        {
            return false;
        }

        int whole = text[pos] - '0';
        pos++;
        if (pos + 1 < text.Length && text[pos] == (byte)'.' && (uint)(text[pos + 1] - '0') <= 9)
        {
            value = ((whole * 10) + (text[pos + 1] - '0')) / 10f;
            pos += 2;
        }
        else
        {
            value = whole;
        }

        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TrySeparator(ReadOnlySpan<byte> text, ref int pos, byte separator, bool twice)
    {
        if (pos < text.Length && text[pos] == separator)
        {
            if (!twice)
            {
                pos++;
                return true;
            }

            if (pos + 1 < text.Length && text[pos + 1] == separator)
            {
                pos += 2;
                return true;
            }
        }

        return false;
    }

    /// <summary>A line ends with <c>\n</c>, <c>\r\n</c> or the end of the segment.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryLineEnd(ReadOnlySpan<byte> text, ref int pos)
    {
        if (pos == text.Length)
        {
            return true;
        }

        if (text[pos] == (byte)'\n')
        {
            pos++;
            return true;
        }

        if (text[pos] == (byte)'\r' && pos + 1 < text.Length && text[pos + 1] == (byte)'\n')
        {
            pos += 2;
            return true;
        }

        return false;
    }

    private sealed class Segment(int start, int end)
    {
        public int Start { get; } = start;

        public int End { get; } = end;

        public int Lines { get; set; }

        public int FirstRow { get; set; }

        public DataFormatException? Error { get; set; }
    }

    private sealed record LineContext(string Path, byte[] Separator, RatingScale Scale, int FirstDataLine);
}
