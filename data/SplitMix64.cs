namespace AutoRec.Data;

/// <summary>
/// The SplitMix64 generator (Steele, Lea and Flood 2014). Used instead of <see cref="Random"/> because its
/// sequence is fixed by definition, so a split seed gives the same split on every .NET version and platform.
/// </summary>
internal struct SplitMix64(ulong seed)
{
    private ulong _state = seed;

    public ulong Next()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A uniform integer in [0, <paramref name="bound"/>), by Lemire's multiply-and-reject method.</summary>
    public int NextInt(int bound)
    {
        ulong threshold = (ulong)-(long)bound % (ulong)bound;
        while (true)
        {
            ulong r = Next();
            UInt128 product = (UInt128)r * (ulong)bound;
            if ((ulong)product >= threshold)
            {
                return (int)(product >> 64);
            }
        }
    }
}
