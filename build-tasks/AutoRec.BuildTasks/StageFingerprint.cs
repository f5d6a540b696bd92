using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace AutoRec.BuildTasks;

/// <summary>The size and SHA-256 of each output of a stage, as kept in its stamp file (one line per file).</summary>
internal sealed class StageFingerprint
{
    private readonly Dictionary<string, (long Size, string Sha256)> _files;

    private StageFingerprint(Dictionary<string, (long Size, string Sha256)> files) => _files = files;

    /// <summary>Fingerprints the files that exist among <paramref name="paths"/>.</summary>
    public static StageFingerprint Of(IEnumerable<string> paths)
    {
        var files = new Dictionary<string, (long, string)>(StringComparer.Ordinal);
        foreach (string path in paths.Where(File.Exists))
        {
            files[path] = Measure(path);
        }

        return new StageFingerprint(files);
    }

    /// <summary>Reads a stamp; a stamp from before fingerprints (or damaged) reads as empty, so every output counts as changed.</summary>
    public static StageFingerprint Parse(string text)
    {
        var files = new Dictionary<string, (long, string)>(StringComparer.Ordinal);
        foreach (string line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] fields = line.Split('\t');
            if (fields.Length == 3 && long.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out long size))
            {
                files[fields[2]] = (size, fields[1]);
            }
        }

        return new StageFingerprint(files);
    }

    /// <summary>As stamp text: size, SHA-256 and path, tab-separated.</summary>
    public string ToText()
    {
        var text = new StringBuilder();
        foreach ((string path, (long size, string sha256)) in _files.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            text.Append(CultureInfo.InvariantCulture, $"{size}\t{sha256}\t{path}\n");
        }

        return text.ToString();
    }

    /// <summary>Why <paramref name="paths"/> no longer match this fingerprint (the first difference), or null when they all do.</summary>
    public string? FirstDifference(IEnumerable<string> paths)
    {
        foreach (string path in paths)
        {
            if (!File.Exists(path))
            {
                return $"{path} is missing";
            }

            if (!_files.TryGetValue(path, out (long Size, string Sha256) recorded))
            {
                return $"{path} was not recorded when the stage last ran";
            }

            // The size is checked first: it is free, and most damage (truncation, appended bytes) changes it.
            long size = new FileInfo(path).Length;
            if (size != recorded.Size)
            {
                return $"{path} changed since the stage wrote it ({size:N0} bytes, was {recorded.Size:N0})";
            }

            if (Measure(path).Sha256 != recorded.Sha256)
            {
                return $"{path} changed since the stage wrote it (same size, different content)";
            }
        }

        return null;
    }

    /// <summary>A file's size and SHA-256 (lower-case hex), as stamps and blend manifests record them.</summary>
    internal static (long Size, string Sha256) Measure(string path)
    {
        using FileStream stream = File.OpenRead(path);
        return (stream.Length, Convert.ToHexStringLower(SHA256.HashData(stream)));
    }
}
