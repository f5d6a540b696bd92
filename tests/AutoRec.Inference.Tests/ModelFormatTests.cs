namespace AutoRec.Inference.Tests;

/// <summary>Missing, corrupt and foreign model files are refused with the path and a code.</summary>
public sealed class ModelFormatTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void MissingFile()
    {
        string path = _dir.PathOf("nowhere.onnx");
        var error = Assert.Throws<ModelFormatException>(() => RecommenderModel.Open(path));
        Assert.Equal(ModelErrorCodes.MissingFile, error.Code);
        Assert.Equal(path, error.ModelPath);
        Assert.StartsWith(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GarbageFile()
    {
        string path = _dir.PathOf("garbage.onnx");
        File.WriteAllBytes(path, Enumerable.Range(0, 500).Select(i => (byte)(i * 37)).ToArray());
        var error = Assert.Throws<ModelFormatException>(() => RecommenderModel.Open(path));
        Assert.Equal(ModelErrorCodes.NotLoadable, error.Code);
        Assert.Equal(path, error.ModelPath);
    }

    [Fact]
    public void EmptyFile()
    {
        string path = _dir.PathOf("empty.onnx");
        File.WriteAllBytes(path, []);
        Assert.Equal(ModelErrorCodes.NotLoadable, Assert.Throws<ModelFormatException>(() => RecommenderModel.Open(path)).Code);
    }

    [Fact]
    public void TruncatedModel()
    {
        TestModel written = TestModels.Write(_dir.Root, new ModelSpec());
        byte[] bytes = File.ReadAllBytes(written.Path);
        string path = _dir.PathOf("truncated.onnx");
        File.WriteAllBytes(path, bytes[..(bytes.Length * 2 / 3)]);
        var error = Assert.Throws<ModelFormatException>(() => RecommenderModel.Open(path));
        Assert.Equal(ModelErrorCodes.NotLoadable, error.Code);
    }

    [Fact]
    public void GarbageStreamIsNamed()
    {
        using var stream = new MemoryStream([1, 2, 3, 4, 5]);
        var error = Assert.Throws<ModelFormatException>(() => RecommenderModel.Open(stream, name: "upload #3"));
        Assert.Equal("upload #3", error.ModelPath);
    }

    [Fact]
    public void ForeignModelWithOtherInputs()
    {
        byte[] foreign = ForeignModels.Identity(4);
        string path = _dir.PathOf("foreign.onnx");
        File.WriteAllBytes(path, foreign);

        var error = Assert.Throws<ModelFormatException>(() => RecommenderModel.Open(path));
        Assert.Equal(ModelErrorCodes.WrongSignature, error.Code);
        Assert.Contains("'ratings'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OurGraphWithoutMetadata()
    {
        string path = TestModels.WriteChanged(_dir.Root, "bare.onnx", new ModelSpec(), m => m.MetadataProps.Clear());
        var error = Assert.Throws<ModelFormatException>(() => RecommenderModel.Open(path));
        Assert.Equal(ModelErrorCodes.BadMetadata, error.Code);
        Assert.Contains("autorec.", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("autorec.kind", "sideways", "neither")]
    [InlineData("autorec.input_ids", "[1, 2, 3]", "3 entries")]
    [InlineData("autorec.output_ids", "[1, 2, 3, 4, 5, 6, 6]", "duplicate")]
    [InlineData("autorec.input_ids", "not json", "autorec.input_ids")]
    [InlineData("autorec.rating_min", "one", "autorec.rating_min")]
    [InlineData("autorec.rating_max", "0", "below")]
    [InlineData("autorec.side_features", "[\"a\"]", "side")]
    public void BadMetadataIsNamed(string key, string value, string expected)
    {
        var spec = new ModelSpec();
        Dictionary<string, string> metadata = TestModels.Metadata(spec);
        metadata[key] = value;
        string path = TestModels.WriteChanged(_dir.Root, "bad.onnx", spec, _ => { }, metadata);
        var error = Assert.Throws<ModelFormatException>(() => RecommenderModel.Open(path));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Equal(path, error.ModelPath);
    }

    [Fact]
    public void MissingMetadataKeyIsNamed()
    {
        var spec = new ModelSpec();
        Dictionary<string, string> metadata = TestModels.Metadata(spec);
        metadata.Remove("autorec.output_ids");
        string path = TestModels.WriteChanged(_dir.Root, "partial.onnx", spec, _ => { }, metadata);
        var error = Assert.Throws<ModelFormatException>(() => RecommenderModel.Open(path));
        Assert.Equal(ModelErrorCodes.BadMetadata, error.Code);
        Assert.Contains("'autorec.output_ids' is missing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SideInputWithoutSideFeatureNames()
    {
        var spec = new ModelSpec { SideWidth = 2 };
        Dictionary<string, string> metadata = TestModels.Metadata(spec with { SideWidth = 0 });
        string path = TestModels.WriteChanged(_dir.Root, "side.onnx", spec, _ => { }, metadata);
        var error = Assert.Throws<ModelFormatException>(() => RecommenderModel.Open(path));
        Assert.Equal(ModelErrorCodes.WrongSignature, error.Code);
    }
}
