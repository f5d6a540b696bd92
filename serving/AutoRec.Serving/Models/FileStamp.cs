namespace AutoRec.Serving.Models;

/// <summary>
/// A file's size and last write time: cheap to read, and different after any replacement or rewrite, so polling
/// notices changes that file-system events miss. <see cref="Missing"/> when there is no file.
/// </summary>
internal readonly record struct FileStamp(long Length, DateTime LastWriteUtc)
{
    public static FileStamp Missing { get; } = new(-1, DateTime.MinValue);

    public static FileStamp Of(string path)
    {
        var file = new FileInfo(path);
        return file.Exists ? new FileStamp(file.Length, file.LastWriteTimeUtc) : Missing;
    }
}
