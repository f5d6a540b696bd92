using Microsoft.Build.Framework;

namespace AutoRec.BuildTasks.Tests;

/// <summary>Every pipeline property is checked before any stage runs.</summary>
public sealed class CheckPipelinePropertiesTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void TheDefaultsPass()
    {
        (bool ok, FakeBuildEngine engine) = Check();
        Assert.True(ok, string.Join("\n", engine.Errors.Select(e => e.Message)));
    }

    [Theory]
    [InlineData("StopAfter", "everything", "AR1100")]
    [InlineData("SplitSeed", "12x", "AR1101")]
    [InlineData("SplitTestFraction", "0", "AR1102")]
    [InlineData("SplitTestFraction", "1", "AR1102")]
    [InlineData("SplitValidationFraction", "-0.1", "AR1102")]
    [InlineData("MaxTestRmse", "0.9x", "AR1103")]
    [InlineData("MaxTestRmse", "-1", "AR1103")]
    [InlineData("Protocol", "B", "AR1104")]
    public void EachBadPropertyIsItsOwnCodedError(string property, string value, string code)
    {
        (bool ok, FakeBuildEngine engine) = Check(property, value);
        Assert.False(ok);
        BuildErrorEventArgs error = Assert.Single(engine.Errors);
        Assert.Equal(code, error.Code);
        Assert.Contains(value, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingConfigIsAR2001OnlyWhenTrainingRuns()
    {
        string missing = _dir.PathOf("nope.json");
        (bool ok, FakeBuildEngine engine) = Check("ModelConfig", missing);
        Assert.False(ok);
        Assert.Equal("AR2001", Assert.Single(engine.Errors).Code);

        (ok, _) = Check("ModelConfig", missing, trains: false);
        Assert.True(ok);
    }

    [Fact]
    public void AnOutputFolderUnderAFileIsAR1012NamingTheFile()
    {
        string file = _dir.PathOf("plain-file");
        File.WriteAllText(file, "x");
        (bool ok, FakeBuildEngine engine) = Check("OutputDirectory", Path.Combine(file, "ml-1m"));
        Assert.False(ok);
        BuildErrorEventArgs error = Assert.Single(engine.Errors);
        Assert.Equal("AR1012", error.Code);
        Assert.Equal(file, error.File);
    }

    [Fact]
    public void ARefitNeedsAValidationSplitToTakeItsChoicesFrom()
    {
        foreach (string protocol in (string[])["", "A", "refit"])
        {
            (bool ok, _) = Check("Protocol", protocol);
            Assert.True(ok, protocol);
        }

        var engine = new FakeBuildEngine();
        CheckPipelineProperties task = Task(engine);
        task.Protocol = "refit";
        task.SplitValidationFraction = "0";
        Assert.False(task.Execute());
        BuildErrorEventArgs error = Assert.Single(engine.Errors);
        Assert.Equal("AR1104", error.Code);
        Assert.Contains("SplitValidationFraction is 0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SeveralBadPropertiesAreAllReported()
    {
        var engine = new FakeBuildEngine();
        var task = Task(engine);
        task.SplitSeed = "x";
        task.MaxTestRmse = "y";
        Assert.False(task.Execute());
        Assert.Equal(["AR1101", "AR1103"], engine.Errors.Select(e => e.Code));
    }

    private (bool Ok, FakeBuildEngine Engine) Check(string? property = null, string? value = null, bool trains = true)
    {
        var engine = new FakeBuildEngine();
        CheckPipelineProperties task = Task(engine);
        task.Trains = trains;
        if (property is not null)
        {
            typeof(CheckPipelineProperties).GetProperty(property)!.SetValue(task, value);
        }

        return (task.Execute(), engine);
    }

    private CheckPipelineProperties Task(FakeBuildEngine engine)
    {
        string config = _dir.PathOf("config.json");
        File.WriteAllText(config, "{}");
        return new CheckPipelineProperties
        {
            BuildEngine = engine,
            StopAfter = "",
            SplitSeed = "999613182",
            SplitTestFraction = "0.1",
            SplitValidationFraction = "0.1",
            MaxTestRmse = "0.87",
            ModelConfig = config,
            Trains = true,
            OutputDirectory = _dir.PathOf("artifacts/ml-1m"),
        };
    }
}
