namespace AutoRec.Data;

/// <summary>
/// Writes a set of files so that readers see either all of the new ones or all of the old ones: each file is
/// written beside its destination under a temporary name and the set is renamed into place by
/// <see cref="Commit"/>. Disposing without committing deletes the temporaries and leaves the old files as they were.
/// </summary>
public sealed class AtomicFiles : IDisposable
{
    private readonly List<(string Temporary, string Final)> _files = [];
    private bool _committed;

    /// <summary>Returns the temporary path to write in place of <paramref name="finalPath"/>.</summary>
    public string Stage(string finalPath)
    {
        string full = Path.GetFullPath(finalPath);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        string temporary = $"{full}.{Guid.NewGuid():N}.tmp";
        _files.Add((temporary, full));
        return temporary;
    }

    /// <summary>
    /// Moves every staged file to its destination, replacing what was there. A destination whose bytes already
    /// equal the new file's is left untouched, so its timestamp stays and incremental builds downstream of it
    /// stay up to date.
    /// </summary>
    public void Commit()
    {
        foreach ((string temporary, string final) in _files)
        {
            if (SameContents(temporary, final))
            {
                File.Delete(temporary);
            }
            else
            {
                File.Move(temporary, final, overwrite: true);
            }
        }

        _committed = true;
    }

    /// <summary>Writes one file atomically.</summary>
    public static void Write(string path, Action<string> write)
    {
        using var files = new AtomicFiles();
        write(files.Stage(path));
        files.Commit();
    }

    private static bool SameContents(string a, string b)
    {
        var fileB = new FileInfo(b);
        if (!fileB.Exists || new FileInfo(a).Length != fileB.Length)
        {
            return false;
        }

        // In blocks: the files may be hundreds of megabytes.
        using FileStream streamA = File.OpenRead(a);
        using FileStream streamB = File.OpenRead(b);
        byte[] blockA = new byte[1 << 20];
        byte[] blockB = new byte[1 << 20];
        while (true)
        {
            int read = streamA.ReadAtLeast(blockA, blockA.Length, throwOnEndOfStream: false);
            if (streamB.ReadAtLeast(blockB, read, throwOnEndOfStream: false) != read || !blockA.AsSpan(0, read).SequenceEqual(blockB.AsSpan(0, read)))
            {
                return false;
            }

            if (read < blockA.Length)
            {
                return true;
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_committed)
        {
            return;
        }

        foreach ((string temporary, _) in _files)
        {
            try
            {
                File.Delete(temporary);
            }
            catch (IOException)
            {
                // Best effort: a leftover *.tmp file is harmless and never read.
            }
        }
    }
}
