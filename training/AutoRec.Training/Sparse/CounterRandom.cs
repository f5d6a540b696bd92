namespace AutoRec.Training.Sparse;

/// <summary>
/// Random draws addressed by a key and an index (SplitMix64's finaliser on key + index): the same key and index give
/// the same number whatever thread asks and in whatever order, so the sparse path's masking noise and dropout are
/// deterministic under Parallel.For and a resumed run draws what an uninterrupted one would.
/// </summary>
internal static class CounterRandom
{
    private const ulong Golden = 0x9E3779B97F4A7C15UL;

    /// <summary>The key of one stream of draws (masking noise, dropout) in one epoch of a seeded run.</summary>
    public static ulong Key(long seed, int epoch, int stream) =>
        Mix(Mix(Mix(unchecked((ulong)seed)) + unchecked((ulong)epoch)) + unchecked((ulong)stream));

    /// <summary>A uniform float in [0, 1).</summary>
    public static float Uniform(ulong key, long index) =>
        (Mix(unchecked(key + ((ulong)index * Golden))) >> 40) * (1f / (1 << 24));

    private static ulong Mix(ulong x)
    {
        unchecked
        {
            x += Golden;
            x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
            x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
            return x ^ (x >> 31);
        }
    }
}
