using System.Globalization;
using AutoRec.Data;
using AutoRec.Inference;
using AutoRec.Onnx;
using Microsoft.Build.Framework;

namespace AutoRec.BuildTasks.Tests;

/// <summary>ValidateModel run directly on tiny models built with the real exporter and tiny Parquet splits.</summary>
public sealed class ValidateModelTests : IDisposable
{
    private static readonly int[] Ids = [10, 20, 30];

    /// <summary>
    /// The constant model predicts 3.5, 5 (6 clipped) and 2 for movies 10, 20, 30 whatever the input; the test split
    /// scores errors 1, -2 and -1.5 (see <see cref="WriteSplits"/>).
    /// </summary>
    private static readonly double ExpectedRmse = Math.Sqrt((1 + 4 + 2.25) / 3);

    private readonly TempDir _dir = new();
    private readonly string _model;
    private readonly string _train;
    private readonly string _test;
    private readonly string _metrics;
    private readonly string _output;

    public ValidateModelTests()
    {
        _model = WriteConstantModel(_dir.PathOf("model.onnx"));
        (_train, _test) = WriteSplits();
        _metrics = _dir.PathOf("metrics.json");
        _output = _dir.PathOf("model-out/validation.json");
        WriteMetrics(ExpectedRmse);
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void PassesAndWritesValidationJson()
    {
        (bool ok, FakeBuildEngine engine, ValidateModel task) = Validate();
        Assert.True(ok, string.Join("\n", engine.Errors.Select(e => e.Message)));
        Assert.Empty(engine.Errors);
        Assert.Empty(engine.Warnings);
        Assert.Equal(ExpectedRmse, double.Parse(task.TestRmse, CultureInfo.InvariantCulture), 6);
        Assert.Contains(engine.Messages, m => m.Importance == MessageImportance.High && m.Message!.Contains("validated", StringComparison.Ordinal));

        ValidationReport report = ValidationReport.Read(_output);
        Assert.Equal(ExpectedRmse, report.TestRmse, 6);
        Assert.Equal(3, report.TestRatings);
        Assert.Equal(1, report.SkippedRatings);
        Assert.Equal(ModelKind.UserBased, report.Kind);
        Assert.True(report.Passed);
        Assert.Equal(2, report.MaxTestRmse);
        Assert.Empty(report.Failures);
        Assert.Empty(Directory.GetFiles(_dir.Root, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void WithoutMetricsFileSkipsTheAgreementCheck()
    {
        WriteMetrics(ExpectedRmse + 1);
        (bool ok, FakeBuildEngine engine, _) = Validate(metrics: "");
        Assert.True(ok);
        Assert.Empty(engine.Errors);
    }

    [Fact]
    public void AboveMaxTestRmseIsAR3101()
    {
        (bool ok, FakeBuildEngine engine, ValidateModel task) = Validate(maxTestRmse: "1.5");
        Assert.False(ok);
        BuildErrorEventArgs error = Assert.Single(engine.Errors);
        Assert.Equal("AR3101", error.Code);
        Assert.Equal(_output, error.File);
        Assert.Contains("exceeds MaxTestRmse 1.5", error.Message, StringComparison.Ordinal);
        Assert.True(File.Exists(_output), "validation.json is written for a model that fails the gate (it says by how much)");
        Assert.Equal(ExpectedRmse, double.Parse(task.TestRmse, CultureInfo.InvariantCulture), 6);
    }

    [Fact]
    public void AFailingReportRecordsItsVerdict()
    {
        Assert.True(Validate().Result);
        Assert.True(ValidationReport.Read(_output).Passed);

        Assert.False(Validate(maxTestRmse: "1.5").Result);
        ValidationReport report = ValidationReport.Read(_output);
        Assert.False(report.Passed);
        Assert.Equal(1.5, report.MaxTestRmse);
        Assert.StartsWith("AR3101: test RMSE", Assert.Single(report.Failures), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1e-3, false)]
    [InlineData(-2e-4, false)]
    [InlineData(5e-5, true)]
    [InlineData(-5e-5, true)]
    public void DisagreementWithTrainingBeyond1em4IsAR3102(double offset, bool agrees)
    {
        WriteMetrics(ExpectedRmse + offset);
        (bool ok, FakeBuildEngine engine, _) = Validate();
        Assert.Equal(agrees, ok);
        if (agrees)
        {
            Assert.Empty(engine.Errors);
            return;
        }

        BuildErrorEventArgs error = Assert.Single(engine.Errors);
        Assert.Equal("AR3102", error.Code);
        Assert.Equal(_metrics, error.File);
        Assert.Contains("training reported", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NaNInMetricsIsADisagreementNotACrash()
    {
        File.WriteAllText(_metrics, Metrics(double.NaN).ToJson());
        (bool ok, FakeBuildEngine engine, _) = Validate();
        Assert.False(ok);
        Assert.Equal("AR3102", Assert.Single(engine.Errors).Code);
    }

    [Theory]
    [InlineData("{ \"test_rmse\": ")]
    [InlineData("not json at all")]
    [InlineData("")]
    [InlineData("[0.9]")]
    [InlineData("{ \"best_epoch\": 3 }")]
    [InlineData("{ \"test_rmse\": \"low\" }")]
    [InlineData("{ \"test_rmse\": null }")]
    public void MalformedMetricsIsAR3104(string text)
    {
        File.WriteAllText(_metrics, text);
        (bool ok, FakeBuildEngine engine, ValidateModel task) = Validate();
        Assert.False(ok);
        BuildErrorEventArgs error = Assert.Single(engine.Errors);
        Assert.Equal("AR3104", error.Code);
        Assert.Equal(_metrics, error.File);
        Assert.Contains("metrics.json", error.Message, StringComparison.Ordinal);
        Assert.Equal("", task.TestRmse);
        Assert.False(File.Exists(_output));
    }

    [Fact]
    public void MissingMetricsIsAR3104()
    {
        File.Delete(_metrics);
        (bool ok, FakeBuildEngine engine, _) = Validate();
        Assert.False(ok);
        BuildErrorEventArgs error = Assert.Single(engine.Errors);
        Assert.Equal("AR3104", error.Code);
        Assert.Equal(_metrics, error.File);
        Assert.Contains("not found", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(_output));
    }

    [Fact]
    public void CorruptModelFileIsNotLoadable()
    {
        var random = new Random(5);
        var bytes = new byte[700];
        random.NextBytes(bytes);
        File.WriteAllBytes(_model, bytes);
        AssertModelError(ModelErrorCodes.NotLoadable);
    }

    [Fact]
    public void ForeignOnnxModelHasTheWrongSignature()
    {
        byte[] foreign = ForeignModels.Identity(3);
        File.WriteAllBytes(_model, foreign);
        AssertModelError(ModelErrorCodes.WrongSignature);
    }

    [Fact]
    public void MissingModelFileIsAR3001()
    {
        File.Delete(_model);
        AssertModelError(ModelErrorCodes.MissingFile);
    }

    [Fact]
    public void TrainSplitWithAnIdTheModelDoesNotKnowIsAR3103()
    {
        ParquetTables.WriteRatings(_train, [new Rating(1, 10, 4f, 0), new Rating(2, 999, 3f, 0)]);
        (bool ok, FakeBuildEngine engine, _) = Validate();
        Assert.False(ok);
        BuildErrorEventArgs error = Assert.Single(engine.Errors);
        Assert.Equal("AR3103", error.Code);
        Assert.Equal(_train, error.File);
        Assert.Contains("999", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(_output));
    }

    [Fact]
    public void MissingTestSplitIsAR1001()
    {
        File.Delete(_test);
        (bool ok, FakeBuildEngine engine, _) = Validate();
        Assert.False(ok);
        BuildErrorEventArgs error = Assert.Single(engine.Errors);
        Assert.Equal(DataErrorCodes.MissingFile, error.Code);
        Assert.Equal(_test, error.File);
    }

    [Theory]
    [InlineData("abc", "1e-4", "MaxTestRmse")]
    [InlineData("-0.5", "1e-4", "MaxTestRmse")]
    [InlineData("0,9", "1e-4", "MaxTestRmse")]
    [InlineData("0.9", "tiny", "ValidationTolerance")]
    public void BadNumbersAreAR1103(string maxTestRmse, string tolerance, string property)
    {
        (bool ok, FakeBuildEngine engine, _) = Validate(maxTestRmse: maxTestRmse, tolerance: tolerance);
        Assert.False(ok);
        BuildErrorEventArgs error = Assert.Single(engine.Errors);
        Assert.Equal("AR1103", error.Code);
        Assert.Contains(property, error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(_output));
    }

    [Fact]
    public void AnOutputFileThatCannotBeWrittenIsAR1012()
    {
        // The output's folder would have to be created where a regular file is.
        string blocker = _dir.Write("blocker", "a file, not a folder\n");
        string output = Path.Combine(blocker, "model", "validation.json");
        (bool ok, FakeBuildEngine engine, ValidateModel task) = Validate(output: output);
        Assert.False(ok);
        BuildErrorEventArgs error = Assert.Single(engine.Errors);
        Assert.Equal("AR1012", error.Code);
        Assert.Equal(output, error.File);
        Assert.StartsWith($"cannot read or write {output}: ", error.Message, StringComparison.Ordinal);
        Assert.Equal("", task.TestRmse);
        Assert.Empty(Directory.GetFiles(_dir.Root, "*.tmp", SearchOption.AllDirectories));
    }

    [Theory]
    [InlineData("metrics")]
    [InlineData("train")]
    [InlineData("test")]
    public void ALockedInputIsAR1012NamingIt(string which)
    {
        string path = which switch { "metrics" => _metrics, "train" => _train, _ => _test };

        // .NET locks a file opened with FileShare.None against other opens, in this process too (flock on Unix).
        using (new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
        {
            (bool ok, FakeBuildEngine engine, _) = Validate();
            Assert.False(ok);
            BuildErrorEventArgs error = Assert.Single(engine.Errors);
            Assert.Equal("AR1012", error.Code);
            Assert.Equal(path, error.File);
            Assert.StartsWith($"cannot read or write {path}: ", error.Message, StringComparison.Ordinal);
        }

        Assert.False(File.Exists(_output));
        Assert.True(Validate().Result, "the same inputs, unlocked, validate");
    }

    private void AssertModelError(string code)
    {
        (bool ok, FakeBuildEngine engine, _) = Validate();
        Assert.False(ok);
        BuildErrorEventArgs error = Assert.Single(engine.Errors);
        Assert.Equal(code, error.Code);
        Assert.Equal(_model, error.File);
        Assert.False(File.Exists(_output));
    }

    private (bool Result, FakeBuildEngine Engine, ValidateModel Task) Validate(
        string maxTestRmse = "2", string tolerance = "1e-4", string? metrics = null, string? output = null)
    {
        var engine = new FakeBuildEngine();
        var task = new ValidateModel
        {
            BuildEngine = engine,
            ModelFile = _model,
            TrainFile = _train,
            TestFile = _test,
            MetricsFile = metrics ?? _metrics,
            OutputFile = output ?? _output,
            MaxTestRmse = maxTestRmse,
            Tolerance = tolerance,
        };
        return (task.Execute(), engine, task);
    }

    private void WriteMetrics(double testRmse) =>
        File.WriteAllText(_metrics, Metrics(testRmse).ToJson());

    /// <summary>A complete metrics.json as the trainer writes it, with <paramref name="testRmse"/>.</summary>
    private static RunMetrics Metrics(double testRmse) => new(
        TestRmse: testRmse, TestRmseUserMean: testRmse, ValidationRmse: 1, ValidationRmseUserMean: 1, TrainRmse: 1, BestEpoch: 3, Epochs: 3,
        StoppedEarly: false, TrainSeconds: 1, SecondsPerEpoch: 0.3, PeakRssMb: 100, TestRatings: 3, Parameters: 10);

    private (string Train, string Test) WriteSplits()
    {
        string train = _dir.PathOf("train.parquet");
        string test = _dir.PathOf("test.parquet");
        ParquetTables.WriteRatings(train, [new Rating(1, 10, 4f, 0), new Rating(2, 20, 3f, 0)]);
        ParquetTables.WriteRatings(
            test,
            [
                new Rating(1, 20, 4f, 0), // predicted 5 (6 clipped): error 1
                new Rating(1, 30, 4f, 0), // predicted 2: error -2
                new Rating(2, 10, 5f, 0), // predicted 3.5: error -1.5
                new Rating(2, 99, 3f, 0), // movie 99 is not in the model: skipped
            ]);
        return (train, test);
    }

    /// <summary>A user-based network whose output ignores its input: predictions are the output biases, clipped to 1..5.</summary>
    private static string WriteConstantModel(string path)
    {
        int n = Ids.Length;
        var weights = new AutoencoderWeights(
        [
            new DenseLayer(n, 2, new float[2 * n], [0f, 0f], Activation.Identity),
            new DenseLayer(2, n, new float[2 * n], [3.5f, 6f, 2f], Activation.Identity),
        ]);
        var metadata = new ModelMetadata(ModelKind.UserBased, Ids, Ids, 1f, 5f, "tiny", """{"name":"test","kind":"user-based"}""", []);
        var export = new OnnxExportSpec(DefaultFill.Zero, 0f, 3f, new float[n], 1f, 5f, 0, metadata);
        OnnxModelBuilder.Write(OnnxModelBuilder.Build(weights, export), path);
        return path;
    }
}
