namespace AutoRec.Data;

/// <summary>
/// Input data that cannot be used, located by file and (when known) 1-based line, with a stable error code
/// (<c>AR1xxx</c>, see <see cref="DataErrorCodes"/>) that build tools report as-is.
/// </summary>
public sealed class DataFormatException : Exception
{
    /// <summary>Creates an error for <paramref name="path"/>, optionally at <paramref name="line"/>.</summary>
    public DataFormatException(string code, string path, int line, string reason)
        : base(Format(path, line, reason))
    {
        Code = code;
        FilePath = path;
        Line = line;
        Reason = reason;
    }

    /// <summary>The stable error code, e.g. <c>AR1002</c>.</summary>
    public string Code { get; }

    /// <summary>The file that holds the bad input.</summary>
    public string FilePath { get; }

    /// <summary>The 1-based line, or 0 when the problem is the file as a whole.</summary>
    public int Line { get; }

    /// <summary>What is wrong, without the location.</summary>
    public string Reason { get; }

    private static string Format(string path, int line, string reason) =>
        line > 0 ? $"{path}({line}): {reason}" : $"{path}: {reason}";
}

/// <summary>The error codes of <see cref="DataFormatException"/>.</summary>
public static class DataErrorCodes
{
    /// <summary>A required file or folder is missing.</summary>
    public const string MissingFile = "AR1001";

    /// <summary>A line has the wrong number of fields (this includes a truncated last line).</summary>
    public const string FieldCount = "AR1002";

    /// <summary>An id is not a positive integer.</summary>
    public const string BadId = "AR1003";

    /// <summary>A rating is not a number on the dataset's scale.</summary>
    public const string BadRating = "AR1004";

    /// <summary>The same (user, movie) pair is rated twice.</summary>
    public const string DuplicatePair = "AR1005";

    /// <summary>A file holds no records.</summary>
    public const string EmptyFile = "AR1006";

    /// <summary>Any other field that cannot be parsed (timestamp, age, header).</summary>
    public const string BadField = "AR1007";

    /// <summary>The files do not match any known MovieLens layout.</summary>
    public const string UnknownFormat = "AR1008";

    /// <summary>A stored Parquet file does not have the expected schema.</summary>
    public const string BadParquet = "AR1009";
}
