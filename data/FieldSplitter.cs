namespace AutoRec.Data;

/// <summary>Splits one line into fields on a separator of one or more bytes, without allocating.</summary>
internal static class FieldSplitter
{
    /// <summary>
    /// Writes up to <paramref name="fields"/>.Length field ranges and returns the number of fields in the line,
    /// which may exceed the span's length (the caller then reports a wrong field count).
    /// </summary>
    public static int Split(ReadOnlySpan<byte> line, ReadOnlySpan<byte> separator, Span<Range> fields)
    {
        int count = 0;
        int start = 0;
        while (true)
        {
            int index = line[start..].IndexOf(separator);
            int end = index < 0 ? line.Length : start + index;
            if (count < fields.Length)
            {
                fields[count] = start..end;
            }

            count++;
            if (index < 0)
            {
                return count;
            }

            start = end + separator.Length;
        }
    }

    /// <summary>
    /// Splits one CSV line (RFC 4180 quoting, as in MovieLens' movies.csv) into decoded fields.
    /// Returns null when a quote is not closed.
    /// </summary>
    public static List<string>? SplitCsv(string line)
    {
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c != '"')
                {
                    field.Append(c);
                }
                else if (i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else
                {
                    quoted = false;
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        if (quoted)
        {
            return null;
        }

        fields.Add(field.ToString());
        return fields;
    }
}
