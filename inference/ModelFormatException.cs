namespace AutoRec.Inference;

/// <summary>
/// A model file that cannot be served: missing, not loadable by ONNX Runtime, or an ONNX model that is not an
/// AutoRec export. Carries the file and a stable error code (<c>AR3xxx</c>, see <see cref="ModelErrorCodes"/>)
/// that build tools report as-is.
/// </summary>
public sealed class ModelFormatException : Exception
{
    /// <summary>Creates an error for the model at <paramref name="modelPath"/>.</summary>
    public ModelFormatException(string code, string modelPath, string reason, Exception? innerException = null)
        : base($"{modelPath}: {reason}", innerException)
    {
        Code = code;
        ModelPath = modelPath;
        Reason = reason;
    }

    /// <summary>The stable error code, e.g. <c>AR3001</c>.</summary>
    public string Code { get; }

    /// <summary>The model file (or a description of the stream it came from).</summary>
    public string ModelPath { get; }

    /// <summary>What is wrong, without the location.</summary>
    public string Reason { get; }
}

/// <summary>The error codes of <see cref="ModelFormatException"/>.</summary>
public static class ModelErrorCodes
{
    /// <summary>The model file does not exist.</summary>
    public const string MissingFile = "AR3001";

    /// <summary>ONNX Runtime cannot load the file (not ONNX, truncated, unsupported).</summary>
    public const string NotLoadable = "AR3002";

    /// <summary>The graph's inputs or outputs are not those of an AutoRec export.</summary>
    public const string WrongSignature = "AR3003";

    /// <summary>An <c>autorec.*</c> metadata entry is missing or malformed, or disagrees with the graph.</summary>
    public const string BadMetadata = "AR3004";

    /// <summary>A blend manifest (blend.json) is malformed, or its members do not fit together.</summary>
    public const string BadBlend = "AR3005";
}
