using System.Runtime.CompilerServices;
using AutoRec.Training.Configuration;
using AutoRec.Training.Data;

namespace AutoRec.Training.Sparse;

/// <summary>
/// One batch of rows as the sparse kernels read it, grouped by column: the observed targets (for the output layer)
/// and the visible inputs (value − α·u_c, for the first layer), each column's entries listing the batch rows that
/// have one. Working column by column, a weight row is read once per batch and stays in registers while it meets
/// every row of the batch that rated its column. Each row also has its fill scale α (see <see cref="SparseFill"/>)
/// and its weight in the loss. When training, inputs and targets are the same entries (a hidden input has value 0);
/// when predicting, inputs are the training ratings and targets the ratings to predict. Never rows × columns:
/// memory O(batch ratings + columns). Reused from batch to batch.
/// </summary>
internal sealed class SparseBatch
{
    private readonly int _partitions;
    private readonly int[] _next;
    private readonly int[] _inputStart;
    private readonly int[] _inputPartition;
    private float[] _entryScratch = [];
    private int[] _inputRow = [];
    private float[] _inputValue = [];
    private bool _separateInputs;

    /// <summary>A batch of at most <paramref name="capacity"/> rows over <paramref name="columns"/> columns, cut into <paramref name="partitions"/> column ranges.</summary>
    public SparseBatch(int capacity, int columns, int partitions)
    {
        Capacity = capacity;
        Columns = columns;
        _partitions = partitions;
        Rows = new int[capacity];
        Alpha = new float[capacity];
        RowScale = new float[capacity];
        ColumnStart = new int[columns + 1];
        _inputStart = new int[columns + 1];
        _next = new int[columns + 1];
        ColumnPartition = new int[partitions + 1];
        _inputPartition = new int[partitions + 1];
    }

    /// <summary>The number of column ranges the work is cut into.</summary>
    public int Partitions => _partitions;

    /// <summary>The most rows a batch holds.</summary>
    public int Capacity { get; }

    /// <summary>The number of columns.</summary>
    public int Columns { get; }

    /// <summary>The number of rows in this batch.</summary>
    public int Count { get; private set; }

    /// <summary>The data row of each batch row.</summary>
    public int[] Rows { get; }

    /// <summary>Each row's fill scale α (see <see cref="SparseFill"/>).</summary>
    public float[] Alpha { get; }

    /// <summary>Each row's weight in the loss: 1 for the sum of squares; 1 / (batch · max(ratings, 1)) for the per-row mean.</summary>
    public float[] RowScale { get; }

    /// <summary>Column c's targets are at [ColumnStart[c], ColumnStart[c + 1]).</summary>
    public int[] ColumnStart { get; }

    /// <summary>The batch row of each target.</summary>
    public int[] EntryRow { get; private set; } = [];

    /// <summary>The rating of each target (training).</summary>
    public float[] EntryTarget { get; private set; } = [];

    /// <summary>The target's input value when it is visible, 0 when masking noise hid it (training).</summary>
    public float[] EntryInput { get; private set; } = [];

    /// <summary>Where each target's prediction goes (evaluation).</summary>
    public int[] EntrySlot { get; private set; } = [];

    /// <summary>Partition p owns the targets of columns [ColumnPartition[p], ColumnPartition[p + 1]), about equally many each.</summary>
    public int[] ColumnPartition { get; }

    /// <summary>Column c's inputs are at [InputStart[c], InputStart[c + 1]).</summary>
    public int[] InputStart => _separateInputs ? _inputStart : ColumnStart;

    /// <summary>The batch row of each input.</summary>
    public int[] InputRow => _separateInputs ? _inputRow : EntryRow;

    /// <summary>The value of each input: the rating minus its fill α·u_c (0 for one that adds nothing).</summary>
    public float[] InputValue => _separateInputs ? _inputValue : EntryInput;

    /// <summary>Partition p owns the inputs of columns [InputPartition[p], InputPartition[p + 1]).</summary>
    public int[] InputPartition => _separateInputs ? _inputPartition : ColumnPartition;

    /// <summary>The number of targets.</summary>
    public int TargetCount => ColumnStart[Columns];

    /// <summary>
    /// Whether masking noise at rate <paramref name="masking"/> leaves the rating at index <paramref name="index"/> of
    /// the sparse rows visible (the draw is the rating's own, whatever batch it falls in).
    /// </summary>
    public static bool IsVisible(ulong maskKey, int index, double masking) =>
        masking <= 0 || CounterRandom.Uniform(maskKey, index) >= (float)masking;

    /// <summary>
    /// Loads a training batch: <paramref name="rows"/> of <paramref name="ratings"/>, each rating hidden from the input
    /// with probability <paramref name="masking"/> (see <see cref="IsVisible"/>) and the visible ones' input values
    /// multiplied by <paramref name="visibleScale"/> (input dropout's 1 / (1 - p); only with a zero fill), every
    /// rating a target.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void LoadTraining(
        ReadOnlySpan<int> rows, RatingRows ratings, SparseFill fill, double masking, ulong maskKey, LossKind loss, float visibleScale = 1f)
    {
        ArgumentNullException.ThrowIfNull(fill);
        if (visibleScale != 1f && fill.IsDense)
        {
            throw new ArgumentException("scaled inputs need a zero fill", nameof(visibleScale));
        }

        Begin(rows.Length, separateInputs: false);
        rows.CopyTo(Rows);
        int entries = 0;
        foreach (int row in rows)
        {
            entries += ratings.CountOf(row);
        }

        ReserveTargets(entries, slots: false);
        if (_entryScratch.Length < entries)
        {
            _entryScratch = new float[Grow(entries)];
        }

        // Pass 1, row by row: which ratings stay visible, the row's α and input values; the targets per column.
        int entry = 0;
        for (int i = 0; i < Count; i++)
        {
            int start = ratings.Offsets[rows[i]];
            int end = ratings.Offsets[rows[i] + 1];
            double sum = 0;
            int visible = 0;
            for (int k = start; k < end; k++)
            {
                bool shown = IsVisible(maskKey, k, masking);
                _entryScratch[entry + k - start] = shown ? 1f : 0f;
                if (shown)
                {
                    sum += ratings.Values[k];
                    visible++;
                }

                ColumnStart[ratings.Columns[k] + 1]++;
            }

            float alpha = fill.Alpha(sum, visible);
            Alpha[i] = alpha;
            RowScale[i] = loss == LossKind.MaskedSse ? 1f : 1f / (Count * (float)Math.Max(end - start, 1));
            for (int k = start; k < end; k++)
            {
                _entryScratch[entry] = _entryScratch[entry] != 0 ? (ratings.Values[k] - (alpha * fill.U(ratings.Columns[k]))) * visibleScale : 0f;
                entry++;
            }
        }

        // Pass 2: the entries in column order (a counting sort; rows stay in batch order within a column).
        PrefixSums(ColumnStart);
        entry = 0;
        for (int i = 0; i < Count; i++)
        {
            for (int k = ratings.Offsets[rows[i]]; k < ratings.Offsets[rows[i] + 1]; k++)
            {
                int at = _next[ratings.Columns[k]]++;
                EntryRow[at] = i;
                EntryTarget[at] = ratings.Values[k];
                EntryInput[at] = _entryScratch[entry++];
            }
        }

        Split(ColumnStart, ColumnPartition);
    }

    /// <summary>
    /// Loads rows [<paramref name="start"/>, start + <paramref name="count"/>) for prediction: every training rating an
    /// input, and as targets the ratings of each of <paramref name="targets"/>, whose predictions go to slot offset + the
    /// rating's index in its list.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void LoadEvaluation(int start, int count, RatingRows ratings, SparseFill fill, IReadOnlyList<(RatingRows Set, int SlotOffset)> targets)
    {
        Begin(count, separateInputs: true);
        int inputs = ratings.Offsets[start + count] - ratings.Offsets[start];
        int entries = 0;
        foreach ((RatingRows set, _) in targets)
        {
            entries += set.Offsets[start + count] - set.Offsets[start];
        }

        ReserveTargets(entries, slots: true);
        if (_inputRow.Length < inputs)
        {
            _inputRow = new int[inputs];
            _inputValue = new float[inputs];
        }

        for (int i = 0; i < count; i++)
        {
            int row = start + i;
            Rows[i] = row;
            double sum = 0;
            for (int k = ratings.Offsets[row]; k < ratings.Offsets[row + 1]; k++)
            {
                sum += ratings.Values[k];
                _inputStart[ratings.Columns[k] + 1]++;
            }

            Alpha[i] = fill.Alpha(sum, ratings.CountOf(row));
            RowScale[i] = 1f;
            foreach ((RatingRows set, _) in targets)
            {
                for (int k = set.Offsets[row]; k < set.Offsets[row + 1]; k++)
                {
                    ColumnStart[set.Columns[k] + 1]++;
                }
            }
        }

        PrefixSums(_inputStart);
        for (int i = 0; i < count; i++)
        {
            int row = start + i;
            for (int k = ratings.Offsets[row]; k < ratings.Offsets[row + 1]; k++)
            {
                int column = ratings.Columns[k];
                int at = _next[column]++;
                _inputRow[at] = i;
                _inputValue[at] = ratings.Values[k] - (Alpha[i] * fill.U(column));
            }
        }

        PrefixSums(ColumnStart);
        for (int i = 0; i < count; i++)
        {
            foreach ((RatingRows set, int offset) in targets)
            {
                for (int k = set.Offsets[start + i]; k < set.Offsets[start + i + 1]; k++)
                {
                    int at = _next[set.Columns[k]]++;
                    EntryRow[at] = i;
                    EntrySlot[at] = offset + set.Slots[k];
                }
            }
        }

        Split(ColumnStart, ColumnPartition);
        Split(_inputStart, _inputPartition);
    }

    private void Begin(int count, bool separateInputs)
    {
        if (count > Capacity)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"a batch holds at most {Capacity} rows");
        }

        Count = count;
        _separateInputs = separateInputs;
        Array.Clear(ColumnStart);
        Array.Clear(_inputStart);
    }

    /// <summary>
    /// Room for the targets: rows, ratings and input values when training (reused batch after batch, with some room
    /// to spare); rows and slots, exactly, when evaluating (those batches are built once and kept).
    /// </summary>
    private void ReserveTargets(int entries, bool slots)
    {
        if (EntryRow.Length < entries)
        {
            EntryRow = new int[slots ? entries : Grow(entries)];
        }

        if (!slots && EntryTarget.Length < entries)
        {
            EntryTarget = new float[EntryRow.Length];
            EntryInput = new float[EntryRow.Length];
        }

        if (slots && EntrySlot.Length < entries)
        {
            EntrySlot = new int[entries];
        }
    }

    // Room for somewhat bigger batches than this one, so that a run settles on a few allocations.
    private static int Grow(int needed) => (int)Math.Min(int.MaxValue, (long)needed + (needed / 4) + 64);

    /// <summary>Turns per-column counts (at c + 1) into starts, and readies the insertion cursors.</summary>
    private void PrefixSums(int[] starts)
    {
        for (int c = 0; c < Columns; c++)
        {
            starts[c + 1] += starts[c];
        }

        Array.Copy(starts, _next, Columns + 1);
    }

    /// <summary>Cuts the columns into contiguous ranges holding about equal shares of the entries.</summary>
    private void Split(int[] starts, int[] bounds)
    {
        long total = starts[Columns];
        bounds[0] = 0;
        for (int p = 1; p < _partitions; p++)
        {
            int at = Array.BinarySearch(starts, 0, Columns + 1, (int)(total * p / _partitions));
            bounds[p] = Math.Clamp(at < 0 ? ~at : at, bounds[p - 1], Columns);
        }

        bounds[_partitions] = Columns;
    }
}
