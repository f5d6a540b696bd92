using System.Diagnostics;
using System.Globalization;

namespace AutoRec.Benchmarks;

/// <summary>A latency distribution of single calls, in milliseconds (BenchmarkDotNet reports means, not percentiles).</summary>
internal readonly record struct Latency(double P50, double P99, double Mean)
{
    /// <summary>Times <paramref name="calls"/> calls of <paramref name="call"/> (given the call's index) after up to 500 warm-up calls.</summary>
    public static Latency Measure(int calls, Action<int> call)
    {
        for (int i = 0; i < Math.Min(500, calls); i++)
        {
            call(i);
        }

        var times = new double[calls];
        for (int i = 0; i < calls; i++)
        {
            long start = Stopwatch.GetTimestamp();
            call(i);
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        Array.Sort(times);
        return new Latency(times[calls / 2], times[(int)(calls * 0.99)], times.Average());
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"p50 {P50:F3} ms, p99 {P99:F3} ms, mean {Mean:F3} ms");
}
