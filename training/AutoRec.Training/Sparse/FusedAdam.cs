using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Text;

namespace AutoRec.Training.Sparse;

/// <summary>
/// torch.optim.Adam (betas 0.9 and 0.999, eps 1e-8, bias correction, no weight decay) over the sparse model's
/// parameters in one pass per element: it adds the L2 term's gradient (2·l2·w, the loss's l2·Σw²), updates both
/// moments and the weight, clears the gradient for the next batch and sums the new weights' squares (the next
/// batch's L2 penalty), reading and writing each array once. The first and output layers (nearly all the
/// parameters) are better still updated row by row by the backward pass, the moment a row's gradient is complete
/// and while the row is in cache (<see cref="UpdateRow"/>): their gradients then never go to memory. The steps
/// match TorchSharp's Adam: m = β1·m + (1−β1)·g; v = β2·v + (1−β2)·g²;
/// w −= (lr / (1 − β1^t)) · m / (√v / √(1 − β2^t) + eps).
/// </summary>
internal sealed unsafe class FusedAdam
{
    /// <summary>The first moment's decay.</summary>
    public const float Beta1 = 0.9f;

    /// <summary>The second moment's decay.</summary>
    public const float Beta2 = 0.999f;

    /// <summary>Added to the denominator.</summary>
    public const float Epsilon = 1e-8f;

    // Elements per unit of parallel work (and per partial sum of squares, whose fixed order keeps results deterministic).
    private const int Chunk = 1 << 15;

    private const string Magic = "autorec-sparse-adam-1";

    // As TorchSharp passes them: 1 − β in double, then one rounding to float.
    private const float Beta1Complement = (float)(1 - 0.9);
    private const float Beta2Complement = (float)(1 - 0.999);

    private readonly SparseAutoencoder _model;
    private readonly FloatBuffer[] _first;
    private readonly FloatBuffer[] _second;
    private readonly (int Tensor, int Start, int Length)[] _chunks;
    private readonly double[] _squares;
    private readonly ParallelOptions _parallel;
    private float _stepSize;
    private float _correction2;

    /// <summary>An optimizer of <paramref name="model"/>'s parameters, with zero moments.</summary>
    public FusedAdam(SparseAutoencoder model, double learningRate, int threads)
    {
        _model = model;
        LearningRate = learningRate;
        _first = new FloatBuffer[model.Count];
        _second = new FloatBuffer[model.Count];
        var chunks = new List<(int, int, int)>();
        for (int i = 0; i < model.Count; i++)
        {
            int length = model.Parameter(i).Length;
            _first[i] = new FloatBuffer(length);
            _second[i] = new FloatBuffer(length);
            for (int start = 0; start < length; start += Chunk)
            {
                chunks.Add((i, start, Math.Min(Chunk, length - start)));
            }
        }

        _chunks = [.. chunks];
        _squares = new double[_chunks.Length];
        _parallel = new ParallelOptions { MaxDegreeOfParallelism = threads };
    }

    /// <summary>The learning rate of the next step.</summary>
    public double LearningRate { get; set; }

    /// <summary>Steps taken.</summary>
    public long Steps { get; private set; }

    /// <summary>Σ x² over <paramref name="buffer"/>, summed by chunks in a fixed order (as <see cref="Step"/> sums the penalty).</summary>
    public static double SumOfSquares(FloatBuffer buffer)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        double total = 0;
        for (int start = 0; start < buffer.Length; start += Chunk)
        {
            total += SumOfSquares(buffer.Pointer + start, Math.Min(Chunk, buffer.Length - start));
        }

        return total;
    }

    /// <summary>The L2 penalty of the current weights, summed exactly as <see cref="Step"/> sums it.</summary>
    public double Penalty()
    {
        double penalty = 0;
        foreach ((int tensor, int start, int length) in _chunks)
        {
            float l2 = _model.L2Of(tensor);
            penalty += l2 > 0 ? l2 * SumOfSquares(_model.Parameter(tensor).Pointer + start, length) : 0;
        }

        return penalty;
    }

    /// <summary>One step on the gradients the model holds (which it then clears); returns the new weights' L2 penalty.</summary>
    public double Step()
    {
        BeginStep();
        return FinishStep(rowsUpdated: false);
    }

    /// <summary>
    /// Starts a step whose rows of some tensors are updated as their gradients are completed (<see cref="UpdateRow"/>,
    /// from the backward pass), the rest by <see cref="FinishStep"/>.
    /// </summary>
    public void BeginStep()
    {
        Steps++;
        _stepSize = (float)(LearningRate / (1 - Math.Pow(0.9, Steps)));
        _correction2 = (float)Math.Sqrt(1 - Math.Pow(0.999, Steps));
    }

    /// <summary>
    /// Updates <paramref name="length"/> weights of tensor <paramref name="tensor"/> from <paramref name="offset"/>
    /// with their complete gradient <paramref name="gradient"/> (then set to 0); returns their share of the L2 penalty.
    /// The same arithmetic as <see cref="Step"/>, so fused and separate steps give the same weights.
    /// </summary>
    public double UpdateRow(int tensor, long offset, float* gradient, int length)
    {
        float l2 = _model.L2Of(tensor);
        float* w = _model.Parameter(tensor).Pointer + offset;
        Update(w, gradient, _first[tensor].Pointer + offset, _second[tensor].Pointer + offset, length, 2 * l2, Beta1Complement, Beta2Complement, _stepSize, _correction2);
        return l2 > 0 ? l2 * SumOfSquares(w, length) : 0;
    }

    /// <summary>
    /// Updates, from the gradients the model holds, every tensor but (when <paramref name="rowsUpdated"/>) the first
    /// and output layers' weights, whose rows the backward pass updated; returns their L2 penalty.
    /// </summary>
    public double FinishStep(bool rowsUpdated)
    {
        Parallel.For(0, _chunks.Length, _parallel, c =>
        {
            (int tensor, int start, int length) = _chunks[c];
            if (rowsUpdated && (tensor == 0 || tensor == _model.LayerCount - 1))
            {
                _squares[c] = 0;
                return;
            }

            float l2 = _model.L2Of(tensor);
            float* w = _model.Parameter(tensor).Pointer + start;
            float* g = _model.Gradient(tensor).Pointer + start;
            Update(w, g, _first[tensor].Pointer + start, _second[tensor].Pointer + start, length, 2 * l2, Beta1Complement, Beta2Complement, _stepSize, _correction2);
            _squares[c] = l2 > 0 ? l2 * SumOfSquares(w, length) : 0;
        });

        double penalty = 0;
        foreach (double s in _squares)
        {
            penalty += s;
        }

        return penalty;
    }

    /// <summary>Writes the moments and the step count (the weights live in the network's own file).</summary>
    public void Save(string path)
    {
        using var writer = new BinaryWriter(File.Create(path), Encoding.UTF8);
        writer.Write(Magic);
        writer.Write(Steps);
        writer.Write(LearningRate);
        writer.Write(_first.Length);
        for (int i = 0; i < _first.Length; i++)
        {
            writer.Write(_first[i].Length);
            writer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(_first[i].Span));
            writer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(_second[i].Span));
        }
    }

    /// <summary>Reads a state <see cref="Save"/> wrote; with <paramref name="apply"/> false only checks that it is whole and fits.</summary>
    /// <exception cref="InvalidDataException">The file is not such a state, or not for this model.</exception>
    /// <exception cref="EndOfStreamException">The file is truncated.</exception>
    public void Load(string path, bool apply)
    {
        using var reader = new BinaryReader(File.OpenRead(path), Encoding.UTF8);
        if (reader.ReadString() != Magic)
        {
            throw new InvalidDataException("not a sparse Adam state");
        }

        long steps = reader.ReadInt64();
        double learningRate = reader.ReadDouble();
        if (reader.ReadInt32() != _first.Length || steps < 0)
        {
            throw new InvalidDataException("the sparse Adam state belongs to another model");
        }

        var scratch = apply ? null : new float[_first.Max(b => b.Length)];
        for (int i = 0; i < _first.Length; i++)
        {
            if (reader.ReadInt32() != _first[i].Length)
            {
                throw new InvalidDataException($"the sparse Adam state's tensor {i} has another size");
            }

            reader.BaseStream.ReadExactly(System.Runtime.InteropServices.MemoryMarshal.AsBytes(apply ? _first[i].Span : scratch.AsSpan(0, _first[i].Length)));
            reader.BaseStream.ReadExactly(System.Runtime.InteropServices.MemoryMarshal.AsBytes(apply ? _second[i].Span : scratch.AsSpan(0, _first[i].Length)));
        }

        if (reader.BaseStream.Position != reader.BaseStream.Length)
        {
            throw new InvalidDataException("the sparse Adam state has trailing bytes");
        }

        if (apply)
        {
            Steps = steps;
            LearningRate = learningRate;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Update(
        float* w, float* g, float* m, float* v, int length, float l2Twice, float beta1Complement, float beta2Complement, float stepSize, float correction2)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var b1 = Vector512.Create(Beta1);
            var b2 = Vector512.Create(Beta2);
            var c1 = Vector512.Create(beta1Complement);
            var c2 = Vector512.Create(beta2Complement);
            var l2 = Vector512.Create(l2Twice);
            var size = Vector512.Create(stepSize);
            var root = Vector512.Create(correction2);
            var eps = Vector512.Create(Epsilon);
            for (; i + 16 <= length; i += 16)
            {
                Vector512<float> weight = Vector512.Load(w + i);
                Vector512<float> grad = Vector512.Load(g + i) + (l2 * weight);
                Vector512<float> first = (Vector512.Load(m + i) * b1) + (c1 * grad);
                Vector512<float> second = (Vector512.Load(v + i) * b2) + (c2 * grad * grad);
                Vector512<float> denominator = (Vector512.Sqrt(second) / root) + eps;
                (weight - (size * (first / denominator))).Store(w + i);
                first.Store(m + i);
                second.Store(v + i);
                Vector512<float>.Zero.Store(g + i);
            }
        }

        for (; i < length; i++)
        {
            float grad = g[i] + (l2Twice * w[i]);
            m[i] = (m[i] * Beta1) + (beta1Complement * grad);
            v[i] = (v[i] * Beta2) + (beta2Complement * grad * grad);
            w[i] -= stepSize * (m[i] / ((MathF.Sqrt(v[i]) / correction2) + Epsilon));
            g[i] = 0;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double SumOfSquares(float* x, int length)
    {
        double total = 0;
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            // Float partial sums over 256 values at a time, then double: exact enough, and the order is fixed.
            for (; i + 256 <= length; i += 256)
            {
                Vector512<float> s = Vector512<float>.Zero;
                for (int k = 0; k < 256; k += 16)
                {
                    Vector512<float> value = Vector512.Load(x + i + k);
                    s = Vector512.FusedMultiplyAdd(value, value, s);
                }

                total += Vector512.Sum(s);
            }
        }

        for (; i < length; i++)
        {
            total += (double)x[i] * x[i];
        }

        return total;
    }
}
