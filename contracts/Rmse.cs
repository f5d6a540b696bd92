namespace AutoRec.Contracts;

/// <summary>
/// RMSE two ways: <see cref="Global"/> over all scored ratings (the literature's number) and <see cref="UserMean"/>,
/// the mean of per-user RMSEs (the seed report's). Both are NaN when nothing was scored.
/// </summary>
/// <param name="Global">RMSE over all scored ratings.</param>
/// <param name="UserMean">The mean over users of each user's RMSE.</param>
/// <param name="Count">Ratings scored.</param>
/// <param name="Skipped">Ratings not scored because the model cannot predict them (their user or movie is unknown to it).</param>
public sealed record RmseResult(double Global, double UserMean, int Count, int Skipped = 0);

/// <summary>Adds up squared errors overall and per user; <see cref="Result"/> gives both RMSEs.</summary>
public sealed class RmseAccumulator
{
    private readonly Dictionary<int, (double Sum, int Count)> _perUser = [];
    private double _total;
    private int _count;
    private int _skipped;

    /// <summary>Adds one scored rating of <paramref name="userId"/>.</summary>
    public void Add(int userId, double predicted, double actual)
    {
        double error = predicted - actual;
        double squared = error * error;
        _total += squared;
        _count++;
        _perUser.TryGetValue(userId, out (double Sum, int Count) user);
        _perUser[userId] = (user.Sum + squared, user.Count + 1);
    }

    /// <summary>Counts a rating that could not be scored.</summary>
    public void Skip() => _skipped++;

    /// <summary>The RMSEs of what was added.</summary>
    public RmseResult Result() => _count == 0
        ? new RmseResult(double.NaN, double.NaN, 0, _skipped)
        : new RmseResult(Math.Sqrt(_total / _count), _perUser.Values.Average(u => Math.Sqrt(u.Sum / u.Count)), _count, _skipped);
}
