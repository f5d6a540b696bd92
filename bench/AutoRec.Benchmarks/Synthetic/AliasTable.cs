namespace AutoRec.Benchmarks.Synthetic;

/// <summary>Draws an index with probability proportional to its weight in O(1) (Vose's alias method).</summary>
internal sealed class AliasTable
{
    private readonly double[] _probability;
    private readonly int[] _alias;

    public AliasTable(ReadOnlySpan<double> weights)
    {
        int n = weights.Length;
        double total = 0;
        foreach (double w in weights)
        {
            total += w;
        }

        _probability = new double[n];
        _alias = new int[n];
        var scaled = new double[n];
        var small = new Stack<int>();
        var large = new Stack<int>();
        for (int i = 0; i < n; i++)
        {
            scaled[i] = weights[i] * n / total;
            (scaled[i] < 1.0 ? small : large).Push(i);
        }

        while (small.Count > 0 && large.Count > 0)
        {
            int s = small.Pop();
            int l = large.Pop();
            _probability[s] = scaled[s];
            _alias[s] = l;
            scaled[l] = scaled[l] + scaled[s] - 1.0;
            (scaled[l] < 1.0 ? small : large).Push(l);
        }

        // What is left is 1 up to rounding.
        foreach (int i in large.Concat(small))
        {
            _probability[i] = 1.0;
            _alias[i] = i;
        }
    }

    public int Count => _probability.Length;

    public int Sample(ref SynthRandom random)
    {
        int i = random.NextInt(_probability.Length);
        return random.NextDouble() < _probability[i] ? i : _alias[i];
    }
}
