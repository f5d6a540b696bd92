using System.Text;
using System.Text.Unicode;

namespace AutoRec.Data;

/// <summary>Turns MovieLens bytes into text: UTF-8 where the bytes are valid UTF-8, otherwise latin-1 (the older releases).</summary>
internal static class TextDecoding
{
    /// <summary>Decodes text as UTF-8 when it is valid UTF-8, otherwise as latin-1.</summary>
    public static string Decode(ReadOnlySpan<byte> bytes)
    {
        return Utf8.IsValid(bytes) ? Encoding.UTF8.GetString(bytes) : Encoding.Latin1.GetString(bytes);
    }
}
