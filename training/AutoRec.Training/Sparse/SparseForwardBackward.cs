using System.Runtime.CompilerServices;
using AutoRec.Contracts;

namespace AutoRec.Training.Sparse;

/// <summary>
/// The forward and backward passes of an autoencoder on a <see cref="SparseBatch"/>, written out by hand for this
/// one shape of network: the first layer from the batch's visible inputs (plus α times W·u, the fill's share,
/// computed once per batch, plus side features), dense hidden layers as small matrix products, and the output layer
/// evaluated only at the batch's targets. The sparse layers run column by column: a weight row is read once per
/// batch and meets every row that has an entry in its column. At the output, w_c gives the predictions
/// w_c·h_r + b_c, then dL/dh_r += d·w_c and dL/dw_c += d·h_r, without ever gathering the rows into a ratings × units
/// matrix; at the input, z_r += x·w_c, and backward dL/dw_c += x·dz_r. Work is split into a fixed number of
/// partitions (ranges of rows, or of columns holding equal shares of the entries) that never write to the same
/// place, and partial sums are added in a fixed order: the same batch gives the same bits whatever the thread timing.
/// </summary>
internal sealed unsafe class SparseForwardBackward
{
    private readonly SparseAutoencoder _model;
    private readonly SparseFill _fill;
    private readonly float[]? _side;
    private readonly int _partitions;
    private readonly int _capacity;
    private readonly ParallelOptions _parallel;
    private readonly int _hidden;
    private readonly FloatBuffer[] _z;
    private readonly FloatBuffer[] _h;
    private readonly FloatBuffer[] _out;
    private readonly FloatBuffer[] _dh;
    private readonly FloatBuffer? _mask;
    private readonly FloatBuffer[] _dhPartial;
    private readonly FloatBuffer[] _zPartial;
    private readonly float[][] _dots;
    private readonly float[][] _steps;
    private readonly FloatBuffer _fillProduct;
    private readonly FloatBuffer[] _fillPartial;
    private readonly FloatBuffer _fillGradient;
    private readonly FloatBuffer?[] _transposed;
    private readonly double[] _loss;
    private readonly double[] _penalty;
    private readonly double[] _clipped;
    private readonly FloatBuffer[] _rowGradient;
    private readonly FloatBuffer? _noise;
    private readonly FloatBuffer? _noiseGradient;
    private int _noiseRows;
    private SparseBatch? _lastTrained;

    /// <summary>
    /// Workspace for batches of up to <paramref name="capacity"/> rows of <paramref name="model"/>; with
    /// <paramref name="gaussianNoise"/>, also for dense noise on the rating inputs (see <see cref="NoiseFor"/>).
    /// </summary>
    public SparseForwardBackward(SparseAutoencoder model, SparseFill fill, float[]? side, int capacity, int partitions, bool gaussianNoise = false)
    {
        _model = model;
        _fill = fill;
        _side = side;
        _partitions = partitions;
        _capacity = capacity;
        _parallel = new ParallelOptions { MaxDegreeOfParallelism = partitions };
        _hidden = model.LayerCount - 1;
        _z = new FloatBuffer[_hidden];
        _h = new FloatBuffer[_hidden];
        _out = new FloatBuffer[_hidden];
        _dh = new FloatBuffer[_hidden];
        for (int l = 0; l < _hidden; l++)
        {
            long size = (long)capacity * model.Width(l);
            _z[l] = new FloatBuffer(size);
            _h[l] = new FloatBuffer(size);
            _dh[l] = new FloatBuffer(size);
            bool dropout = l == model.LatentIndex && model.Dropout > 0;
            _out[l] = dropout ? new FloatBuffer(size) : _h[l];
            if (dropout)
            {
                _mask = new FloatBuffer(size);
            }
        }

        int last = model.Width(_hidden - 1);
        _dhPartial = [.. Enumerable.Range(0, partitions).Select(p => p == 0 ? _dh[_hidden - 1] : new FloatBuffer((long)capacity * last))];
        _zPartial = [.. Enumerable.Range(0, partitions).Select(p => p == 0 ? _z[0] : new FloatBuffer((long)capacity * model.Width(0)))];
        _dots = [.. Enumerable.Range(0, partitions).Select(_ => new float[capacity])];
        _steps = [.. Enumerable.Range(0, partitions).Select(_ => new float[capacity])];
        _fillProduct = new FloatBuffer(model.Width(0));
        _fillPartial = [.. Enumerable.Range(0, partitions).Select(_ => new FloatBuffer(model.Width(0)))];
        _fillGradient = new FloatBuffer(model.Width(0));
        _transposed = [.. Enumerable.Range(0, _hidden).Select(l => l == 0 ? null : new FloatBuffer((long)model.Sizes[l] * model.Width(l)))];
        _loss = new double[partitions];
        _penalty = new double[partitions];
        _clipped = new double[partitions];
        int widest = Math.Max(model.Width(0), model.Width(_hidden - 1));
        _rowGradient = [.. Enumerable.Range(0, partitions).Select(_ => new FloatBuffer(widest))];
        if (gaussianNoise)
        {
            _noise = new FloatBuffer((long)capacity * model.Columns);
            _noiseGradient = new FloatBuffer((long)model.Columns * model.Width(0));
        }
    }

    /// <summary>
    /// The buffer for the Gaussian noise of the next training pass, [rows, rating columns] row-major, already scaled
    /// by σ: the caller fills it, and the pass adds it to every rating input (unknown ones too, as the dense path
    /// does). Its share of the first layer is a dense product, z += E·W, and of the gradient, dW += Eᵀ·dz.
    /// </summary>
    /// <exception cref="InvalidOperationException">The pass was made without noise.</exception>
    public Span<float> NoiseFor(int rows)
    {
        if (_noise is null)
        {
            throw new InvalidOperationException("this pass was made without gaussian noise");
        }

        _noiseRows = rows;
        return _noise.Span[..(rows * _model.Columns)];
    }

    /// <summary>
    /// When set, each training pass also sums its targets' squared errors with the predictions clipped to this scale,
    /// unweighted (<see cref="ClippedSquaredError"/>): the training RMSE as <see cref="Training.HeldOutRmse"/> scores it, from
    /// the predictions the pass makes anyway, where a separate evaluation would be a second forward pass.
    /// </summary>
    public RatingScale? ClipScale { get; set; }

    /// <summary>The last training pass's clipped squared errors (see <see cref="ClipScale"/>; 0 without it).</summary>
    public double ClippedSquaredError { get; private set; }

    /// <summary>
    /// Forward and backward on a training batch; returns the data loss (the L2 penalty is the optimizer's). Dropout
    /// draws come from <paramref name="dropoutKey"/>. Without <paramref name="adam"/>, adds every gradient to the
    /// model's gradient buffers. With it (after its <see cref="FusedAdam.BeginStep"/>), updates each row of the first
    /// and output layers' weights as soon as its gradient is complete, while the row is still in cache, and returns
    /// those rows' new L2 penalty too; the other gradients are left for <see cref="FusedAdam.FinishStep"/>. Exact:
    /// a row's gradient only needs the row's old values, and every use of them comes before its update. With
    /// <paramref name="weightsChanged"/> false, the weights of the last <see cref="TakeWeights"/> (or pass) are used
    /// as they are: full-batch training runs many batches at one point.
    /// </summary>
    public (double Loss, double RowPenalty) Train(SparseBatch batch, ulong dropoutKey, FusedAdam? adam = null, bool weightsChanged = true)
    {
        CheckPartitions(batch);
        if (weightsChanged)
        {
            TakeWeights();
        }

        Forward(batch, training: true, dropoutKey);
        Clear(_dhPartial, batch.Count * _model.Width(_hidden - 1));
        Array.Clear(_penalty);
        Array.Clear(_clipped);
        Run(p => _loss[p] = OutputLayer(batch, p, adam));
        ReducePartials(batch.Count);
        for (int l = _hidden - 1; l >= 0; l--)
        {
            HiddenBackward(batch, l);
            if (l > 0)
            {
                DenseBackward(batch.Count, l);
            }
        }

        FirstLayerBackward(batch, adam);
        _noiseRows = 0;
        _lastTrained = batch;
        double loss = 0;
        double penalty = 0;
        for (int p = 0; p < _partitions; p++)
        {
            loss += _loss[p];
            penalty += _penalty[p];
        }

        ClippedSquaredError = _clipped.Sum();

        return (loss, penalty);
    }

    /// <summary>
    /// Takes the model's current weights for <see cref="Predict"/>: call it whenever they changed (the hidden layers'
    /// transposes are made here, once for all the batches of an evaluation).
    /// </summary>
    public void TakeWeights()
    {
        for (int l = 1; l < _hidden; l++)
        {
            // z = h·Wᵀ as a product with row-major B: Wᵀ [inputs, outputs], its padding columns 0.
            FloatBuffer transposed = _transposed[l]!;
            transposed.Clear();
            Gemm.Transpose(_model.Weights[l].Pointer, _model.Sizes[l + 1], _model.Sizes[l], _model.Width(l - 1), transposed.Pointer, _model.Width(l));
        }
    }

    /// <summary>
    /// Predicts (eval mode: no dropout) every target of <paramref name="batch"/> into its slot of
    /// <paramref name="predictions"/>, with the weights of the last <see cref="TakeWeights"/>.
    /// </summary>
    public void Predict(SparseBatch batch, float[] predictions)
    {
        CheckPartitions(batch);
        Forward(batch, training: false, 0);
        Run(p => PredictColumns(batch, p, predictions));
    }

    /// <summary>
    /// Predicts every target of <paramref name="batch"/> into its slot of <paramref name="predictions"/> from the
    /// activations of the last <see cref="Train"/>, without a forward pass of its own: <paramref name="batch"/> must
    /// hold that batch's rows in the same order, and the pass must have had no dropout or noise (full-batch L-BFGS:
    /// held-out pairs scored at the very point, and with the very activations, the evaluation computed). The
    /// backward pass leaves the last hidden layer's activations as they were.
    /// </summary>
    public void PredictFromLastTraining(SparseBatch batch, float[] predictions)
    {
        CheckPartitions(batch);
        SparseBatch last = _lastTrained ?? throw new InvalidOperationException("no training pass to predict from");
        if (_mask is not null || !batch.Rows.AsSpan(0, batch.Count).SequenceEqual(last.Rows.AsSpan(0, last.Count)))
        {
            throw new InvalidOperationException("predicting from the last training pass needs its rows, in its order, and no dropout");
        }

        Run(p => PredictColumns(batch, p, predictions));
    }

    /// <summary>The dropout multipliers (0 or 1 / (1 − rate)) the last training pass drew, [rows, units]; empty without dropout.</summary>
    internal float[] DropoutMask(int rows)
    {
        if (_mask is null)
        {
            return [];
        }

        int l = _model.LatentIndex;
        int width = _model.Width(l);
        int units = _model.Sizes[l + 1];
        var mask = new float[rows * units];
        for (int i = 0; i < rows; i++)
        {
            _mask.Span.Slice(i * width, units).CopyTo(mask.AsSpan(i * units, units));
        }

        return mask;
    }

    private void Forward(SparseBatch batch, bool training, ulong dropoutKey)
    {
        if (_fill.IsDense)
        {
            FillProduct();
        }

        // Each row's fill and side features, then every input column's weight row added to the rows that have it
        // (partitions by column, into their own buffers), then the partial sums and the activation, by row.
        int width = _model.Width(0);
        Run(p =>
        {
            for (int i = batch.Count * p / _partitions; i < batch.Count * (p + 1) / _partitions; i++)
            {
                FirstLayerBase(batch, i);
            }

            if (p > 0)
            {
                new Span<float>(_zPartial[p].Pointer, batch.Count * width).Clear();
            }
        });

        Run(p => FirstLayerInputs(batch, p));
        if (training && _noiseRows > 0)
        {
            CheckNoise(batch);
            float* noise = _noise!.Pointer;
            float* weights = _model.Weights[0].Pointer;
            float* z = _z[0].Pointer;
            int columns = _model.Columns;
            Run(p => Gemm.Multiply(
                batch.Count * p / _partitions, batch.Count * (p + 1) / _partitions, width, columns, noise, columns, 1, weights, width, z, width, accumulate: true));
        }

        Run(p =>
        {
            for (int i = batch.Count * p / _partitions; i < batch.Count * (p + 1) / _partitions; i++)
            {
                for (int q = 1; q < _partitions; q++)
                {
                    Simd.Add(_zPartial[q].Pointer + ((long)i * width), _z[0].Pointer + ((long)i * width), width);
                }

                Activate(0, i, training, dropoutKey);
            }
        });

        for (int l = 1; l < _hidden; l++)
        {
            DenseForward(batch.Count, l, training, dropoutKey);
        }
    }

    /// <summary>W·u over the rating columns (u = 1 or the column means), for the fill's share of every row's first layer.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void FillProduct()
    {
        int width = _model.Width(0);
        float* weights = _model.Weights[0].Pointer;
        int columns = _model.Columns;
        Run(p =>
        {
            float* partial = _fillPartial[p].Pointer;
            new Span<float>(partial, width).Clear();
            for (int c = columns * p / _partitions; c < columns * (p + 1) / _partitions; c++)
            {
                Simd.Axpy(_fill.U(c), weights + ((long)c * width), partial, width);
            }
        });

        _fillPartial[0].Span.CopyTo(_fillProduct.Span);
        for (int p = 1; p < _partitions; p++)
        {
            Simd.Add(_fillPartial[p].Pointer, _fillProduct.Pointer, width);
        }
    }

    /// <summary>z = b + α·(W·u) + W·side for row i of the first layer: all but the inputs.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void FirstLayerBase(SparseBatch batch, int i)
    {
        int width = _model.Width(0);
        float* z = _z[0].Pointer + ((long)i * width);
        float* weights = _model.Weights[0].Pointer;
        new ReadOnlySpan<float>(_model.Biases[0].Pointer, width).CopyTo(new Span<float>(z, width));
        float alpha = batch.Alpha[i];
        if (alpha != 0)
        {
            Simd.Axpy(alpha, _fillProduct.Pointer, z, width);
        }

        if (_side is not null)
        {
            int features = _model.SideWidth;
            long row = (long)batch.Rows[i] * features;
            for (int f = 0; f < features; f++)
            {
                float value = _side[row + f];
                if (value != 0)
                {
                    Simd.Axpy(value, weights + ((long)(_model.Columns + f) * width), z, width);
                }
            }
        }
    }

    /// <summary>Partition p's input columns: each column's weight row times each input value, added to its row's z.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void FirstLayerInputs(SparseBatch batch, int p)
    {
        int width = _model.Width(0);
        float* weights = _model.Weights[0].Pointer;
        float* z = _zPartial[p].Pointer;
        int[] starts = batch.InputStart;
        fixed (int* rows = batch.InputRow)
        fixed (float* values = batch.InputValue)
        {
            for (int c = batch.InputPartition[p]; c < batch.InputPartition[p + 1]; c++)
            {
                int start = starts[c];
                int count = starts[c + 1] - start;
                if (count > 0)
                {
                    ColumnKernels.Scatter(weights + ((long)c * width), z, width, rows + start, values + start, count);
                }
            }
        }
    }

    /// <summary>h = f(z) for row i of hidden layer l, then dropout when it is the latent layer and training.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Activate(int l, int i, bool training, ulong dropoutKey)
    {
        int width = _model.Width(l);
        long at = (long)i * width;
        int units = _model.Sizes[l + 1];
        ActivationKernels.Forward(_model.Activations[l], _z[l].Pointer + at, _h[l].Pointer + at, units);
        if (_mask is null || l != _model.LatentIndex)
        {
            return;
        }

        float* h = _h[l].Pointer + at;
        float* output = _out[l].Pointer + at;
        float* mask = _mask.Pointer + at;
        if (!training)
        {
            new ReadOnlySpan<float>(h, width).CopyTo(new Span<float>(output, width));
            return;
        }

        // torch.nn.functional.dropout: keep with probability 1 − p, scaled by 1 / (1 − p).
        float rate = _model.Dropout;
        float scale = _model.DropoutScale;
        for (int j = 0; j < units; j++)
        {
            mask[j] = CounterRandom.Uniform(dropoutKey, at + j) >= rate ? scale : 0f;
            output[j] = h[j] * mask[j];
        }
    }

    /// <summary>Layer l (a hidden layer after the first): z = h_(l−1)·Wᵀ + b, then its activation.</summary>
    private void DenseForward(int rows, int l, bool training, ulong dropoutKey)
    {
        int inputs = _model.Sizes[l];
        int outputs = _model.Sizes[l + 1];
        int inWidth = _model.Width(l - 1);
        int width = _model.Width(l);
        float* transposed = _transposed[l]!.Pointer;
        float* input = _out[l - 1].Pointer;
        float* z = _z[l].Pointer;
        float* bias = _model.Biases[l].Pointer;
        Run(p =>
        {
            int start = rows * p / _partitions;
            int end = rows * (p + 1) / _partitions;
            Gemm.Multiply(start, end, width, inputs, input, inWidth, 1, transposed, width, z, width, accumulate: false);
            for (int i = start; i < end; i++)
            {
                Simd.Add(bias, z + ((long)i * width), width);
                Activate(l, i, training, dropoutKey);
            }
        });
    }

    /// <summary>The output layer at partition p's columns: loss, dL/dW and dL/db of those columns, dL/dh into the partition's buffer.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double OutputLayer(SparseBatch batch, int p, FusedAdam? adam)
    {
        int width = _model.Width(_hidden - 1);
        int output = _model.LayerCount - 1;
        Activation activation = _model.Activations[output];
        float* weights = _model.Weights[output].Pointer;
        float* weightGradients = adam is null ? _model.WeightGradient(output).Pointer : null;
        float* bias = _model.Biases[output].Pointer;
        float* biasGradients = _model.BiasGradients[output].Pointer;
        float* hidden = _out[_hidden - 1].Pointer;
        float* dh = _dhPartial[p].Pointer;
        float[] targets = batch.EntryTarget;
        float[] rowScale = batch.RowScale;
        double loss = 0;
        double clipped = 0;
        bool clip = ClipScale.HasValue;
        (float low, float high) = ClipScale is { } range ? (range.Min, range.Max) : (0f, 0f);
        fixed (int* rows = batch.EntryRow)
        fixed (float* dots = Scratch(_dots, p, batch))
        fixed (float* steps = Scratch(_steps, p, batch))
        {
            for (int c = batch.ColumnPartition[p]; c < batch.ColumnPartition[p + 1]; c++)
            {
                int start = batch.ColumnStart[c];
                int count = batch.ColumnStart[c + 1] - start;
                if (count == 0)
                {
                    // No data gradient, but Adam still moves the row (momentum, L2).
                    if (adam is not null)
                    {
                        _penalty[p] += adam.UpdateRow(output, (long)c * width, _rowGradient[p].Pointer, width);
                    }

                    continue;
                }

                float* w = weights + ((long)c * width);
                ColumnKernels.Dots(w, hidden, width, rows + start, count, dots);
                float b = bias[c];
                float db = 0;
                for (int e = 0; e < count; e++)
                {
                    float z = dots[e] + b;
                    float y = ActivationKernels.Forward(activation, z);
                    float error = y - targets[start + e];
                    float scale = rowScale[rows[start + e]];
                    loss += (double)error * error * scale;
                    if (clip)
                    {
                        float clippedError = Math.Clamp(y, low, high) - targets[start + e];
                        clipped += (double)clippedError * clippedError;
                    }

                    float d = 2f * error * scale * ActivationKernels.Derivative(activation, z, y);
                    steps[e] = d;
                    db += d;
                }

                float* dw = adam is null ? weightGradients + ((long)c * width) : _rowGradient[p].Pointer;
                ColumnKernels.Update(w, dw, hidden, dh, width, rows + start, steps, count);
                biasGradients[c] += db;
                if (adam is not null)
                {
                    _penalty[p] += adam.UpdateRow(output, (long)c * width, dw, width);
                }
            }
        }

        _clipped[p] = clipped;
        return loss;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void PredictColumns(SparseBatch batch, int p, float[] predictions)
    {
        int width = _model.Width(_hidden - 1);
        int output = _model.LayerCount - 1;
        Activation activation = _model.Activations[output];
        float* weights = _model.Weights[output].Pointer;
        float* bias = _model.Biases[output].Pointer;
        float* hidden = _out[_hidden - 1].Pointer;
        int[] slots = batch.EntrySlot;
        fixed (int* rows = batch.EntryRow)
        fixed (float* dots = Scratch(_dots, p, batch))
        {
            for (int c = batch.ColumnPartition[p]; c < batch.ColumnPartition[p + 1]; c++)
            {
                int start = batch.ColumnStart[c];
                int count = batch.ColumnStart[c + 1] - start;
                if (count == 0)
                {
                    continue;
                }

                ColumnKernels.Dots(weights + ((long)c * width), hidden, width, rows + start, count, dots);
                for (int e = 0; e < count; e++)
                {
                    predictions[slots[start + e]] = ActivationKernels.Forward(activation, dots[e] + bias[c]);
                }
            }
        }
    }

    /// <summary>Partition p's scratch for one value per entry of a column: as long as the batch's longest column.</summary>
    private static float[] Scratch(float[][] scratch, int p, SparseBatch batch)
    {
        int longest = 0;
        for (int c = batch.ColumnPartition[p]; c < batch.ColumnPartition[p + 1]; c++)
        {
            longest = Math.Max(longest, batch.ColumnStart[c + 1] - batch.ColumnStart[c]);
        }

        if (scratch[p].Length < longest)
        {
            scratch[p] = new float[longest];
        }

        return scratch[p];
    }

    /// <summary>Adds the partitions' dL/dh into the first one's (the last hidden layer's gradient buffer), rows in parallel.</summary>
    private void ReducePartials(int rows)
    {
        if (_partitions == 1)
        {
            return;
        }

        int width = _model.Width(_hidden - 1);
        Run(p =>
        {
            long start = (long)rows * p / _partitions * width;
            long end = (long)rows * (p + 1) / _partitions * width;
            for (int q = 1; q < _partitions; q++)
            {
                Simd.Add(_dhPartial[q].Pointer + start, _dhPartial[0].Pointer + start, (int)(end - start));
            }
        });
    }

    /// <summary>Turns dL/d(output of hidden layer l) into dL/dz of it: through dropout's mask, then the activation's derivative.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void HiddenBackward(SparseBatch batch, int l)
    {
        int width = _model.Width(l);
        int units = _model.Sizes[l + 1];
        Activation activation = _model.Activations[l];
        bool dropout = _mask is not null && l == _model.LatentIndex;
        Run(p =>
        {
            for (int i = batch.Count * p / _partitions; i < batch.Count * (p + 1) / _partitions; i++)
            {
                long at = (long)i * width;
                float* dh = _dh[l].Pointer + at;
                if (dropout)
                {
                    float* mask = _mask!.Pointer + at;
                    for (int j = 0; j < units; j++)
                    {
                        dh[j] *= mask[j];
                    }
                }

                ActivationKernels.Backward(activation, _z[l].Pointer + at, _h[l].Pointer + at, dh, dh, units);
            }
        });
    }

    /// <summary>Layer l ≥ 1 given dL/dz: dW += dzᵀ·input, db += Σ dz, and dL/d(input) into the previous layer's buffer.</summary>
    private void DenseBackward(int rows, int l)
    {
        int inWidth = _model.Width(l - 1);
        int width = _model.Width(l);
        int outputs = _model.Sizes[l + 1];
        float* dz = _dh[l].Pointer;
        float* input = _out[l - 1].Pointer;
        AddRows(dz, rows, width, _model.BiasGradients[l].Pointer);
        float* weightGradients = _model.WeightGradient(l).Pointer;
        float* weights = _model.Weights[l].Pointer;
        float* dInput = _dh[l - 1].Pointer;
        Run(p =>
        {
            Gemm.Multiply(
                outputs * p / _partitions, outputs * (p + 1) / _partitions, inWidth, rows, dz, 1, width, input, inWidth, weightGradients, inWidth, accumulate: true);
            Gemm.Multiply(
                rows * p / _partitions, rows * (p + 1) / _partitions, inWidth, outputs, dz, width, 1, weights, inWidth, dInput, inWidth, accumulate: false);
        });
    }

    /// <summary>The first layer's gradients: its bias, the weight rows of the inputs (by column), the fill's rank-1 term and side features.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void FirstLayerBackward(SparseBatch batch, FusedAdam? adam)
    {
        int width = _model.Width(0);
        float* dz = _dh[0].Pointer;
        AddRows(dz, batch.Count, width, _model.BiasGradients[0].Pointer);
        float* gradients = adam is null ? _model.WeightGradient(0).Pointer : null;
        if (_fill.IsDense)
        {
            // Σ_r α_r dz_r: the fill α_r·u contributes (Σ α dz) u_c to every column's weight row.
            float* g = _fillGradient.Pointer;
            _fillGradient.Clear();
            for (int i = 0; i < batch.Count; i++)
            {
                if (batch.Alpha[i] != 0)
                {
                    Simd.Axpy(batch.Alpha[i], dz + ((long)i * width), g, width);
                }
            }
        }

        float* noiseGradient = null;
        if (_noiseRows > 0)
        {
            // Eᵀ·dz, every column's share of the noise, before any weight row moves.
            CheckNoise(batch);
            float* noise = _noise!.Pointer;
            noiseGradient = _noiseGradient!.Pointer;
            int columns = _model.Columns;
            Run(p => Gemm.Multiply(
                columns * p / _partitions, columns * (p + 1) / _partitions, width, batch.Count, noise, 1, columns, dz, width, noiseGradient, width, accumulate: false));
        }

        Run(p =>
        {
            int[] starts = batch.InputStart;
            fixed (int* rows = batch.InputRow)
            fixed (float* values = batch.InputValue)
            {
                for (int c = batch.InputPartition[p]; c < batch.InputPartition[p + 1]; c++)
                {
                    float* dw = adam is null ? gradients + ((long)c * width) : _rowGradient[p].Pointer;
                    if (noiseGradient is not null)
                    {
                        Simd.Add(noiseGradient + ((long)c * width), dw, width);
                    }

                    int start = starts[c];
                    int count = starts[c + 1] - start;
                    if (count > 0)
                    {
                        ColumnKernels.Gather(dw, dz, width, rows + start, values + start, count);
                    }

                    if (_fill.IsDense)
                    {
                        Simd.Axpy(_fill.U(c), _fillGradient.Pointer, dw, width);
                    }

                    if (adam is not null)
                    {
                        _penalty[p] += adam.UpdateRow(0, (long)c * width, dw, width);
                    }
                }
            }
        });

        if (_side is not null)
        {
            int features = _model.SideWidth;
            int columns = _model.Columns;
            Run(p =>
            {
                for (int f = features * p / _partitions; f < features * (p + 1) / _partitions; f++)
                {
                    float* dw = adam is null ? gradients + ((long)(columns + f) * width) : _rowGradient[p].Pointer;
                    for (int i = 0; i < batch.Count; i++)
                    {
                        float value = _side[((long)batch.Rows[i] * features) + f];
                        if (value != 0)
                        {
                            Simd.Axpy(value, dz + ((long)i * width), dw, width);
                        }
                    }

                    if (adam is not null)
                    {
                        _penalty[p] += adam.UpdateRow(0, (long)(columns + f) * width, dw, width);
                    }
                }
            });
        }
    }

    private void CheckNoise(SparseBatch batch)
    {
        if (_noiseRows != batch.Count)
        {
            throw new InvalidOperationException($"noise for {_noiseRows} rows, a batch of {batch.Count}");
        }
    }

    private void CheckPartitions(SparseBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Partitions != _partitions || batch.Count > _capacity)
        {
            throw new ArgumentException(
                $"a batch of {batch.Count} rows in {batch.Partitions} partitions; this pass takes up to {_capacity} rows in {_partitions}", nameof(batch));
        }
    }

    private static void AddRows(float* rows, int count, int width, float* sum)
    {
        for (int i = 0; i < count; i++)
        {
            Simd.Add(rows + ((long)i * width), sum, width);
        }
    }

    private static void Clear(FloatBuffer[] buffers, long length)
    {
        foreach (FloatBuffer buffer in buffers)
        {
            new Span<float>(buffer.Pointer, (int)length).Clear();
        }
    }

    private void Run(Action<int> body)
    {
        if (_partitions == 1)
        {
            body(0);
        }
        else
        {
            Parallel.For(0, _partitions, _parallel, body);
        }
    }
}
