using AutoRec.Contracts;
using AutoRec.Training.Configuration;
using AutoRec.Training.Data;
using AutoRec.Training.Model;
using AutoRec.Training.Optimization;
using AutoRec.Training.Training;
using static TorchSharp.torch;

namespace AutoRec.Training.Sparse;

/// <summary>
/// Full-batch L-BFGS (kernelNet's recipe) on the observed ratings only: every evaluation runs the hand-written
/// passes of <see cref="SparseForwardBackward"/> over one batch of all rows (the first layer from each row's observed
/// ratings, the output only at observed targets), with the effective weights W ⊙ K of kernel layers made by
/// <see cref="KernelLayer"/> and the chain rule taken back to W and the kernel vectors there. The loss is summed in
/// float64; no rows × columns matrix is made. The optimizer works on one flat array that holds every parameter
/// (W, b, then the kernel vectors, layer by layer, in the sparse kernels' padded layout), which
/// <see cref="Parameters"/> exposes as TorchSharp's parameter arrays are ordered. As on the dense full-batch path,
/// the curvature history is not checkpointed: a resumed run restarts it from the checkpoint's weights.
/// </summary>
internal sealed class SparseFullBatchPath : ITrainingPath
{
    // Rows per batch: the rows' activations and gradients (two 2 KB rows each at 500 units) stay in L2 while a
    // weight row meets them; one batch of all rows spills to L3 and took 1.5 times as long on ML-1M.
    internal const int BatchRows = 256;

    private readonly ModelConfig _config;
    private readonly SparseAutoencoder _effective;
    private readonly SparseForwardBackward _pass;
    private readonly List<SparseBatch> _batches = [];
    private readonly SparseEvaluation _evaluation;
    private readonly KernelLayer?[] _kernels;
    private readonly int[] _weightAt;
    private readonly int[] _biasAt;
    private readonly int[] _inputVectorsAt;
    private readonly int[] _outputVectorsAt;
    private readonly float[] _l2;
    private readonly FlatParameters _parameters;
    private readonly float[] _point;
    private readonly HeldOutRating[] _trainRatings;
    private readonly HeldOutRating[] _validation;
    private readonly List<SparseBatch>? _validationBatches;
    private readonly float[] _validationPredictions;
    private readonly RatingScale _scale;
    private Lbfgs _optimizer;
    private bool _effectiveIsCurrent;
    private double _clippedSquaredError;
    private bool _evaluatedAtPoint; // the last evaluation was at _point: its side results are the epoch's scores

    /// <summary>Trains <paramref name="network"/> (its weights are the starting point) on <paramref name="data"/>.</summary>
    public SparseFullBatchPath(ModelConfig config, TrainingData data, AutoencoderNetwork network)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(network);
        _config = config;
        Network = network;
        int threads = config.Threads > 0 ? config.Threads : Environment.ProcessorCount;

        // The passes see a plain network of the same shape whose weights are the effective ones.
        _effective = new SparseAutoencoder(config with { KernelDimensions = 0, KernelL2 = 0 }, data.ColumnCount, data.Side?.Width ?? 0);
        var fill = new SparseFill(config, data);
        int capacity = Math.Max(Math.Min(BatchRows, data.RowCount), 1);
        _pass = new SparseForwardBackward(_effective, fill, data.Side?.Rows, capacity, threads);
        _evaluation = new SparseEvaluation(data, fill, _pass, capacity, threads);

        // Scoring an epoch took half of an iteration's time on ML-1M, and the accepted evaluation had already computed
        // everything it needs: its passes predict every training rating (their clipped errors give the training RMSE;
        // not with duplicate ratings, whose batches hold one entry where the training list holds several), and the
        // validation pairs are read off the same activations, batch by batch (PredictFromLastTraining).
        _trainRatings = data.TrainRatings;
        _validation = data.Validation;
        _scale = data.Scale;
        if (!data.Ratings.HadDuplicates)
        {
            _pass.ClipScale = data.Scale;
        }

        _validationPredictions = new float[data.Validation.Length];
        if (data.Validation.Length > 0)
        {
            _validationBatches = _evaluation.BatchesOf(data.Validation);
        }

        // The batches of every row, loaded once: lbfgs configs have no noise, so they never change (ModelConfig
        // refuses noise and dropout for lbfgs). Their gradients add up to the whole matrix's; the per-row mean loss's
        // row weights, 1 / (batch · count), are rescaled to 1 / (rows · count), the whole matrix's.
        for (int start = 0; start < data.RowCount; start += capacity)
        {
            int count = Math.Min(capacity, data.RowCount - start);
            var batch = new SparseBatch(capacity, data.ColumnCount, threads);
            batch.LoadTraining([.. Enumerable.Range(start, count)], data.Ratings, fill, masking: 0, maskKey: 0, config.Loss);
            if (config.Loss == LossKind.MaskedMse)
            {
                float share = (float)count / data.RowCount;
                for (int i = 0; i < count; i++)
                {
                    batch.RowScale[i] *= share;
                }
            }

            _batches.Add(batch);
        }

        int layers = _effective.LayerCount;
        int d = config.KernelDimensions;
        _kernels = new KernelLayer?[layers];
        _weightAt = new int[layers];
        _biasAt = new int[layers];
        _inputVectorsAt = new int[layers];
        _outputVectorsAt = new int[layers];
        _l2 = [.. Enumerable.Range(0, layers).Select(l => (float)(l <= config.LatentIndex ? config.L2Encoder : config.L2Decoder))];
        var lengths = new List<int>();
        long offset = 0;
        int Place(int length)
        {
            int at = checked((int)offset);
            offset += length;
            lengths.Add(length);
            return at;
        }

        for (int l = 0; l < layers; l++)
        {
            _weightAt[l] = Place(_effective.Weights[l].Length);
        }

        for (int l = 0; l < layers; l++)
        {
            _biasAt[l] = Place(_effective.Biases[l].Length);
        }

        if (d > 0)
        {
            for (int l = 0; l < layers; l++)
            {
                _inputVectorsAt[l] = Place(_effective.Sizes[l] * d);
            }

            for (int l = 0; l < layers; l++)
            {
                _outputVectorsAt[l] = Place(_effective.Sizes[l + 1] * d);
                _kernels[l] = new KernelLayer(_effective.RowsOf(l), l == 0 ? _effective.Sizes[1] : _effective.Sizes[l], _effective.StrideOf(l), d, threads);
            }
        }

        if (offset > Array.MaxLength)
        {
            throw new InvalidOperationException($"{offset} parameters do not fit one array: full-batch training serves at most {Array.MaxLength}");
        }

        _point = new float[offset];
        _parameters = new FlatParameters(this, [.. lengths]);
        TakeNetwork();
        _optimizer = NewOptimizer();
    }

    /// <inheritdoc />
    public TrainingPathKind Kind => TrainingPathKind.SparseFullBatch;

    /// <inheritdoc />
    public IParameterArrays Parameters => _parameters;

    /// <inheritdoc />
    public AutoencoderNetwork Network { get; }

    /// <summary>The point the optimizer moves: every parameter, padding included (tests evaluate at it).</summary>
    internal float[] Point => _point;

    /// <summary>Whether the training RMSE at the current point is known from the evaluation there (tests check it).</summary>
    internal bool KnowsTrainRmse => _evaluatedAtPoint && _pass.ClipScale.HasValue && _trainRatings.Length > 0;

    /// <summary>Whether the validation predictions at the current point are known from the evaluation there (tests check it).</summary>
    internal bool KnowsValidation => _evaluatedAtPoint && _validationBatches is not null;

    /// <summary>Parameter array <paramref name="index"/> of a flat <paramref name="gradient"/> in TorchSharp's layout (tests compare it with autograd's).</summary>
    internal float[] GradientInTorchLayout(float[] gradient, int index, long[] shape)
    {
        var result = new float[shape.Aggregate(1L, (a, b) => a * b)];
        ReadOnlySpan<float> slice = gradient.AsSpan(_parameters.StartOf(index), _parameters.LengthOf(index));
        if (index < 2 * _effective.LayerCount)
        {
            _effective.ConvertToTorch(index, slice, result);
        }
        else
        {
            slice.CopyTo(result);
        }

        return result;
    }

    /// <inheritdoc />
    public double TrainEpoch(int epoch, CancellationToken cancellation)
    {
        cancellation.ThrowIfCancellationRequested();
        double loss = _optimizer.Iterate(_point);
        _effectiveIsCurrent = false;
        _evaluatedAtPoint = _optimizer.AcceptedLastEvaluation;
        if (!double.IsFinite(loss))
        {
            throw new TrainingDivergedException(epoch, $"loss is {loss}");
        }

        return loss;
    }

    /// <inheritdoc />
    public RmseResult[] Score(params HeldOutRating[][] sets)
    {
        TakePoint(_point);
        return _evaluation.Score(sets);
    }

    /// <inheritdoc />
    public (double TrainRmse, RmseResult Validation) ScoreEpoch(HeldOutRating[] train, HeldOutRating[] validation)
    {
        if (ReferenceEquals(train, _trainRatings) && KnowsTrainRmse)
        {
            double trainRmse = Math.Sqrt(_clippedSquaredError / _trainRatings.Length);
            return KnowsValidation && ReferenceEquals(validation, _validation)
                ? (trainRmse, HeldOutRmse.ScoreEach(_validationPredictions, validation, _scale))
                : (trainRmse, Score(validation)[0]);
        }

        RmseResult[] scores = Score(train, validation);
        return (scores[0].Global, scores[1]);
    }

    /// <inheritdoc />
    public float[][] Predict(params HeldOutRating[][] sets)
    {
        TakePoint(_point);
        return _evaluation.Predict(sets);
    }

    /// <inheritdoc />
    public void SetLearningRate(double rate)
    {
        // The line search chooses every step; ModelConfig refuses schedules for lbfgs.
    }

    /// <inheritdoc />
    public AutoencoderNetwork SyncNetwork()
    {
        Tensor[] parameters = CheckedParameters();
        for (int i = 0; i < parameters.Length; i++)
        {
            var torchLayout = new float[parameters[i].numel()];
            int layers = _effective.LayerCount;
            if (i < 2 * layers)
            {
                _effective.ConvertToTorch(i, _parameters.Slice(i), torchLayout);
            }
            else
            {
                _parameters.Slice(i).CopyTo(torchLayout);
            }

            using TorchSharp.Utils.TensorAccessor<float> values = parameters[i].data<float>();
            values.CopyFrom(torchLayout);
        }

        return Network;
    }

    /// <inheritdoc />
    public void NetworkLoaded()
    {
        // Weights from a checkpoint (or the best epoch's): start the search again from them.
        TakeNetwork();
        _evaluatedAtPoint = false;
        _optimizer = NewOptimizer();
    }

    /// <inheritdoc />
    public void SaveOptimizer(string path) => Lbfgs.WriteCheckpointNote(path);

    /// <inheritdoc />
    public void LoadOptimizer(string path, bool apply)
    {
        Lbfgs.ReadCheckpointNote(path);
        if (apply)
        {
            _optimizer = NewOptimizer();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        // Managed buffers only.
    }

    /// <summary>The loss at <paramref name="point"/> (data term summed in float64, plus the penalties), its gradient written into <paramref name="gradient"/>.</summary>
    internal double Evaluate(float[] point, float[] gradient)
    {
        double penalty = TakePoint(point, force: true);
        _effectiveIsCurrent = false; // the point is the optimizer's trial, not necessarily _point
        _evaluatedAtPoint = false; // until TrainEpoch knows this was the accepted point
        for (int l = 0; l < _effective.LayerCount; l++)
        {
            _effective.WeightGradient(l).Clear();
            _effective.BiasGradients[l].Clear();
        }

        double data = 0;
        double clipped = 0;
        _pass.TakeWeights();
        for (int b = 0; b < _batches.Count; b++)
        {
            data += _pass.Train(_batches[b], dropoutKey: 0, weightsChanged: false).Loss;
            clipped += _pass.ClippedSquaredError;
            if (_validationBatches is not null)
            {
                _pass.PredictFromLastTraining(_validationBatches[b], _validationPredictions);
            }
        }

        _clippedSquaredError = clipped;

        Array.Clear(gradient);
        for (int l = 0; l < _effective.LayerCount; l++)
        {
            FloatBuffer effectiveGradient = _effective.WeightGradient(l);
            KernelLayer? kernel = _kernels[l];
            if (kernel is null)
            {
                // dW = dL/dW + 2 λ W (the padding's gradient and weight are both 0).
                Span<float> target = gradient.AsSpan(_weightAt[l], effectiveGradient.Length);
                effectiveGradient.Span.CopyTo(target);
                if (_l2[l] > 0)
                {
                    System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(point.AsSpan(_weightAt[l], target.Length), 2 * _l2[l], target, target);
                }
            }
            else
            {
                (int rowAt, int columnAt) = VectorsOf(l);
                (int rowLength, int columnLength) = (kernel.RowVectorLength, kernel.ColumnVectorLength);
                kernel.Backward(
                    effectiveGradient.Memory, point.AsMemory(_weightAt[l], effectiveGradient.Length), _l2[l], (float)_config.KernelL2,
                    point.AsMemory(rowAt, rowLength), gradient.AsMemory(_weightAt[l], effectiveGradient.Length),
                    gradient.AsMemory(rowAt, rowLength), gradient.AsSpan(columnAt, columnLength));
            }

            _effective.BiasGradients[l].Span.CopyTo(gradient.AsSpan(_biasAt[l], _effective.BiasGradients[l].Length));
        }

        return data + penalty;
    }

    /// <summary>The row and column kernel vectors' offsets of layer <paramref name="l"/>: layer 0 is stored [inputs, units], the others [outputs, inputs].</summary>
    private (int RowAt, int ColumnAt) VectorsOf(int l) =>
        l == 0 ? (_inputVectorsAt[l], _outputVectorsAt[l]) : (_outputVectorsAt[l], _inputVectorsAt[l]);

    /// <summary>
    /// Makes the passes' effective weights those of <paramref name="point"/>; returns the penalty there:
    /// Σ λ ΣW² on the raw weights plus kernel_l2 · ΣK² (as <see cref="AutoencoderNetwork.L2Penalty"/>).
    /// </summary>
    private double TakePoint(float[] point, bool force = false)
    {
        if (_effectiveIsCurrent && !force)
        {
            return double.NaN;
        }

        double penalty = 0;
        for (int l = 0; l < _effective.LayerCount; l++)
        {
            FloatBuffer effective = _effective.Weights[l];
            ReadOnlySpan<float> raw = point.AsSpan(_weightAt[l], effective.Length);
            if (_l2[l] > 0)
            {
                penalty += _l2[l] * SumOfSquares(raw);
            }

            KernelLayer? kernel = _kernels[l];
            if (kernel is null)
            {
                raw.CopyTo(effective.Span);
            }
            else
            {
                (int rowAt, int columnAt) = VectorsOf(l);
                penalty += _config.KernelL2 * kernel.Apply(
                    point.AsMemory(_weightAt[l], effective.Length), point.AsMemory(rowAt, kernel.RowVectorLength),
                    point.AsSpan(columnAt, kernel.ColumnVectorLength), effective.Memory);
            }

            point.AsSpan(_biasAt[l], _effective.Biases[l].Length).CopyTo(_effective.Biases[l].Span);
        }

        _effectiveIsCurrent = ReferenceEquals(point, _point);
        return penalty;
    }

    private static double SumOfSquares(ReadOnlySpan<float> values)
    {
        double total = 0;
        const int Chunk = 1 << 14;
        for (int start = 0; start < values.Length; start += Chunk)
        {
            ReadOnlySpan<float> chunk = values.Slice(start, Math.Min(Chunk, values.Length - start));
            total += System.Numerics.Tensors.TensorPrimitives.SumOfSquares(chunk);
        }

        return total;
    }

    private Lbfgs NewOptimizer() => new(_point.Length, Evaluate, history: 10, learningRate: _config.LearningRate);

    /// <summary>Takes the TorchSharp network's parameters into the point.</summary>
    private void TakeNetwork()
    {
        Tensor[] parameters = CheckedParameters();
        for (int i = 0; i < parameters.Length; i++)
        {
            using Tensor contiguous = parameters[i].detach().contiguous();
            using TorchSharp.Utils.TensorAccessor<float> values = contiguous.data<float>();
            float[] torchLayout = values.ToArray();
            if (i < 2 * _effective.LayerCount)
            {
                _effective.ConvertFromTorch(i, torchLayout, _parameters.Slice(i));
            }
            else
            {
                torchLayout.CopyTo(_parameters.Slice(i));
            }
        }

        _effectiveIsCurrent = false;
    }

    private Tensor[] CheckedParameters()
    {
        Tensor[] parameters = [.. Network.parameters()];
        if (parameters.Length != _parameters.Count)
        {
            throw new InvalidOperationException($"the network has {parameters.Length} parameter arrays, the full-batch path {_parameters.Count}");
        }

        return parameters;
    }

    /// <summary>The point's slices as parameter arrays, TorchSharp's order: weights, biases, input then output kernel vectors.</summary>
    private sealed class FlatParameters(SparseFullBatchPath path, int[] lengths) : IParameterArrays
    {
        private readonly int[] _starts = [.. lengths.Select((_, i) => lengths.Take(i).Sum())];

        public int Count => lengths.Length;

        public Span<float> Slice(int index) => path._point.AsSpan(_starts[index], lengths[index]);

        public int StartOf(int index) => _starts[index];

        public int LengthOf(int index) => lengths[index];

        public void CopyOut(int index, Span<float> destination) => Slice(index).CopyTo(destination);

        public void CopyIn(int index, ReadOnlySpan<float> source)
        {
            source.CopyTo(Slice(index));
            path._effectiveIsCurrent = false;
            path._evaluatedAtPoint = false;
        }
    }
}
