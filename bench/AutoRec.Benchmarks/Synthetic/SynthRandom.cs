namespace AutoRec.Benchmarks.Synthetic;

/// <summary>
/// SplitMix64 with the draws the generator needs. Its sequence is fixed by definition (unlike <see cref="Random"/>),
/// so a seed gives the same files on every .NET version.
/// </summary>
internal struct SynthRandom(ulong seed)
{
    private ulong _state = seed;

    /// <summary>A generator for one stream of a seed (a user id, a table), independent of the others.</summary>
    public static SynthRandom For(ulong seed, ulong stream) => new(Mix(seed ^ Mix(stream + 0x632BE59BD9B4E019UL)));

    public ulong Next()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        return Mix(z);
    }

    /// <summary>A uniform double in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (Next() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A uniform integer in [0, <paramref name="bound"/>) (multiply-shift; the bias is below 2^-32 for our bounds).</summary>
    public int NextInt(int bound) => (int)((UInt128)Next() * (ulong)bound >> 64);

    /// <summary>A standard normal draw (Box-Muller; one of the pair is dropped to keep the struct stateless).</summary>
    public double NextGaussian()
    {
        double u = 1.0 - NextDouble(); // (0, 1]: the logarithm stays finite
        double v = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u)) * Math.Cos(2.0 * Math.PI * v);
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
