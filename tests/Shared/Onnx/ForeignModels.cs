using AutoRec.Onnx;
using Google.Protobuf;
using Onnx;

namespace AutoRec.Tests.Shared;

/// <summary>Valid ONNX models that are not AutoRec models, for the "foreign file" tests.</summary>
internal static class ForeignModels
{
    /// <summary>y = Identity(x), float32 [batch, <paramref name="width"/>]: loads fine, but has none of our inputs or metadata.</summary>
    public static byte[] Identity(int width)
    {
        var graph = new GraphProto { Name = "foreign" };
        graph.Input.Add(OnnxModelBuilder.FloatMatrix("x", width));
        graph.Output.Add(OnnxModelBuilder.FloatMatrix("y", width));
        var node = new NodeProto { OpType = "Identity", Name = "id" };
        node.Input.Add("x");
        node.Output.Add("y");
        graph.Node.Add(node);
        var model = new ModelProto { IrVersion = 8, Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 17 });
        return model.ToByteArray();
    }
}
