using AutoRec.Contracts;
using AutoRec.Inference;

namespace AutoRec.BuildTasks.Blends;

/// <summary>
/// Fits a blend's weights: each member's served predictions (through ONNX Runtime, clipped, as its
/// <see cref="IRecommender"/> answers) of the validation ratings, then least squares with an intercept
/// (<see cref="Blending.FitLeastSquares"/>). So the weights are chosen on validation, from exactly what is served.
/// </summary>
internal static class BlendFitter
{
    /// <summary>The manifest of the fitted blend, its member paths relative to <paramref name="manifestPath"/>'s folder.</summary>
    /// <param name="name">The blend's name.</param>
    /// <param name="members">Each member's name and model file.</param>
    /// <param name="manifestPath">Where the manifest will be written.</param>
    /// <param name="train">The training ratings: the members' input.</param>
    /// <param name="validation">The ratings the weights are fit on.</param>
    /// <param name="supportPowers">0 for a plain blend; else the powers 1 to this of the user's and the movie's support (<see cref="BlendSupport"/>).</param>
    /// <exception cref="ArgumentException">There are no validation ratings every member can predict.</exception>
    /// <exception cref="ModelFormatException">A member's model cannot be opened.</exception>
    public static BlendManifest Fit(
        string name, IReadOnlyList<(string Name, string ModelPath)> members, string manifestPath, IReadOnlyList<Rating> train, IReadOnlyList<Rating> validation,
        int supportPowers = 0)
    {
        var predictions = new List<float[]>(members.Count);
        var digests = new List<string>(members.Count);
        RatingScale? scale = null;
        string dataset = "";
        foreach ((_, string modelPath) in members)
        {
            using RecommenderModel model = RecommenderModel.Open(modelPath);
            scale ??= new RatingScale(model.Metadata.RatingMin, model.Metadata.RatingMax, 0f);
            dataset = model.Metadata.Dataset;
            digests.Add(model.Sha256!);
            predictions.Add(RecommenderPredictions.Of(Recommender.Create(model, train), validation));
        }

        // Only ratings every member predicts: a blend of partial answers would fit weights to a mixture.
        int[] kept = [.. Enumerable.Range(0, validation.Count).Where(i => predictions.All(p => !float.IsNaN(p[i])))];
        if (kept.Length == 0)
        {
            throw new ArgumentException(
                $"no validation rating that every member predicts ({validation.Count} validation ratings): a blend's weights are fit on validation, so the split needs SplitValidationFraction > 0",
                nameof(validation));
        }

        Rating[] targets = [.. kept.Select(i => validation[i])];
        float[][] columns = [.. predictions.Select(p => kept.Select(i => p[i]).ToArray())];
        float[] values = [.. targets.Select(r => r.Value)];
        double[] weights;
        BlendSupport? support = null;
        double validationRmse;
        if (supportPowers == 0)
        {
            weights = Blending.FitLeastSquares(columns, values);
            validationRmse = Blending.Score(columns, weights, targets, scale!.Value).Global;
        }
        else
        {
            // The support the members were served with: the training ratings' counts.
            Dictionary<int, int> userRatings = CountBy(train, r => r.UserId);
            Dictionary<int, int> movieRatings = CountBy(train, r => r.MovieId);
            (weights, support) = BlendSupport.Fit(
                columns, values, [.. targets.Select(r => userRatings.GetValueOrDefault(r.UserId))], movieRatings, [.. targets.Select(r => r.MovieId)], supportPowers);
            validationRmse = ScoreSupported(columns, weights, support, targets, userRatings, scale!.Value);
        }

        string folder = Path.GetDirectoryName(Path.GetFullPath(manifestPath))!;
        BlendMember[] blendMembers = [.. members.Select((m, k) => new BlendMember(m.Name, Path.GetRelativePath(folder, Path.GetFullPath(m.ModelPath)), weights[k + 1])
        {
            Sha256 = digests[k],
            ValidationRmse = RecommenderPredictions.Score(targets, columns[k]).Global,
        })];
        return new BlendManifest(name, weights[0], blendMembers)
        {
            Format = support is null ? BlendManifest.CurrentFormat : BlendManifest.SupportFormat,
            Dataset = dataset,
            ValidationRatings = targets.Length,
            ValidationRmse = validationRmse,
            Support = support,
        };
    }

    private static Dictionary<int, int> CountBy(IReadOnlyList<Rating> ratings, Func<Rating, int> key)
    {
        var counts = new Dictionary<int, int>();
        foreach (Rating rating in ratings)
        {
            counts[key(rating)] = counts.GetValueOrDefault(key(rating)) + 1;
        }

        return counts;
    }

    private static double ScoreSupported(
        float[][] columns, double[] weights, BlendSupport support, Rating[] targets, Dictionary<int, int> userRatings, RatingScale scale)
    {
        Dictionary<int, int> movieRatings = support.MovieRatingsById();
        var rmse = new RmseAccumulator();
        var predictions = new float[columns.Length];
        for (int n = 0; n < targets.Length; n++)
        {
            for (int k = 0; k < columns.Length; k++)
            {
                predictions[k] = columns[k][n];
            }

            double blended = support.Predict(
                weights, predictions, support.UserFeature(userRatings.GetValueOrDefault(targets[n].UserId)), support.MovieFeature(movieRatings.GetValueOrDefault(targets[n].MovieId)));
            rmse.Add(targets[n].UserId, Math.Clamp((float)blended, scale.Min, scale.Max), targets[n].Value);
        }

        return rmse.Result().Global;
    }
}
