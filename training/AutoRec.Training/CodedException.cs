namespace AutoRec.Training;

/// <summary>A failure that carries its own error code (e.g. the export's AR2101), and the file it concerns when there is one.</summary>
public class CodedException(string code, string message, string? filePath = null) : Exception(message)
{
    /// <summary>The error code (ARnnnn).</summary>
    public string Code { get; } = code;

    /// <summary>The file the error is about, or null.</summary>
    public string? FilePath { get; } = filePath;
}
