using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using AutoRec.Inference.Numerics;

namespace AutoRec.Inference.Factors;

/// <summary>
/// A model's compact factors: the mean μ and an orthonormal basis B (width x rank) of its codes, so that a
/// prediction w·c + b is served as (Bᵀw)·(Bᵀ(c − μ)) + (b + w·μ) over <see cref="Rank"/> values instead of
/// <see cref="Width"/>. The export computes it (the principal directions of the codes, the rank the smallest whose
/// validation RMSE moves by at most its tolerance) and writes it beside model.onnx as <see cref="FileName"/>, tied
/// to that file by its SHA-256. At full rank BBᵀ = I and nothing changes; below, what changes was measured
/// (<see cref="Report"/>).
/// </summary>
/// <param name="ModelSha256">The SHA-256 of the model.onnx it belongs to, lower-case hex.</param>
/// <param name="Width">The code width of the model.</param>
/// <param name="Rank">The basis's columns (at most <paramref name="Width"/>).</param>
/// <param name="Mean">μ, <paramref name="Width"/> values.</param>
/// <param name="Basis">B, row-major <paramref name="Width"/> x <paramref name="Rank"/>, orthonormal columns.</param>
/// <param name="Report">What the export measured, as a JSON object (free form, for people).</param>
public sealed record CompactBasis(string ModelSha256, int Width, int Rank, float[] Mean, float[] Basis, string Report)
{
    /// <summary>The sidecar's name beside model.onnx.</summary>
    public const string FileName = "compact.bin";

    private static ReadOnlySpan<byte> Magic => "AUTOREC-COMPACT/1\n"u8;

    /// <summary>Writes the sidecar: the magic line, a little-endian int32 header length, the UTF-8 JSON header, then μ and B as little-endian float32.</summary>
    public void Write(string path)
    {
        Check(path);
        string header = JsonSerializer.Serialize(new Header(ModelSha256, Width, Rank, JsonDocument.Parse(Report).RootElement));
        byte[] headerBytes = Encoding.UTF8.GetBytes(header);
        using FileStream stream = File.Create(path);
        stream.Write(Magic);
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(length, headerBytes.Length);
        stream.Write(length);
        stream.Write(headerBytes);
        WriteFloats(stream, Mean);
        WriteFloats(stream, Basis);
    }

    /// <summary>Reads a sidecar written by <see cref="Write"/>.</summary>
    /// <exception cref="ModelFormatException">The file cannot be read, or is not a complete compact basis (<see cref="ModelErrorCodes.BadMetadata"/>).</exception>
    public static CompactBasis Read(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModelFormatException(ModelErrorCodes.NotLoadable, path, $"cannot be read: {e.Message}", e);
        }

        ReadOnlySpan<byte> rest = bytes;
        if (!rest.StartsWith(Magic) || rest.Length < Magic.Length + 4)
        {
            throw Bad(path, "is not an AutoRec compact basis (its first line is not AUTOREC-COMPACT/1)");
        }

        rest = rest[Magic.Length..];
        int headerLength = BinaryPrimitives.ReadInt32LittleEndian(rest);
        rest = rest[4..];
        if (headerLength <= 0 || headerLength > rest.Length)
        {
            throw Bad(path, $"is truncated: its header says {headerLength} bytes, {rest.Length} follow");
        }

        Header? header;
        try
        {
            header = JsonSerializer.Deserialize<Header>(rest[..headerLength]);
        }
        catch (JsonException e)
        {
            throw Bad(path, $"has an unreadable header: {e.Message}", e);
        }

        if (header is not { ModelSha256: { Length: 64 }, Width: > 0, Rank: > 0 } || header.Rank > header.Width)
        {
            throw Bad(path, "has a header without model_sha256, or with a width and rank that are not 0 < rank <= width");
        }

        rest = rest[headerLength..];
        long expected = ((long)header.Width + ((long)header.Width * header.Rank)) * sizeof(float);
        if (rest.Length != expected)
        {
            throw Bad(path, $"holds {rest.Length} bytes of factors where width {header.Width} and rank {header.Rank} need {expected}: it is truncated or not this format");
        }

        float[] mean = ReadFloats(rest[..(header.Width * sizeof(float))]);
        float[] basis = ReadFloats(rest[(header.Width * sizeof(float))..]);
        if (!AllFinite(mean) || !AllFinite(basis))
        {
            throw Bad(path, "holds values that are not finite");
        }

        return new CompactBasis(header.ModelSha256, header.Width, header.Rank, mean, basis, header.Report.GetRawText());
    }

    /// <summary>Every code projected: row i of the result is Bᵀ(c_i − μ), <see cref="Rank"/> values.</summary>
    /// <param name="codes">Count x <see cref="Width"/>, row-major.</param>
    public float[] ProjectCodes(ReadOnlySpan<float> codes)
    {
        int count = codes.Length / Width;
        var result = new float[count * Rank];
        for (int i = 0; i < count; i++)
        {
            ProjectCode(codes.Slice(i * Width, Width), result.AsSpan(i * Rank, Rank));
        }

        return result;
    }

    /// <summary>One code projected: <paramref name="destination"/> = Bᵀ(<paramref name="code"/> − μ), <see cref="Rank"/> values.</summary>
    public void ProjectCode(ReadOnlySpan<float> code, Span<float> destination) => Accumulate(code, Mean, destination);

    /// <summary>Every output row projected (Bᵀw_j) and its bias moved by w_j·μ, in place of <paramref name="bias"/>.</summary>
    /// <param name="rows">Count x <see cref="Width"/>, row-major.</param>
    /// <param name="bias">One bias per row, updated.</param>
    public float[] ProjectRows(ReadOnlySpan<float> rows, Span<float> bias)
    {
        int count = rows.Length / Width;
        var result = new float[count * Rank];
        for (int j = 0; j < count; j++)
        {
            ReadOnlySpan<float> row = rows.Slice(j * Width, Width);
            bias[j] += Simd.Dot(row, Mean);
            Accumulate(row, default, result.AsSpan(j * Rank, Rank));
        }

        return result;
    }

    /// <summary><paramref name="destination"/> = Σ_k (x_k − offset_k) B_k: B's rows scaled by the (offset) input's values; no offset when empty.</summary>
    private void Accumulate(ReadOnlySpan<float> x, ReadOnlySpan<float> offset, Span<float> destination)
    {
        // Four rows of B per pass over the destination: row by row, the destination's loads and stores cost more
        // than B's (a user-based new user's 2,500-value code, projected on 112: 8% of the service's time).
        destination.Clear();
        ReadOnlySpan<float> basis = Basis;
        int k = 0;
        for (; k + 3 < Width; k += 4)
        {
            Simd.MultiplyAdd4(
                basis.Slice(k * Rank, 4 * Rank), Rank,
                ValueAt(x, offset, k), ValueAt(x, offset, k + 1), ValueAt(x, offset, k + 2), ValueAt(x, offset, k + 3),
                destination);
        }

        for (; k < Width; k++)
        {
            Simd.MultiplyAdd(basis.Slice(k * Rank, Rank), ValueAt(x, offset, k), destination);
        }
    }

    private static float ValueAt(ReadOnlySpan<float> x, ReadOnlySpan<float> offset, int k) => offset.IsEmpty ? x[k] : x[k] - offset[k];

    private void Check(string source)
    {
        if (Width <= 0 || Rank <= 0 || Rank > Width || Mean.Length != Width || Basis.Length != Width * Rank || ModelSha256.Length != 64)
        {
            throw new ArgumentException($"a compact basis for {source} needs 0 < rank <= width, a mean of width values, a width x rank basis and a model SHA-256");
        }
    }

    private static void WriteFloats(Stream stream, float[] values)
    {
        if (BitConverter.IsLittleEndian)
        {
            stream.Write(MemoryMarshal.AsBytes(values.AsSpan()));
            return;
        }

        Span<byte> buffer = stackalloc byte[4];
        foreach (float value in values)
        {
            BinaryPrimitives.WriteSingleLittleEndian(buffer, value);
            stream.Write(buffer);
        }
    }

    private static float[] ReadFloats(ReadOnlySpan<byte> bytes)
    {
        var values = new float[bytes.Length / sizeof(float)];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.Slice(i * sizeof(float), sizeof(float)));
        }

        return values;
    }

    private static bool AllFinite(float[] values)
    {
        foreach (float value in values)
        {
            if (!float.IsFinite(value))
            {
                return false;
            }
        }

        return true;
    }

    private static ModelFormatException Bad(string path, string reason, Exception? inner = null) =>
        new(ModelErrorCodes.BadMetadata, path, reason, inner);

    private sealed record Header(
        [property: System.Text.Json.Serialization.JsonPropertyName("model_sha256")] string ModelSha256,
        [property: System.Text.Json.Serialization.JsonPropertyName("width")] int Width,
        [property: System.Text.Json.Serialization.JsonPropertyName("rank")] int Rank,
        [property: System.Text.Json.Serialization.JsonPropertyName("report")] JsonElement Report);
}

/// <summary>Finds the compact basis a model is served with.</summary>
internal static class CompactBasisLookup
{
    /// <summary>
    /// The basis <paramref name="model"/>'s options name, or <see cref="CompactBasis.FileName"/> beside its file; null
    /// when compact factors are off, or the model has none.
    /// </summary>
    /// <exception cref="ModelFormatException">The basis named is missing, unreadable, or belongs to another model file or code width.</exception>
    public static CompactBasis? For(RecommenderModel model, int codeWidth)
    {
        RecommenderOptions options = model.Options;
        if (!options.CompactFactors)
        {
            return null;
        }

        string? path = options.CompactBasisPath;
        if (path is null)
        {
            if (model.Sha256 is null)
            {
                return null; // opened from a stream: nothing lies beside it
            }

            path = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(model.Source)) ?? ".", CompactBasis.FileName);
            if (!File.Exists(path))
            {
                return null;
            }
        }
        else if (!File.Exists(path))
        {
            throw new ModelFormatException(ModelErrorCodes.MissingFile, path, "compact basis not found");
        }

        CompactBasis basis = CompactBasis.Read(path);
        string sha = model.Sha256 ?? Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(model.Bytes.Read()));
        if (!string.Equals(basis.ModelSha256, sha, StringComparison.Ordinal))
        {
            throw new ModelFormatException(
                ModelErrorCodes.BadMetadata, path,
                $"belongs to another model file (SHA-256 {basis.ModelSha256}, {model.Source} has {sha}): export the model again, or delete it to serve the full factors");
        }

        if (basis.Width != codeWidth)
        {
            throw new ModelFormatException(ModelErrorCodes.BadMetadata, path, $"has width {basis.Width} where the model's codes have {codeWidth} values");
        }

        return basis;
    }
}
