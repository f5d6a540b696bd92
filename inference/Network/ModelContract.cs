using AutoRec.Contracts;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using ModelMetadata = AutoRec.Contracts.ModelMetadata;

namespace AutoRec.Inference.Network;

/// <summary>
/// Checks that an open session is an AutoRec export: its <c>autorec.*</c> metadata (parsed by
/// <see cref="ModelMetadata.FromProperties"/>) and a graph whose inputs and output fit that metadata.
/// </summary>
internal static class ModelContract
{
    /// <summary>Reads and checks the metadata of <paramref name="session"/>, loaded from <paramref name="source"/>.</summary>
    /// <exception cref="ModelFormatException">The session is not an AutoRec model (<see cref="ModelErrorCodes.WrongSignature"/> or <see cref="ModelErrorCodes.BadMetadata"/>).</exception>
    public static ModelMetadata Read(InferenceSession session, string source)
    {
        IReadOnlyDictionary<string, NodeMetadata> inputs = session.InputMetadata;
        IReadOnlyDictionary<string, NodeMetadata> outputs = session.OutputMetadata;

        // The graph's names come first: a foreign ONNX model is better told so than that it lacks our metadata.
        if (!inputs.ContainsKey(ModelGraph.RatingsInput) || !outputs.ContainsKey(ModelGraph.PredictionsOutput))
        {
            throw new ModelFormatException(
                ModelErrorCodes.WrongSignature, source,
                $"not an AutoRec model: expected input '{ModelGraph.RatingsInput}' and output '{ModelGraph.PredictionsOutput}', " +
                $"found inputs ({string.Join(", ", inputs.Keys)}) and outputs ({string.Join(", ", outputs.Keys)})");
        }

        ModelMetadata metadata;
        try
        {
            metadata = ModelMetadata.FromProperties(session.ModelMetadata.CustomMetadataMap);
        }
        catch (ModelMetadataException e)
        {
            throw new ModelFormatException(ModelErrorCodes.BadMetadata, source, e.Message, e);
        }

        CheckGraph(metadata, inputs, outputs, source);
        return metadata;
    }

    private static void CheckGraph(
        ModelMetadata metadata, IReadOnlyDictionary<string, NodeMetadata> inputs, IReadOnlyDictionary<string, NodeMetadata> outputs, string source)
    {
        int sideWidth = metadata.SideFeatures.Length;
        string[] expectedInputs = sideWidth > 0 ? [ModelGraph.RatingsInput, ModelGraph.SideInput] : [ModelGraph.RatingsInput];
        if (!inputs.Keys.Order(StringComparer.Ordinal).SequenceEqual(expectedInputs.Order(StringComparer.Ordinal)))
        {
            throw new ModelFormatException(
                ModelErrorCodes.WrongSignature, source,
                $"expected inputs ({string.Join(", ", expectedInputs)}) for {sideWidth} side features, found ({string.Join(", ", inputs.Keys)})");
        }

        CheckMatrix(inputs[ModelGraph.RatingsInput], ModelGraph.RatingsInput, metadata.InputIds.Length, ModelMetadataKeys.InputIds, source);
        CheckMatrix(outputs[ModelGraph.PredictionsOutput], ModelGraph.PredictionsOutput, metadata.OutputIds.Length, ModelMetadataKeys.OutputIds, source);
        if (sideWidth > 0)
        {
            CheckMatrix(inputs[ModelGraph.SideInput], ModelGraph.SideInput, sideWidth, ModelMetadataKeys.SideFeatures, source);
        }
    }

    private static void CheckMatrix(NodeMetadata node, string name, int width, string metadataKey, string source)
    {
        if (!node.IsTensor || node.ElementDataType != TensorElementType.Float)
        {
            throw new ModelFormatException(ModelErrorCodes.WrongSignature, source, $"'{name}' must be a float32 tensor");
        }

        int[] dims = node.Dimensions;
        if (dims.Length != 2 || dims[1] != width)
        {
            // A symbolic batch dimension reads as -1; the width must be fixed and match the metadata.
            throw new ModelFormatException(
                ModelErrorCodes.BadMetadata, source,
                $"'{name}' has shape [{string.Join(", ", dims)}] but {metadataKey} lists {width} entries: expected [batch, {width}]");
        }
    }
}
