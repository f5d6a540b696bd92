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
    /// <exception cref="ArgumentException">There are no validation ratings every member can predict.</exception>
    /// <exception cref="ModelFormatException">A member's model cannot be opened.</exception>
    public static BlendManifest Fit(
        string name, IReadOnlyList<(string Name, string ModelPath)> members, string manifestPath, IReadOnlyList<Rating> train, IReadOnlyList<Rating> validation)
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
        double[] weights = Blending.FitLeastSquares(columns, [.. targets.Select(r => r.Value)]);
        string folder = Path.GetDirectoryName(Path.GetFullPath(manifestPath))!;
        BlendMember[] blendMembers = [.. members.Select((m, k) => new BlendMember(m.Name, Path.GetRelativePath(folder, Path.GetFullPath(m.ModelPath)), weights[k + 1])
        {
            Sha256 = digests[k],
            ValidationRmse = RecommenderPredictions.Score(targets, columns[k]).Global,
        })];
        return new BlendManifest(name, weights[0], blendMembers)
        {
            Dataset = dataset,
            ValidationRatings = targets.Length,
            ValidationRmse = Blending.Score(columns, weights, targets, scale!.Value).Global,
        };
    }
}
