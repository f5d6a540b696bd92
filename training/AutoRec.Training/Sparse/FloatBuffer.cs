namespace AutoRec.Training.Sparse;

/// <summary>
/// Floats on the pinned object heap, starting on a 64-byte boundary: the kernels take raw pointers to them (the
/// memory never moves), and aligned rows keep every 512-bit load within one cache line. Zeroed when made.
/// </summary>
internal sealed unsafe class FloatBuffer
{
    /// <summary>The number of floats in a 64-byte line: every padded row is a multiple of it.</summary>
    public const int Line = 16;

    // Kept referenced: the pointer is only valid while the array lives.
    private readonly float[] _array;
    private readonly int _offset;

    /// <summary>A zeroed buffer of <paramref name="length"/> floats.</summary>
    public FloatBuffer(long length)
    {
        if (length is < 0 or > int.MaxValue - Line)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, "a buffer holds at most 2^31 - 17 floats");
        }

        Length = (int)length;
        _array = GC.AllocateArray<float>(Length + Line, pinned: true);
        fixed (float* start = _array)
        {
            long misalignment = (long)start % 64;
            _offset = misalignment == 0 ? 0 : (int)((64 - misalignment) / sizeof(float));
            Pointer = start + _offset;
        }
    }

    /// <summary>The number of floats.</summary>
    public int Length { get; }

    /// <summary>The first float (64-byte aligned; valid for the buffer's lifetime, since the array is pinned).</summary>
    public float* Pointer { get; }

    /// <summary>The floats as memory (for work that the cores share: a span cannot be captured).</summary>
    public Memory<float> Memory => _array.AsMemory(_offset, Length);

    /// <summary>The floats as a span.</summary>
    public Span<float> Span => _array.AsSpan(_offset, Length);

    /// <summary>Rounds <paramref name="count"/> up to a whole number of 64-byte lines.</summary>
    public static int Padded(int count) => (count + Line - 1) / Line * Line;

    /// <summary>Sets every float to 0.</summary>
    public void Clear() => Span.Clear();
}
