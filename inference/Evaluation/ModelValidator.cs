using System.Diagnostics;
using AutoRec.Data;

namespace AutoRec.Inference;

/// <summary>The pipeline's validate stage: an exported model's test RMSE, measured through ONNX Runtime.</summary>
public static class ModelValidator
{
    /// <summary>
    /// Opens <paramref name="modelPath"/> and evaluates it on <paramref name="testParquet"/> with
    /// <paramref name="trainParquet"/> as its input (see <see cref="ModelEvaluator"/>). The RMSE record is
    /// <see cref="ValidationReport.Rmse"/>; <see cref="ValidationReport.Write"/> writes validation.json.
    /// </summary>
    /// <exception cref="ModelFormatException">The model is missing, unloadable or not an AutoRec model.</exception>
    /// <exception cref="DataFormatException">A Parquet file is missing or malformed.</exception>
    /// <exception cref="ArgumentException">The training ratings do not fit the model.</exception>
    public static ValidationReport Validate(string modelPath, string trainParquet, string testParquet, RecommenderOptions? options = null)
    {
        var clock = Stopwatch.StartNew();
        using RecommenderModel model = RecommenderModel.Open(modelPath, options);
        RmseResult rmse = ModelEvaluator.Evaluate(model, trainParquet, testParquet);
        return new ValidationReport(
            Path.GetFullPath(modelPath),
            model.Kind == ModelKind.UserBased ? "user-based" : "item-based",
            model.Dataset,
            rmse.Global,
            rmse.UserMean,
            rmse.Count,
            rmse.Skipped,
            clock.Elapsed.TotalSeconds);
    }
}
