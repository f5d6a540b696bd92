using static TorchSharp.torch;

namespace AutoRec.Training.Training;

/// <summary>
/// L-BFGS with a strong-Wolfe line search over a flat parameter vector: a port of PyTorch's
/// <c>torch.optim.LBFGS</c> with <c>line_search_fn="strong_wolfe"</c> (its two-loop recursion, initial step,
/// curvature test, <c>_strong_wolfe</c> and <c>_cubic_interpolate</c>), which TorchSharp's LBFGS lacks. One
/// <see cref="Iterate"/> is one L-BFGS iteration; the loss and gradient at the accepted point are kept for the next,
/// so an iteration costs its line search's evaluations only. kernelNet trains this way (SciPy's L-BFGS-B there).
/// </summary>
internal sealed class Lbfgs : IDisposable
{
    private const double C1 = 1e-4;
    private const double C2 = 0.9;
    private const double ToleranceChange = 1e-9;
    private const int MaxLineSearch = 25;
    private const double ToleranceGradient = 1e-7;

    private readonly Func<Tensor, (double Loss, Tensor Gradient)> _evaluate;
    private readonly int _history;
    private readonly double _learningRate;
    private readonly List<Tensor> _directions = [];
    private readonly List<Tensor> _steps = [];
    private readonly List<double> _rho = [];
    private Tensor? _gradient;
    private Tensor? _previousGradient;
    private Tensor? _direction;
    private double _loss;
    private double _step;
    private double _hessianDiagonal = 1;
    private int _iterations;

    /// <summary>
    /// Minimises the function <paramref name="evaluate"/> gives (loss and flat gradient at a flat point; float32 or
    /// float64 vectors), keeping <paramref name="history"/> correction pairs, with <paramref name="learningRate"/>
    /// as the first trial step of every iteration after the first (PyTorch's <c>lr</c>, 1 by default).
    /// </summary>
    public Lbfgs(Func<Tensor, (double Loss, Tensor Gradient)> evaluate, int history = 10, double learningRate = 1)
    {
        _evaluate = evaluate;
        _history = history;
        _learningRate = learningRate;
    }

    /// <summary>Function evaluations so far.</summary>
    public int Evaluations { get; private set; }

    /// <summary>
    /// One iteration from <paramref name="x"/> (updated in place to the accepted point); returns the loss there.
    /// Returns the current loss unchanged when the direction no longer descends (converged).
    /// </summary>
    public double Iterate(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (_gradient is null)
        {
            (_loss, _gradient) = Evaluate(x);
        }

        Tensor gradient = _gradient;
        using (Tensor magnitude = gradient.abs())
        {
            if (magnitude.max().Scalar() <= ToleranceGradient)
            {
                return _loss; // PyTorch's tolerance_grad: at a stationary point
            }
        }

        _iterations++;
        if (_iterations == 1)
        {
            _direction = gradient.neg();
            _hessianDiagonal = 1;
        }
        else
        {
            Tensor y = gradient - _previousGradient!;
            Tensor s = _direction! * _step;

            double ys = y.dot(s).Scalar();
            if (ys > 1e-10)
            {
                if (_directions.Count == _history)
                {
                    _directions[0].Dispose();
                    _steps[0].Dispose();
                    _directions.RemoveAt(0);
                    _steps.RemoveAt(0);
                    _rho.RemoveAt(0);
                }

                _directions.Add(y);
                _steps.Add(s);
                _rho.Add(1 / ys);
                _hessianDiagonal = ys / y.dot(y).Scalar();
            }
            else
            {
                y.Dispose();
                s.Dispose();
            }

            // The two-loop recursion: d = -H·g.
            var alpha = new double[_directions.Count];
            Tensor q = gradient.neg();
            for (int i = _directions.Count - 1; i >= 0; i--)
            {
                alpha[i] = _steps[i].dot(q).Scalar() * _rho[i];
                q.add_(_directions[i], alpha: -alpha[i]);
            }

            Tensor r = q.mul_(_hessianDiagonal);
            for (int i = 0; i < _directions.Count; i++)
            {
                double beta = _directions[i].dot(r).Scalar() * _rho[i];
                r.add_(_steps[i], alpha: alpha[i] - beta);
            }

            _direction!.Dispose();
            _direction = r;
        }

        _previousGradient?.Dispose();
        _previousGradient = gradient.clone();
        using (Tensor magnitude = gradient.abs())
        {
            _step = _iterations == 1 ? Math.Min(1, 1 / magnitude.sum().Scalar()) * _learningRate : _learningRate;
        }

        double directional = gradient.dot(_direction).Scalar();
        if (directional > -ToleranceChange)
        {
            return _loss; // not a descent direction any more: converged
        }

        using Tensor start = x.clone();
        (double loss, Tensor newGradient, double step) = StrongWolfe(x, start, _step, _direction, _loss, gradient, directional);
        _step = step;
        x.copy_(start).add_(_direction, alpha: step);
        _loss = loss;
        _gradient.Dispose();
        _gradient = newGradient;
        return _loss;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (Tensor t in _directions.Concat(_steps))
        {
            t.Dispose();
        }

        _gradient?.Dispose();
        _previousGradient?.Dispose();
        _direction?.Dispose();
    }

    private (double Loss, Tensor Gradient) Evaluate(Tensor x)
    {
        Evaluations++;
        return _evaluate(x);
    }

    /// <summary>The loss and gradient at start + t·d (x is used as the scratch point).</summary>
    private (double Loss, Tensor Gradient) At(Tensor x, Tensor start, double t, Tensor d)
    {
        x.copy_(start).add_(d, alpha: t);
        return Evaluate(x);
    }

    /// <summary>PyTorch's <c>_strong_wolfe</c>: bracketing, then zoom by cubic interpolation.</summary>
    private (double Loss, Tensor Gradient, double Step) StrongWolfe(Tensor x, Tensor start, double t, Tensor d, double f, Tensor g, double gtd)
    {
        double dNorm;
        using (Tensor magnitude = d.abs())
        {
            dNorm = magnitude.max().Scalar();
        }

        (double fNew, Tensor gNew) = At(x, start, t, d);
        double gtdNew = gNew.dot(d).Scalar();
        double tPrev = 0;
        double fPrev = f;
        Tensor gPrev = g.clone();
        double gtdPrev = gtd;
        bool done = false;
        int iteration = 0;
        double[] bracket;
        double[] bracketF;
        Tensor[] bracketG;
        double[] bracketGtd;
        while (true)
        {
            // As PyTorch: after max_ls extrapolations the last point is not tested; the bracket is [0, t].
            if (iteration == MaxLineSearch)
            {
                gPrev.Dispose();
                (bracket, bracketF, bracketG, bracketGtd) = ([0, t], [f, fNew], [g.clone(), gNew], [gtd, gtdNew]);
                break;
            }

            if (fNew > f + (C1 * t * gtd) || (iteration > 1 && fNew >= fPrev))
            {
                (bracket, bracketF, bracketG, bracketGtd) = ([tPrev, t], [fPrev, fNew], [gPrev, gNew], [gtdPrev, gtdNew]);
                break;
            }

            if (Math.Abs(gtdNew) <= -C2 * gtd)
            {
                gPrev.Dispose();
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
            gPrev.Dispose();
            gPrev = gNew;
            t = next;
            (fNew, gNew) = At(x, start, t, d);
            gtdNew = gNew.dot(d).Scalar();
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
            gtdNew = gNew.dot(d).Scalar();
            iteration++;
            if (fNew > f + (C1 * t * gtd) || fNew >= bracketF[low])
            {
                bracketG[high].Dispose();
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
                    bracketG[high].Dispose();
                    (bracket[high], bracketF[high], bracketG[high], bracketGtd[high]) = (bracket[low], bracketF[low], bracketG[low].clone(), bracketGtd[low]);
                }

                bracketG[low].Dispose();
                (bracket[low], bracketF[low], bracketG[low], bracketGtd[low]) = (t, fNew, gNew, gtdNew);
            }
        }

        for (int i = 0; i < bracketG.Length; i++)
        {
            if (i != low)
            {
                bracketG[i].Dispose();
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

/// <summary>Reads a one-element tensor of any floating type as a double.</summary>
internal static class TensorScalars
{
    /// <summary>The tensor's single value, as a double (disposing the temporary).</summary>
    public static double Scalar(this Tensor value)
    {
        using Tensor wide = value.to_type(TorchSharp.torch.ScalarType.Float64);
        double result = wide.item<double>();
        value.Dispose();
        return result;
    }
}
