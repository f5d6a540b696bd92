namespace AutoRec.Inference.Tests;

/// <summary>Float comparison for ONNX Runtime against the double-precision reference.</summary>
internal static class Tolerance
{
    public const float Value = 1e-5f;

    public static IEqualityComparer<float> Comparer { get; } = new Within(Value);

    private sealed class Within(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => MathF.Abs(x - y) <= tolerance;

        public int GetHashCode(float obj) => 0;
    }
}
