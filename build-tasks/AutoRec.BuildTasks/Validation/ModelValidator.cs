using System.Diagnostics;
using AutoRec.BuildTasks.Blends;
using AutoRec.Contracts;
using AutoRec.Data;
using AutoRec.Inference;

namespace AutoRec.BuildTasks.Validation;

/// <summary>The pipeline's validate stage: an exported model's test RMSE, measured through ONNX Runtime.</summary>
public static class ModelValidator
{
    /// <summary>
    /// Opens <paramref name="modelPath"/> and evaluates it on <paramref name="testParquet"/> with
    /// <paramref name="trainParquet"/> as its input (see <see cref="ModelEvaluator"/>); the report is what
    /// validation.json holds (<see cref="ValidationReport.ToJson"/>). A blend manifest (<see cref="BlendedModel.IsManifest"/>)
    /// is scored as served: its recommender's prediction of each test rating (<see cref="RecommenderPredictions"/>).
    /// </summary>
    /// <exception cref="ModelFormatException">The model is missing, unloadable or not an AutoRec model.</exception>
    /// <exception cref="DataFormatException">A Parquet file is missing or malformed.</exception>
    /// <exception cref="ArgumentException">The training ratings do not fit the model.</exception>
    public static ValidationReport Validate(string modelPath, string trainParquet, string testParquet, RecommenderOptions? options = null)
    {
        var clock = Stopwatch.StartNew();
        if (BlendedModel.IsManifest(modelPath))
        {
            return ValidateBlend(modelPath, trainParquet, testParquet, options, clock);
        }

        using RecommenderModel model = RecommenderModel.Open(modelPath, options);
        Rating[] train = ParquetTables.ReadRatings(trainParquet);
        Rating[] test = ParquetTables.ReadRatings(testParquet);
        RmseResult rmse = ModelEvaluator.Evaluate(model, train, test, ModelEvaluator.SideFeaturesBeside(model, trainParquet));
        return new ValidationReport(
            Path.GetFullPath(modelPath),
            model.Kind,
            model.Metadata.Dataset,
            rmse.Global,
            rmse.UserMean,
            rmse.Count,
            rmse.Skipped,
            clock.Elapsed.TotalSeconds)
        {
            MeanBaselineRmse = MeanBaseline(train, test),
        };
    }

    /// <summary>The RMSE over <paramref name="test"/> of predicting the mean of <paramref name="train"/>'s ratings for each (NaN without either).</summary>
    public static double MeanBaseline(IReadOnlyList<Rating> train, IReadOnlyList<Rating> test)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        if (train.Count == 0 || test.Count == 0)
        {
            return double.NaN;
        }

        double mean = train.Average(r => (double)r.Value);
        return Math.Sqrt(test.Average(r => (r.Value - mean) * (r.Value - mean)));
    }

    private static ValidationReport ValidateBlend(string manifestPath, string trainParquet, string testParquet, RecommenderOptions? options, Stopwatch clock)
    {
        using BlendedModel blend = BlendedModel.Open(manifestPath, options);
        Rating[] train = ParquetTables.ReadRatings(trainParquet);
        Rating[] test = ParquetTables.ReadRatings(testParquet);
        IRecommender recommender = Recommender.Create(blend, train);
        RmseResult rmse = RecommenderPredictions.Score(test, RecommenderPredictions.Of(recommender, test));
        return new ValidationReport(
            Path.GetFullPath(manifestPath),
            recommender.Kind,
            blend.Members[0].Metadata.Dataset,
            rmse.Global,
            rmse.UserMean,
            rmse.Count,
            rmse.Skipped,
            clock.Elapsed.TotalSeconds)
        {
            MeanBaselineRmse = MeanBaseline(train, test),
        };
    }
}
