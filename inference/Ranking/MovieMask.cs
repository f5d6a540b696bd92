using System.Buffers;

namespace AutoRec.Inference.Ranking;

/// <summary>
/// The movies a top-N call leaves out, one bit per movie index, in a pooled buffer: marking a user's rated movies and
/// a query's exclusions costs no allocation and testing a candidate is one load. Dispose returns the buffer.
/// </summary>
internal readonly ref struct MovieMask
{
    private readonly ulong[] _words;
    private readonly int _length;

    public MovieMask(int movies)
    {
        _length = (movies + 63) >> 6;
        _words = ArrayPool<ulong>.Shared.Rent(Math.Max(_length, 1));
        _words.AsSpan(0, _length).Clear();
    }

    public ReadOnlySpan<ulong> Bits => _words.AsSpan(0, _length);

    public void Set(int index) => _words[index >> 6] |= 1UL << (index & 63);

    public void SetAll(ReadOnlySpan<int> indices)
    {
        foreach (int index in indices)
        {
            Set(index);
        }
    }

    public static bool IsSet(ReadOnlySpan<ulong> bits, int index) => (bits[index >> 6] & (1UL << (index & 63))) != 0;

    public void Dispose() => ArrayPool<ulong>.Shared.Return(_words);
}
