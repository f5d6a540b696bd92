namespace AutoRec.Training.Optimization;

/// <summary>
/// L-BFGS with a strong-Wolfe line search over a flat float vector: a port of PyTorch's <c>torch.optim.LBFGS</c>
/// with <c>line_search_fn="strong_wolfe"</c> (its two-loop recursion, initial step, curvature test,
/// <c>_strong_wolfe</c> and <c>_cubic_interpolate</c>), which TorchSharp's LBFGS lacks. One <see cref="Iterate"/> is
/// one L-BFGS iteration; the loss and gradient at the accepted point are kept for the next, so an iteration costs
/// its line search's evaluations only. kernelNet trains this way (SciPy's L-BFGS-B there). Vectors are plain arrays
/// (see <see cref="FlatVector"/>: dot products summed in float64), recycled through a pool: a model of six million
/// parameters keeps about two dozen of them.
/// </summary>
internal sealed class Lbfgs
{
    private const double C1 = 1e-4;
    private const double C2 = 0.9;
    private const double ToleranceChange = 1e-9;
    private const int MaxLineSearch = 25;
    private const double ToleranceGradient = 1e-7;

    private readonly Func<float[], float[], double> _evaluate;
    private readonly int _length;
    private readonly int _history;
    private readonly double _learningRate;
    private readonly List<float[]> _directions = [];
    private readonly List<float[]> _steps = [];
    private readonly List<double> _rho = [];
    private readonly Stack<float[]> _free = new();
    private float[]? _gradient;
    private float[]? _lastEvaluated;
    private float[]? _previousGradient;
    private float[]? _direction;
    private double _loss;
    private double _step;
    private double _hessianDiagonal = 1;
    private int _iterations;

    /// <summary>
    /// Minimises the function <paramref name="evaluate"/> computes over points of <paramref name="length"/> floats
    /// (it writes the gradient at its first argument into its second and returns the loss), keeping
    /// <paramref name="history"/> correction pairs, with <paramref name="learningRate"/> as the first trial step of
    /// every iteration after the first (PyTorch's <c>lr</c>, 1 by default).
    /// </summary>
    public Lbfgs(int length, Func<float[], float[], double> evaluate, int history = 10, double learningRate = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentNullException.ThrowIfNull(evaluate);
        _length = length;
        _evaluate = evaluate;
        _history = history;
        _learningRate = learningRate;
    }

    /// <summary>
    /// Writes the checkpoint's optimizer file of a full-batch path: only a note, since the curvature history (hundreds
    /// of megabytes for a large model) is not kept and a resumed run restarts it from the checkpoint's weights.
    /// </summary>
    public static void WriteCheckpointNote(string path) =>
        File.WriteAllText(path, "lbfgs: the curvature history is not kept; a resumed run restarts it from the weights\n");

    /// <summary>Reads what <see cref="WriteCheckpointNote"/> wrote: readable is all a checkpoint needs of it.</summary>
    public static void ReadCheckpointNote(string path) => _ = File.ReadAllText(path);

    /// <summary>Function evaluations so far.</summary>
    public int Evaluations { get; private set; }

    /// <summary>
    /// Whether the point the last <see cref="Iterate"/> accepted is the one the evaluation function last saw, so
    /// that what the function computed on the side there (a training RMSE) belongs to the accepted point. Usually
    /// true: the line search stops at the trial it just evaluated; a zoom that settles on an earlier bracket end is not.
    /// </summary>
    public bool AcceptedLastEvaluation => _gradient is not null && ReferenceEquals(_gradient, _lastEvaluated);

    /// <summary>
    /// One iteration from <paramref name="x"/> (updated in place to the accepted point); returns the loss there.
    /// Returns the current loss unchanged when the direction no longer descends (converged).
    /// </summary>
    public double Iterate(float[] x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Length != _length)
        {
            throw new ArgumentException($"a point of {x.Length} floats for an optimizer of {_length}", nameof(x));
        }

        if (_gradient is null)
        {
            (_loss, _gradient) = Evaluate(x);
        }

        float[] gradient = _gradient;
        if (FlatVector.MaxMagnitude(gradient) <= ToleranceGradient)
        {
            return _loss; // PyTorch's tolerance_grad: at a stationary point
        }

        _iterations++;
        if (_iterations == 1)
        {
            _direction = Rent();
            FlatVector.Scale(_direction, -1, gradient);
            _hessianDiagonal = 1;
        }
        else
        {
            float[] y = Rent();
            float[] s = Rent();
            (double ys, double yy) = FlatVector.CurvaturePair(y, s, gradient, _previousGradient!, _step, _direction!);
            if (ys > 1e-10)
            {
                if (_directions.Count == _history)
                {
                    Return(_directions[0]);
                    Return(_steps[0]);
                    _directions.RemoveAt(0);
                    _steps.RemoveAt(0);
                    _rho.RemoveAt(0);
                }

                _directions.Add(y);
                _steps.Add(s);
                _rho.Add(1 / ys);
                _hessianDiagonal = ys / yy;
            }
            else
            {
                Return(y);
                Return(s);
            }

            // The two-loop recursion: d = -H·g, in place in the old direction's array; each update of q and the
            // dot product the next step needs share one pass over memory (the vectors are far larger than the cache).
            int n = _directions.Count;
            var alpha = new double[n];
            float[] q = _direction!;
            if (n == 0)
            {
                FlatVector.Scale(q, -_hessianDiagonal, gradient);
            }
            else
            {
                double dot = FlatVector.ScaleThenDot(q, -1, gradient, _steps[n - 1]);
                for (int i = n - 1; i >= 0; i--)
                {
                    alpha[i] = dot * _rho[i];
                    dot = i > 0
                        ? FlatVector.AddScaledThenDot(q, -alpha[i], _directions[i], _steps[i - 1])
                        : AddScaledScaleThenDot(q, -alpha[i], _directions[i], _hessianDiagonal, _directions[0]);
                }

                for (int i = 0; i < n; i++)
                {
                    double beta = dot * _rho[i];
                    if (i + 1 < n)
                    {
                        dot = FlatVector.AddScaledThenDot(q, alpha[i] - beta, _steps[i], _directions[i + 1]);
                    }
                    else
                    {
                        FlatVector.AddScaled(q, alpha[i] - beta, _steps[i]);
                    }
                }
            }
        }

        // The gradient at the current point is the next iteration's previous one: kept, not copied.
        if (_previousGradient is not null && !ReferenceEquals(_previousGradient, gradient))
        {
            Return(_previousGradient); // (the same array after an iteration that found no descent direction)
        }

        _previousGradient = gradient;
        _step = _iterations == 1 ? Math.Min(1, 1 / FlatVector.SumOfMagnitudes(gradient)) * _learningRate : _learningRate;

        float[] direction = _direction!;
        double directional = FlatVector.Dot(gradient, direction);
        if (directional > -ToleranceChange)
        {
            return _loss; // not a descent direction any more: converged
        }

        // Trial points go to a scratch array: x stays the start point, and moves once, to the accepted step.
        float[] trial = Rent();
        (double loss, float[] newGradient, double step) = StrongWolfe(trial, x, _step, direction, _loss, gradient, directional);
        Return(trial);
        _step = step;
        FlatVector.Along(x, x, step, direction);
        _loss = loss;
        _gradient = newGradient;
        return _loss;
    }

    /// <summary>q += alpha · y, then q *= h, returning q · z: the end of the first loop and the start of the second.</summary>
    private static double AddScaledScaleThenDot(float[] q, double alpha, float[] y, double h, float[] z)
    {
        FlatVector.AddScaled(q, alpha, y);
        return FlatVector.ScaleThenDot(q, h, q, z);
    }

    private float[] Rent() => _free.Count > 0 ? _free.Pop() : new float[_length];

    private void Return(float[] vector) => _free.Push(vector);

    private float[] CloneOf(float[] vector)
    {
        float[] copy = Rent();
        Array.Copy(vector, copy, _length);
        return copy;
    }

    private (double Loss, float[] Gradient) Evaluate(float[] x)
    {
        Evaluations++;
        float[] gradient = Rent();
        double loss = _evaluate(x, gradient);
        _lastEvaluated = gradient;
        return (loss, gradient);
    }

    /// <summary>The loss and gradient at start + t·d (x is used as the scratch point).</summary>
    private (double Loss, float[] Gradient) At(float[] x, float[] start, double t, float[] d)
    {
        FlatVector.Along(x, start, t, d);
        return Evaluate(x);
    }

    /// <summary>PyTorch's <c>_strong_wolfe</c>: bracketing, then zoom by cubic interpolation.</summary>
    private (double Loss, float[] Gradient, double Step) StrongWolfe(float[] x, float[] start, double t, float[] d, double f, float[] g, double gtd)
    {
        double dNorm = FlatVector.MaxMagnitude(d);
        (double fNew, float[] gNew) = At(x, start, t, d);
        double gtdNew = FlatVector.Dot(gNew, d);
        double tPrev = 0;
        double fPrev = f;
        float[] gPrev = CloneOf(g);
        double gtdPrev = gtd;
        bool done = false;
        int iteration = 0;
        double[] bracket;
        double[] bracketF;
        float[][] bracketG;
        double[] bracketGtd;
        while (true)
        {
            // As PyTorch: after max_ls extrapolations the last point is not tested; the bracket is [0, t].
            if (iteration == MaxLineSearch)
            {
                Return(gPrev);
                (bracket, bracketF, bracketG, bracketGtd) = ([0, t], [f, fNew], [CloneOf(g), gNew], [gtd, gtdNew]);
                break;
            }

            if (fNew > f + (C1 * t * gtd) || (iteration > 1 && fNew >= fPrev))
            {
                (bracket, bracketF, bracketG, bracketGtd) = ([tPrev, t], [fPrev, fNew], [gPrev, gNew], [gtdPrev, gtdNew]);
                break;
            }

            if (Math.Abs(gtdNew) <= -C2 * gtd)
            {
                Return(gPrev);
                (bracket, bracketF, bracketG, bracketGtd) = ([t], [fNew], [gNew], [gtdNew]);
                done = true;
                break;
            }

            if (gtdNew >= 0)
            {
                (bracket, bracketF, bracketG, bracketGtd) = ([tPrev, t], [fPrev, fNew], [gPrev, gNew], [gtdPrev, gtdNew]);
                break;
            }

            // Extrapolate: the cubic's minimum within [t + 0.01 (t - tPrev), 10 t].
            double next = CubicInterpolate(tPrev, fPrev, gtdPrev, t, fNew, gtdNew, t + (0.01 * (t - tPrev)), t * 10);
            (tPrev, fPrev, gtdPrev) = (t, fNew, gtdNew);
            Return(gPrev);
            gPrev = gNew;
            t = next;
            (fNew, gNew) = At(x, start, t, d);
            gtdNew = FlatVector.Dot(gNew, d);
            iteration++;
        }

        // Zoom.
        bool insufficientProgress = false;
        (int low, int high) = bracketF[0] <= bracketF[^1] ? (0, bracket.Length - 1) : (bracket.Length - 1, 0);
        while (!done && iteration < MaxLineSearch && bracket.Length == 2)
        {
            if (Math.Abs(bracket[1] - bracket[0]) * dNorm < ToleranceChange)
            {
                break;
            }

            t = CubicInterpolate(bracket[0], bracketF[0], bracketGtd[0], bracket[1], bracketF[1], bracketGtd[1], null, null);
            double hi = Math.Max(bracket[0], bracket[1]);
            double lo = Math.Min(bracket[0], bracket[1]);
            double eps = 0.1 * (hi - lo);
            if (Math.Min(hi - t, t - lo) < eps)
            {
                if (insufficientProgress || t >= hi || t <= lo)
                {
                    t = Math.Abs(t - hi) < Math.Abs(t - lo) ? hi - eps : lo + eps;
                    insufficientProgress = false;
                }
                else
                {
                    insufficientProgress = true;
                }
            }
            else
            {
                insufficientProgress = false;
            }

            (fNew, gNew) = At(x, start, t, d);
            gtdNew = FlatVector.Dot(gNew, d);
            iteration++;
            if (fNew > f + (C1 * t * gtd) || fNew >= bracketF[low])
            {
                Return(bracketG[high]);
                (bracket[high], bracketF[high], bracketG[high], bracketGtd[high]) = (t, fNew, gNew, gtdNew);
                (low, high) = bracketF[0] <= bracketF[1] ? (0, 1) : (1, 0);
            }
            else
            {
                if (Math.Abs(gtdNew) <= -C2 * gtd)
                {
                    done = true;
                }
                else if (gtdNew * (bracket[high] - bracket[low]) >= 0)
                {
                    Return(bracketG[high]);
                    (bracket[high], bracketF[high], bracketG[high], bracketGtd[high]) = (bracket[low], bracketF[low], CloneOf(bracketG[low]), bracketGtd[low]);
                }

                Return(bracketG[low]);
                (bracket[low], bracketF[low], bracketG[low], bracketGtd[low]) = (t, fNew, gNew, gtdNew);
            }
        }

        for (int i = 0; i < bracketG.Length; i++)
        {
            if (i != low)
            {
                Return(bracketG[i]);
            }
        }

        return (bracketF[low], bracketG[low], bracket[low]);
    }

    /// <summary>The minimiser of the cubic through (x1, f1, g1) and (x2, f2, g2), clamped to the bounds (by default [x1, x2]).</summary>
    internal static double CubicInterpolate(double x1, double f1, double g1, double x2, double f2, double g2, double? min, double? max)
    {
        double lower = min ?? Math.Min(x1, x2);
        double upper = max ?? Math.Max(x1, x2);
        double d1 = g1 + g2 - (3 * (f1 - f2) / (x1 - x2));
        double d2Square = (d1 * d1) - (g1 * g2);
        if (!(d2Square >= 0))
        {
            return (lower + upper) / 2; // also when a trial loss was NaN, as PyTorch's test
        }

        double d2 = Math.Sqrt(d2Square);
        double position = x1 <= x2
            ? x2 - ((x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + (2 * d2))))
            : x1 - ((x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + (2 * d2))));
        return Math.Min(Math.Max(position, lower), upper);
    }
}
