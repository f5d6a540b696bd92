using System.Text.Json;

namespace AutoRec.Contracts.Tests;

public sealed class ReportTests
{
    private static readonly RunMetrics Metrics = new(
        0.8353, 0.8237, 0.8378, 0.8194, 0.5974, 80, 100, true, 140.2, 1.402, 973, 100273, 6046540);

    [Fact]
    public void MetricsRoundTripWithSnakeCaseNames()
    {
        string json = Metrics.ToJson();
        Assert.Contains("\"test_rmse\": 0.8353", json, StringComparison.Ordinal);
        Assert.Contains("\"peak_rss_mb\": 973", json, StringComparison.Ordinal);
        Assert.Equal(Metrics, RunMetrics.Parse(json));
    }

    [Fact]
    public void NaNIsWrittenAsANamedLiteralAndReadBack()
    {
        string json = (Metrics with { TestRmse = double.NaN }).ToJson();
        Assert.Contains("\"test_rmse\": \"NaN\"", json, StringComparison.Ordinal);
        Assert.True(double.IsNaN(RunMetrics.Parse(json).TestRmse));
    }

    [Theory]
    [InlineData("{ \"best_epoch\": 3 }")]
    [InlineData("{ \"test_rmse\": \"low\" }")]
    [InlineData("{ \"test_rmse\": null }")]
    [InlineData("[0.9]")]
    [InlineData("null")]
    [InlineData("")]
    public void IncompleteOrMalformedMetricsAreRejected(string json) =>
        Assert.ThrowsAny<JsonException>(() => RunMetrics.Parse(json));

    [Fact]
    public void AValidationReportRoundTripsWithItsKindSpelledAsInMetadata()
    {
        var report = new ValidationReport("/m/model.onnx", ModelKind.ItemBased, "ml-1m", 0.8353, 0.8237, 100273, 0, 0.4);
        string json = report.ToJson();
        Assert.Contains("\"kind\": \"item-based\"", json, StringComparison.Ordinal);
        Assert.Equal(json, ValidationReport.Parse(json).ToJson());
        Assert.Equal(new RmseResult(0.8353, 0.8237, 100273, 0), report.Rmse);
        Assert.Null(ValidationReport.Parse(json).Passed);
    }

    [Fact]
    public void AValidationReportCarriesItsVerdict()
    {
        var report = new ValidationReport("/m/model.onnx", ModelKind.UserBased, "ml-1m", 0.95, 0.93, 10, 0, 0.1)
        {
            MaxTestRmse = 0.87,
            Passed = false,
            Failures = ["AR3101: test RMSE 0.9500 exceeds MaxTestRmse 0.87"],
        };
        ValidationReport read = ValidationReport.Parse(report.ToJson());
        Assert.False(read.Passed);
        Assert.Equal(0.87, read.MaxTestRmse);
        Assert.StartsWith("AR3101", Assert.Single(read.Failures), StringComparison.Ordinal);
        Assert.Contains("\"passed\": false", report.ToJson(), StringComparison.Ordinal);
    }
}
