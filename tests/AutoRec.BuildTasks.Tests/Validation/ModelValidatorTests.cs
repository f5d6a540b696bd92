using System.Text.Json;
using AutoRec.BuildTasks.Validation;
using AutoRec.Data;
using AutoRec.Inference;

namespace AutoRec.BuildTasks.Tests.Validation;

/// <summary>The validate stage's report: the RMSE of a model file on Parquet splits, and the errors that name what is wrong.</summary>
public sealed class ModelValidatorTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void ValidatorWritesTheReport()
    {
        string model = ConstantModels.Write(_dir.Root, ModelKind.UserBased, [10, 20, 30], [3.5f, 6f, 2f]);
        string train = WriteRatings("train.parquet", new Rating(1, 10, 4f, 0));
        string test = WriteRatings("test.parquet", new Rating(1, 20, 4f, 0), new Rating(1, 30, 4f, 0));

        ValidationReport report = ModelValidator.Validate(model, train, test);
        string json = _dir.PathOf("validation.json");
        File.WriteAllText(json, report.ToJson());

        Assert.Equal(Math.Sqrt(2.5), report.TestRmse, 6);
        Assert.Equal(Math.Sqrt(2.5), report.TestRmseUserMean, 6);
        Assert.Equal(2, report.TestRatings);
        Assert.Equal(0, report.SkippedRatings);
        Assert.Equal(ModelKind.UserBased, report.Kind);
        Assert.Equal("tiny", report.Dataset);
        Assert.Equal(Path.GetFullPath(model), report.Model);
        Assert.True(report.Seconds > 0);
        Assert.Equal(new RmseResult(report.TestRmse, report.TestRmseUserMean, 2, 0), report.Rmse);
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(json));
        Assert.Equal(
            ["model", "kind", "dataset", "test_rmse", "test_rmse_user_mean", "test_ratings", "skipped_ratings", "seconds"],
            document.RootElement.EnumerateObject().Select(p => p.Name).Take(8));
        Assert.Equal("user-based", document.RootElement.GetProperty("kind").GetString());
        Assert.Equal(report.ToJson(), ValidationReport.Read(json).ToJson());
    }

    [Fact]
    public void EmptyTestSplitGivesNaN()
    {
        string model = ConstantModels.Write(_dir.Root, ModelKind.UserBased, [10, 20], [3f, 4f]);
        ValidationReport report = ModelValidator.Validate(model, WriteRatings("train.parquet", new Rating(1, 10, 4f, 0)), WriteRatings("test.parquet"));
        Assert.True(double.IsNaN(report.TestRmse));
        Assert.Equal(0, report.TestRatings);
        Assert.Contains("\"test_rmse\": \"NaN\"", report.ToJson(), StringComparison.Ordinal);
    }

    [Fact]
    public void MismatchedOrMissingFilesAreReported()
    {
        string model = ConstantModels.Write(_dir.Root, ModelKind.UserBased, [10, 20], [3f, 4f]);
        string foreign = WriteRatings("foreign.parquet", new Rating(1, 555, 4f, 0));
        string test = WriteRatings("test.parquet", new Rating(1, 10, 4f, 0));
        var error = Assert.Throws<ArgumentException>(() => ModelValidator.Validate(model, foreign, test));
        Assert.Contains("movie 555", error.Message, StringComparison.Ordinal);
        var missing = Assert.Throws<DataFormatException>(() => ModelValidator.Validate(model, _dir.PathOf("none.parquet"), test));
        Assert.Equal(DataErrorCodes.MissingFile, missing.Code);
        var noModel = Assert.Throws<ModelFormatException>(() => ModelValidator.Validate(_dir.PathOf("none.onnx"), foreign, test));
        Assert.Equal(ModelErrorCodes.MissingFile, noModel.Code);
    }

    private string WriteRatings(string name, params Rating[] ratings)
    {
        string path = _dir.PathOf(name);
        ParquetTables.WriteRatings(path, ratings);
        return path;
    }
}
