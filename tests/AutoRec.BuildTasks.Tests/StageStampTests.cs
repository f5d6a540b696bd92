using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace AutoRec.BuildTasks.Tests;

/// <summary>Stage stamps record their outputs' sizes and hashes, so damaged outputs make the stage run again.</summary>
public sealed class StageStampTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly string _stamp;
    private readonly string _model;
    private readonly string _report;

    public StageStampTests()
    {
        _stamp = _dir.PathOf(".stamps/export.done");
        _model = _dir.PathOf("model/model.onnx");
        _report = _dir.PathOf("model/export.json");
        Directory.CreateDirectory(Path.GetDirectoryName(_stamp)!);
        Directory.CreateDirectory(Path.GetDirectoryName(_model)!);
        File.WriteAllBytes(_model, [1, 2, 3, 4, 5, 6, 7, 8]);
        File.WriteAllText(_report, "{}");
        Assert.True(new WriteStageStamp { BuildEngine = new FakeBuildEngine(), Stamp = _stamp, Outputs = Items(_model, _report) }.Execute());
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void UnchangedOutputsKeepTheStamp()
    {
        (bool invalidated, FakeBuildEngine engine) = Check();
        Assert.False(invalidated);
        Assert.True(File.Exists(_stamp));
        Assert.DoesNotContain(engine.Messages, m => m.Importance == MessageImportance.High);
    }

    [Fact]
    public void ATruncatedOutputInvalidatesTheStampAndIsNamed()
    {
        File.WriteAllBytes(_model, [1, 2, 3]);
        (bool invalidated, FakeBuildEngine engine) = Check();
        Assert.True(invalidated);
        Assert.False(File.Exists(_stamp));
        string message = Assert.Single(engine.Messages, m => m.Importance == MessageImportance.High).Message!;
        Assert.Contains(_model, message, StringComparison.Ordinal);
        Assert.Contains("3 bytes, was 8", message, StringComparison.Ordinal);
        Assert.Contains("running the export stage again", message, StringComparison.Ordinal);
    }

    [Fact]
    public void BytesAppendedInvalidateTheStamp()
    {
        File.AppendAllText(_report, "garbage");
        Assert.True(Check().Invalidated);
    }

    [Fact]
    public void SameSizeDifferentContentInvalidatesTheStamp()
    {
        File.WriteAllBytes(_model, [8, 7, 6, 5, 4, 3, 2, 1]);
        (bool invalidated, FakeBuildEngine engine) = Check();
        Assert.True(invalidated);
        Assert.Contains("same size, different content", engine.Messages.Single(m => m.Importance == MessageImportance.High).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingOutputInvalidatesTheStamp()
    {
        File.Delete(_report);
        (bool invalidated, FakeBuildEngine engine) = Check();
        Assert.True(invalidated);
        Assert.Contains($"{_report} is missing", engine.Messages.Single(m => m.Importance == MessageImportance.High).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AStampFromBeforeFingerprintsCountsAsChanged()
    {
        File.WriteAllText(_stamp, "");
        Assert.True(Check().Invalidated);
    }

    [Fact]
    public void RewritingAnUnchangedStampMovesItsTimeForward()
    {
        DateTime past = DateTime.UtcNow.AddHours(-1);
        File.SetLastWriteTimeUtc(_stamp, past);
        Assert.True(new WriteStageStamp { BuildEngine = new FakeBuildEngine(), Stamp = _stamp, Outputs = Items(_model, _report) }.Execute());
        Assert.True(File.GetLastWriteTimeUtc(_stamp) > past.AddMinutes(30), "an unchanged stamp kept its old time, so the stage would run on every build");
    }

    [Fact]
    public void NoStampIsNothingToCheck()
    {
        File.Delete(_stamp);
        (bool invalidated, FakeBuildEngine engine) = Check();
        Assert.False(invalidated);
        Assert.Empty(engine.Errors);
    }

    private (bool Invalidated, FakeBuildEngine Engine) Check()
    {
        var engine = new FakeBuildEngine();
        var task = new CheckStageStamp { BuildEngine = engine, Stamp = _stamp, Stage = "export", Outputs = Items(_model, _report) };
        Assert.True(task.Execute());
        return (task.Invalidated, engine);
    }

    private static ITaskItem[] Items(params string[] paths) => paths.Select(p => (ITaskItem)new TaskItem(p)).ToArray();
}
