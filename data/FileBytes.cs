using System.Runtime.ExceptionServices;
using Microsoft.Win32.SafeHandles;

namespace AutoRec.Data;

/// <summary>Reads a whole input file, in parallel parts for large ones, reporting a missing or empty file as located errors.</summary>
internal static class FileBytes
{
    private const int PartBytes = 16 << 20;

    /// <summary>The file's bytes.</summary>
    /// <exception cref="DataFormatException">The file is missing (AR1001) or holds only blanks (AR1006).</exception>
    /// <exception cref="IOException">The file cannot be read, or is too large for one array (2 GB).</exception>
    public static byte[] Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new DataFormatException(DataErrorCodes.MissingFile, path, 0, "file not found");
        }

        using SafeFileHandle handle = File.OpenHandle(path);
        long length = RandomAccess.GetLength(handle);
        if (length > Array.MaxLength)
        {
            throw new IOException($"{path} is {length:N0} bytes, more than one array can hold");
        }

        // Uninitialised: every byte is overwritten, and zeroing a large array first would touch its pages twice.
        byte[] bytes = GC.AllocateUninitializedArray<byte>((int)length);
        int parts = (int)Math.Clamp(length / PartBytes, 1, 4L * Environment.ProcessorCount);
        try
        {
            Parallel.For(0, parts, part => ReadPart(handle, bytes, part, parts, path));
        }
        catch (AggregateException e)
        {
            // Callers report an IOException as a file-system error (AR1012): rethrow it as itself.
            ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }

        if (bytes.AsSpan().IndexOfAnyExcept("\r\n\t "u8) < 0)
        {
            throw new DataFormatException(DataErrorCodes.EmptyFile, path, 0, "the file is empty");
        }

        return bytes;
    }

    private static void ReadPart(SafeFileHandle handle, byte[] bytes, int part, int parts, string path)
    {
        long start = (long)bytes.Length * part / parts;
        long end = (long)bytes.Length * (part + 1) / parts;
        while (start < end)
        {
            int read = RandomAccess.Read(handle, bytes.AsSpan((int)start, (int)(end - start)), start);
            if (read == 0)
            {
                throw new IOException($"{path} ended early: it changed while being read");
            }

            start += read;
        }
    }
}
