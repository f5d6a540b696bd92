namespace AutoRec.Contracts;

/// <summary>A vector width the numeric kernels (<see cref="Gemm"/>, the trainer's sparse kernels) can run at.</summary>
public enum SimdWidth
{
    /// <summary>No usable vector unit: plain loops.</summary>
    Scalar,

    /// <summary>256-bit vectors (AVX2 and the like).</summary>
    V256,

    /// <summary>512-bit vectors (AVX-512).</summary>
    V512,
}
