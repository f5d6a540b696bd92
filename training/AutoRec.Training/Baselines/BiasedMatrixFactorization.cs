using System.Text.Json.Serialization;
using AutoRec.Contracts;
using AutoRec.Training.Data;
using AutoRec.Training.Reporting;
using AutoRec.Training.Training;

namespace AutoRec.Training.Baselines;

/// <summary>How <see cref="BiasedMatrixFactorization"/> trains.</summary>
/// <param name="Factors">Latent factors per user and movie.</param>
/// <param name="L2">λ of the weighted-λ ridge: each user's (movie's) factors and bias pay λ · its rating count · their squared norm.</param>
/// <param name="Sweeps">The most alternating sweeps (users, then movies); the sweep with the best validation RMSE is kept.</param>
/// <param name="Seed">Seeds the movie factors' initial values.</param>
public sealed record MatrixFactorizationConfig(
    [property: JsonPropertyName("factors")] int Factors = 64,
    [property: JsonPropertyName("l2")] double L2 = 0.05,
    [property: JsonPropertyName("sweeps")] int Sweeps = 20,
    [property: JsonPropertyName("seed")] long Seed = 42);

/// <summary>
/// Biased matrix factorisation, r̂ = μ + b_u + b_i + p_u·q_i, fit by alternating least squares with weighted-λ
/// regularisation (Zhou et al. 2008): with the movies fixed, each user's [p_u, b_u] is one small ridge regression,
/// and the other way round. Deterministic for a seed; users (movies) are solved in parallel. The baseline the
/// literature compares AutoRec with, and a member that blends well with it.
/// </summary>
public sealed class BiasedMatrixFactorization
{
    private readonly MatrixFactorizationConfig _config;
    private readonly TrainingData _data;
    private readonly RatingRows _byUser;
    private readonly RatingRows _byMovie;
    private readonly float _mean;
    private readonly double[] _userFactors;
    private readonly double[] _movieFactors;

    /// <summary>A model of <paramref name="data"/> (a user-based layout: rows are users, columns movies).</summary>
    public BiasedMatrixFactorization(MatrixFactorizationConfig config, TrainingData data)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(data);
        if (data.Kind != ModelKind.UserBased)
        {
            throw new ArgumentException("matrix factorisation takes the user-based layout", nameof(data));
        }

        _config = config;
        _data = data;
        _byUser = data.Ratings;
        _byMovie = RatingRows.From([.. data.TrainRatings.Select(r => r with { Row = r.Column, Column = r.Row })], data.ColumnCount, data.RowCount, deduplicate: true);
        _mean = data.GlobalMean;
        int width = config.Factors + 1; // the factors, then the bias
        _userFactors = new double[data.RowCount * width];
        _movieFactors = new double[data.ColumnCount * width];
        var random = new Random(unchecked((int)config.Seed));
        for (int j = 0; j < data.ColumnCount; j++)
        {
            for (int f = 0; f < config.Factors; f++)
            {
                _movieFactors[(j * width) + f] = 0.1 * ((random.NextDouble() * 2) - 1);
            }
        }
    }

    /// <summary>
    /// Runs the sweeps, scoring validation after each, and returns the best sweep's scores and predictions (not
    /// clipped) at the validation and test ratings.
    /// </summary>
    public TrainingOutcomeOfBaseline Train(IProgressSink progress, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(progress);
        var history = new List<EpochResult>();
        float[] bestValidation = [];
        float[] bestTest = [];
        int bestSweep = 0;
        double best = double.PositiveInfinity;
        double seconds = 0;
        progress.Start(_config.Sweeps, 0);
        for (int sweep = 1; sweep <= _config.Sweeps; sweep++)
        {
            cancellation.ThrowIfCancellationRequested();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            Solve(_byUser, _movieFactors, _userFactors);
            Solve(_byMovie, _userFactors, _movieFactors);
            float[] validation = Predict(_data.Validation);
            RmseResult validationRmse = HeldOutRmse.ScoreEach(validation, _data.Validation, _data.Scale);
            RmseResult train = HeldOutRmse.ScoreEach(Predict(_data.TrainRatings), _data.TrainRatings, _data.Scale);
            seconds += clock.Elapsed.TotalSeconds;
            var result = new EpochResult(sweep, train.Global * train.Global, train.Global, validationRmse.Global, validationRmse.UserMean, clock.Elapsed.TotalSeconds);
            history.Add(result);
            if (validationRmse.Count == 0 || validationRmse.Global < best)
            {
                best = validationRmse.Count == 0 ? double.NaN : validationRmse.Global;
                bestSweep = sweep;
                bestValidation = validation;
                bestTest = Predict(_data.Test);
            }

            progress.Epoch(result, bestSweep);
        }

        progress.Finish();
        return new TrainingOutcomeOfBaseline(
            history, bestSweep, HeldOutRmse.ScoreEach(bestValidation, _data.Validation, _data.Scale),
            HeldOutRmse.ScoreEach(bestTest, _data.Test, _data.Scale), seconds, bestValidation, bestTest);
    }

    /// <summary>Predictions (not clipped) at <paramref name="ratings"/> with the current factors.</summary>
    public float[] Predict(IReadOnlyList<HeldOutRating> ratings)
    {
        ArgumentNullException.ThrowIfNull(ratings);
        int k = _config.Factors;
        int width = k + 1;
        var predictions = new float[ratings.Count];
        for (int n = 0; n < ratings.Count; n++)
        {
            int u = ratings[n].Row * width;
            int j = ratings[n].Column * width;
            double dot = _mean + _userFactors[u + k] + _movieFactors[j + k];
            for (int f = 0; f < k; f++)
            {
                dot += _userFactors[u + f] * _movieFactors[j + f];
            }

            predictions[n] = (float)dot;
        }

        return predictions;
    }

    /// <summary>
    /// For every row of <paramref name="rows"/>: [x, b] minimising Σ (r − μ − b_other − b − x·y_other)² + λ n (|x|² + b²)
    /// over its ratings, the other side's factors <paramref name="fixedSide"/> held fixed.
    /// </summary>
    private void Solve(RatingRows rows, double[] fixedSide, double[] solved)
    {
        int k = _config.Factors;
        int width = k + 1;
        Parallel.For(
            0,
            rows.RowCount,
            () => (Gram: new double[width * width], Right: new double[width], Features: new double[width]),
            (row, _, scratch) =>
            {
                (double[] gram, double[] right, double[] x) = scratch;
                Array.Clear(gram);
                Array.Clear(right);
                int count = rows.CountOf(row);
                for (int e = rows.Offsets[row]; e < rows.Offsets[row + 1]; e++)
                {
                    int other = rows.Columns[e] * width;
                    Array.Copy(fixedSide, other, x, 0, k);
                    x[k] = 1;
                    double target = rows.Values[e] - _mean - fixedSide[other + k];
                    for (int a = 0; a < width; a++)
                    {
                        right[a] += x[a] * target;
                        for (int b = 0; b <= a; b++)
                        {
                            gram[(a * width) + b] += x[a] * x[b];
                        }
                    }
                }

                double ridge = _config.L2 * Math.Max(count, 1);
                for (int a = 0; a < width; a++)
                {
                    gram[(a * width) + a] += ridge;
                }

                SymmetricSolver.Solve(gram, right, width);
                Array.Copy(right, 0, solved, row * width, width);
                return scratch;
            },
            _ => { });
    }
}

/// <summary>What a baseline's training produced: its history, best sweep, scores and predictions there.</summary>
public sealed record TrainingOutcomeOfBaseline(
    IReadOnlyList<EpochResult> History, int BestEpoch, RmseResult Validation, RmseResult Test, double TrainSeconds, float[] ValidationPredictions, float[] TestPredictions);
