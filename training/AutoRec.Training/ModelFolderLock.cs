namespace AutoRec.Training;

/// <summary>
/// One writer per model folder: an exclusive lock on <c>model/.lock</c> held while a tool trains or exports into
/// the folder, with a note saying who holds it. A second run fails at once with <see cref="Code"/>, naming the holder,
/// instead of two runs interleaving their checkpoints. The lock goes with the process, however it ends.
/// </summary>
public sealed class ModelFolderLock : IDisposable
{
    /// <summary>The error of a folder in use.</summary>
    public const string Code = "AR2006";

    private readonly FileStream _lock;
    private readonly string _holderFile;

    private ModelFolderLock(FileStream lockStream, string holderFile)
    {
        _lock = lockStream;
        _holderFile = holderFile;
    }

    /// <summary>Takes the lock of <paramref name="modelDir"/> (created if missing) for <paramref name="tool"/>.</summary>
    /// <exception cref="CodedException">Another run holds it (AR2006).</exception>
    public static ModelFolderLock Acquire(string modelDir, string tool)
    {
        Directory.CreateDirectory(modelDir);
        string lockPath = Path.Combine(modelDir, ".lock");
        string holderFile = Path.Combine(modelDir, ".lock.holder");
        FileStream stream;
        try
        {
            // FileShare.None is an exclusive advisory lock (flock) on Unix and a sharing lock on Windows.
            stream = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            string holder = File.Exists(holderFile) ? File.ReadAllText(holderFile).Trim() : "another run";
            throw new CodedException(
                Code,
                $"{Path.GetFullPath(modelDir)} is in use by {holder}: two runs must not write one model folder; wait for it to end or stop it",
                lockPath);
        }

        File.WriteAllText(holderFile, $"{tool} (pid {Environment.ProcessId}, since {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss} UTC)\n");
        return new ModelFolderLock(stream, holderFile);
    }

    /// <summary>
    /// Deletes the temporary files an interrupted run left in <paramref name="directories"/> (staged writes are
    /// <c>*.tmp</c> beside their destinations); only safe while holding the lock.
    /// </summary>
    /// <returns>The files deleted.</returns>
    public static IReadOnlyList<string> DeleteStaleTemporaryFiles(params string[] directories)
    {
        var deleted = new List<string>();
        foreach (string directory in directories.Where(Directory.Exists))
        {
            foreach (string file in Directory.GetFiles(directory, "*.tmp"))
            {
                File.Delete(file);
                deleted.Add(file);
            }
        }

        return deleted;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        try
        {
            File.Delete(_holderFile);
        }
        catch (IOException)
        {
            // The note is advice only; the lock itself is released below.
        }

        _lock.Dispose();
    }
}
