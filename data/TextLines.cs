using System.Text;
using System.Text.Unicode;

namespace AutoRec.Data;

/// <summary>
/// Iterates the lines of a whole file held as bytes, with 1-based line numbers. Tolerates CRLF and blank lines
/// at the end of the file; a blank line before the last record is reported by the caller as a bad line.
/// </summary>
internal ref struct TextLines
{
    private readonly ReadOnlySpan<byte> _text;
    private readonly int _end;
    private int _position;

    public TextLines(ReadOnlySpan<byte> text)
    {
        _text = text;
        _end = text.Length;
        // Trailing blank lines (any mix of \r and \n) are not records.
        while (_end > 0 && (text[_end - 1] == (byte)'\n' || text[_end - 1] == (byte)'\r'))
        {
            _end--;
        }
    }

    public int LineNumber { get; private set; }

    public ReadOnlySpan<byte> Current { get; private set; }

    public bool MoveNext()
    {
        if (_position >= _end)
        {
            return false;
        }

        ReadOnlySpan<byte> rest = _text[_position.._end];
        int newline = rest.IndexOf((byte)'\n');
        ReadOnlySpan<byte> line = newline < 0 ? rest : rest[..newline];
        _position += newline < 0 ? rest.Length : newline + 1;
        if (line.Length > 0 && line[^1] == (byte)'\r')
        {
            line = line[..^1];
        }

        Current = line;
        LineNumber++;
        return true;
    }

    /// <summary>Reads a file, or throws the located error for a missing or empty one.</summary>
    public static byte[] ReadFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new DataFormatException(DataErrorCodes.MissingFile, path, 0, "file not found");
        }

        byte[] bytes = File.ReadAllBytes(path);
        if (bytes.AsSpan().IndexOfAnyExcept("\r\n\t "u8) < 0)
        {
            throw new DataFormatException(DataErrorCodes.EmptyFile, path, 0, "the file is empty");
        }

        return bytes;
    }

    /// <summary>Decodes text as UTF-8 when it is valid UTF-8, otherwise as latin-1 (the older MovieLens releases).</summary>
    public static string Decode(ReadOnlySpan<byte> bytes)
    {
        return Utf8.IsValid(bytes) ? Encoding.UTF8.GetString(bytes) : Encoding.Latin1.GetString(bytes);
    }
}
