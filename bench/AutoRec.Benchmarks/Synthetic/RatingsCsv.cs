using System.Buffers.Text;

namespace AutoRec.Benchmarks.Synthetic;

/// <summary>
/// Writes <c>ratings.csv</c> as ml-20m has it: <c>userId,movieId,rating,timestamp</c>, sorted by user then movie,
/// ratings as <c>3.5</c>/<c>4.0</c>. Users are generated in parallel chunks, each from its own seeded stream, so the
/// bytes do not depend on the number of cores; chunks are written in order, so memory stays at a few chunk buffers.
/// </summary>
internal static class RatingsCsv
{
    private const int UsersPerChunk = 1024;

    // userId and movieId (10 digits each), rating (3), timestamp (10 digits until 2286), three commas, newline.
    private const int MaxLineBytes = 37;

    // ml-20m's timestamps run from 1995-01-09 to 2015-03-31.
    private const long FirstTime = 789_652_009;
    private const long LastTime = 1_427_784_002;

    /// <summary>Writes the ratings of users 1..<c>countsById.Length</c> (<paramref name="countsById"/>[id - 1] each).</summary>
    public static void Write(string path, int[] countsById, SynthMovies movies, ulong seed)
    {
        int chunks = (countsById.Length + UsersPerChunk - 1) / UsersPerChunk;
        int wave = 4 * Environment.ProcessorCount;
        var buffers = new byte[wave][];
        var lengths = new int[wave];
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        stream.Write("userId,movieId,rating,timestamp\n"u8);
        for (int first = 0; first < chunks; first += wave)
        {
            int inWave = Math.Min(wave, chunks - first);
            Parallel.For(0, inWave, slot =>
            {
                int startUser = (first + slot) * UsersPerChunk;
                int endUser = Math.Min(countsById.Length, startUser + UsersPerChunk);
                long lines = 0;
                for (int u = startUser; u < endUser; u++)
                {
                    lines += countsById[u];
                }

                if (buffers[slot] is null || buffers[slot].Length < lines * MaxLineBytes)
                {
                    buffers[slot] = new byte[lines * MaxLineBytes];
                }

                var user = new UserWriter(movies, seed);
                int length = 0;
                for (int u = startUser; u < endUser; u++)
                {
                    length += user.Write(u + 1, countsById[u], buffers[slot].AsSpan(length));
                }

                lengths[slot] = length;
            });

            for (int slot = 0; slot < inWave; slot++)
            {
                stream.Write(buffers[slot], 0, lengths[slot]);
            }
        }
    }

    /// <summary>Draws one user's movies, ratings and times and formats them; holds one worker's scratch arrays.</summary>
    private sealed class UserWriter(SynthMovies movies, ulong seed)
    {
        private readonly int[] _takenBy = new int[movies.Count]; // user id that last drew each movie: no clearing between users
        private readonly int[] _picks = new int[movies.Count];
        private readonly float[] _factors = new float[SynthMovies.Rank];

        public int Write(int userId, int count, Span<byte> destination)
        {
            var random = SynthRandom.For(seed, (ulong)userId);
            double bias = 0.35 * random.NextGaussian();
            for (int k = 0; k < _factors.Length; k++)
            {
                _factors[k] = (float)(0.45 * random.NextGaussian());
            }

            // Half stars came to MovieLens in 2003: many users only ever gave whole stars.
            bool wholeStars = random.NextDouble() < 0.4;
            long start = FirstTime + (long)(random.NextDouble() * (LastTime - FirstTime));
            long span = Math.Min(LastTime - start, (long)(-Math.Log(1.0 - random.NextDouble()) * 365 * 86400));

            Span<int> picks = _picks.AsSpan(0, count);
            Pick(userId, picks, ref random);
            picks.Sort(); // indexes increase with ids: the file is sorted by user, then movie

            int length = 0;
            foreach (int m in picks)
            {
                double value = 3.55 + bias + movies.Bias[m] + (0.8 * random.NextGaussian());
                for (int k = 0; k < _factors.Length; k++)
                {
                    value += _factors[k] * movies.Factors[(m * SynthMovies.Rank) + k];
                }

                int halves = wholeStars ? 2 * (int)Math.Clamp(Math.Round(value), 1, 5) : (int)Math.Clamp(Math.Round(2 * value), 1, 10);
                long time = start + (long)(random.NextDouble() * (span + 1));
                length += FormatLine(userId, movies.Ids[m], halves, time, destination[length..]);
            }

            return length;
        }

        private void Pick(int userId, Span<int> picks, ref SynthRandom random)
        {
            int n = movies.Count;
            if (2 * picks.Length <= n)
            {
                // Draw by popularity and skip repeats: at most a third of the movies are taken, and at least the
                // unpopular tail's share of the draws lands on a new movie.
                for (int i = 0; i < picks.Length;)
                {
                    int m = movies.Popularity.Sample(ref random);
                    if (_takenBy[m] != userId)
                    {
                        _takenBy[m] = userId;
                        picks[i++] = m;
                    }
                }

                return;
            }

            // A user with most of the movies (small catalogues only): weighted sampling without replacement by
            // exponential race, keeping the earliest arrivals.
            var keys = new double[n];
            var order = new int[n];
            for (int m = 0; m < n; m++)
            {
                keys[m] = -Math.Log(1.0 - random.NextDouble()) / movies.Weights[m];
                order[m] = m;
            }

            Array.Sort(keys, order);
            order.AsSpan(0, picks.Length).CopyTo(picks);
        }

        private static int FormatLine(int user, int movie, int halves, long time, Span<byte> line)
        {
            Utf8Formatter.TryFormat(user, line, out int length);
            line[length++] = (byte)',';
            Utf8Formatter.TryFormat(movie, line[length..], out int written);
            length += written;
            line[length++] = (byte)',';
            line[length++] = (byte)('0' + (halves / 2));
            line[length++] = (byte)'.';
            line[length++] = (halves % 2 == 1) ? (byte)'5' : (byte)'0';
            line[length++] = (byte)',';
            Utf8Formatter.TryFormat(time, line[length..], out written);
            length += written;
            line[length++] = (byte)'\n';
            return length;
        }
    }
}
