using System.Security.Cryptography;

namespace AutoRec.Inference.Network;

/// <summary>
/// The bytes a model was opened from, for reading its layers later (<see cref="NetworkGraph"/>) without holding a
/// second copy of the weights for the model's lifetime: a file is read again and checked against the SHA-256 taken
/// when it was opened; a stream's bytes are kept (nothing else can give them back).
/// </summary>
internal sealed class ModelBytes
{
    private readonly string? _path;
    private readonly byte[]? _digest;
    private readonly byte[]? _kept;

    private ModelBytes(string? path, byte[]? digest, byte[]? kept)
    {
        _path = path;
        _digest = digest;
        _kept = kept;
    }

    /// <summary>A file opened with <paramref name="bytes"/> as its content.</summary>
    public static ModelBytes OfFile(string path, byte[] bytes) => new(path, SHA256.HashData(bytes), null);

    /// <summary>The SHA-256 of a file's bytes as opened, lower-case hex; null for a stream's.</summary>
    public string? Sha256 => _digest is null ? null : Convert.ToHexStringLower(_digest);

    /// <summary>Bytes that came from a stream.</summary>
    public static ModelBytes Kept(byte[] bytes) => new(null, null, bytes);

    /// <summary>The model's bytes, exactly those it was opened from.</summary>
    /// <exception cref="ModelFormatException">The file cannot be read, or it changed since the model was opened (<see cref="ModelErrorCodes.NotLoadable"/>).</exception>
    public byte[] Read()
    {
        if (_kept is not null)
        {
            return _kept;
        }

        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(_path!);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModelFormatException(ModelErrorCodes.NotLoadable, _path!, $"cannot be read again for its layers: {e.Message}", e);
        }

        if (!SHA256.HashData(bytes).AsSpan().SequenceEqual(_digest))
        {
            throw new ModelFormatException(
                ModelErrorCodes.NotLoadable, _path!, "the file changed since the model was opened: open it again to serve the new model");
        }

        return bytes;
    }
}
