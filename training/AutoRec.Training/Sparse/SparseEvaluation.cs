using AutoRec.Contracts;
using AutoRec.Training.Data;
using AutoRec.Training.Training;

namespace AutoRec.Training.Sparse;

/// <summary>
/// Predicts held-out (row, column) pairs with a <see cref="SparseForwardBackward"/>'s current weights: batches of
/// rows whose inputs are the training ratings and whose targets are only the pairs asked for, so an evaluation costs
/// O(ratings), never rows × columns. The batches of the last list of sets are kept (every epoch scores the same two).
/// </summary>
internal sealed class SparseEvaluation
{
    private readonly TrainingData _data;
    private readonly SparseFill _fill;
    private readonly SparseForwardBackward _pass;
    private readonly int _capacity;
    private readonly int _partitions;
    private readonly Dictionary<HeldOutRating[], RatingRows> _targets = new(ReferenceEqualityComparer.Instance);
    private float[] _predictions = [];
    private HeldOutRating[][] _evaluated = [];
    private List<SparseBatch> _batches = [];

    /// <summary>Evaluates with <paramref name="pass"/> in batches of <paramref name="capacity"/> rows cut into <paramref name="partitions"/>.</summary>
    public SparseEvaluation(TrainingData data, SparseFill fill, SparseForwardBackward pass, int capacity, int partitions)
    {
        _data = data;
        _fill = fill;
        _pass = pass;
        _capacity = capacity;
        _partitions = partitions;
    }

    /// <summary>The RMSEs at each list of ratings (predictions clipped to the scale).</summary>
    public RmseResult[] Score(params HeldOutRating[][] sets)
    {
        List<(RatingRows, int)> targets = PredictInto(sets);
        var results = new RmseResult[sets.Length];
        for (int i = 0; i < sets.Length; i++)
        {
            results[i] = HeldOutRmse.ScoreEach(_predictions.AsSpan(targets[i].Item2, sets[i].Length), sets[i], _data.Scale);
        }

        return results;
    }

    /// <summary>The predictions (not clipped) at each list of ratings, in its order.</summary>
    public float[][] Predict(params HeldOutRating[][] sets)
    {
        List<(RatingRows, int)> targets = PredictInto(sets);
        return [.. sets.Select((set, i) => _predictions.AsSpan(targets[i].Item2, set.Length).ToArray())];
    }

    /// <summary>Predicts every rating of <paramref name="sets"/> into <c>_predictions</c>; returns each set's targets and first slot.</summary>
    private List<(RatingRows, int)> PredictInto(HeldOutRating[][] sets)
    {
        ArgumentNullException.ThrowIfNull(sets);
        var targets = new List<(RatingRows, int)>();
        int slots = 0;
        foreach (HeldOutRating[] set in sets)
        {
            targets.Add((TargetsOf(set), slots));
            slots += set.Length;
        }

        // Reused: a new array per evaluation would be megabytes of large-object garbage per epoch.
        if (_predictions.Length < slots)
        {
            _predictions = new float[slots];
        }

        // The batches of an evaluation depend on the data only: O(ratings) memory for a tenth of an epoch's time.
        if (!_evaluated.SequenceEqual(sets, ReferenceEqualityComparer.Instance))
        {
            _batches = BatchesOf(targets);
            _evaluated = [.. sets];
        }

        _pass.TakeWeights();
        foreach (SparseBatch batch in _batches)
        {
            _pass.Predict(batch, _predictions);
        }

        return targets;
    }

    /// <summary>
    /// Evaluation batches of <paramref name="set"/> (slot i: its rating i) over the rows in the order and grouping
    /// full-batch training uses (consecutive rows, <c>capacity</c> at a time), for
    /// <see cref="SparseForwardBackward.PredictFromLastTraining"/>.
    /// </summary>
    public List<SparseBatch> BatchesOf(HeldOutRating[] set) => BatchesOf([(TargetsOf(set), 0)]);

    private List<SparseBatch> BatchesOf(List<(RatingRows, int)> targets)
    {
        var batches = new List<SparseBatch>();
        for (int start = 0; start < _data.RowCount; start += _capacity)
        {
            var batch = new SparseBatch(_capacity, _data.ColumnCount, _partitions);
            batch.LoadEvaluation(start, Math.Min(_capacity, _data.RowCount - start), _data.Ratings, _fill, targets);
            batches.Add(batch);
        }

        return batches;
    }

    /// <summary>The ratings of <paramref name="set"/> by row (built once per list; the training matrix's own rows when they are the training ratings).</summary>
    private RatingRows TargetsOf(HeldOutRating[] set)
    {
        if (!_targets.TryGetValue(set, out RatingRows? rows))
        {
            rows = ReferenceEquals(set, _data.TrainRatings) && !_data.Ratings.HadDuplicates
                ? _data.Ratings
                : RatingRows.From(set, _data.RowCount, _data.ColumnCount, deduplicate: false);
            _targets[set] = rows;
        }

        return rows;
    }
}
