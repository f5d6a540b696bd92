namespace AutoRec.Inference.Tests;

/// <summary>The model's metadata comes back as written, and ids map to the right columns.</summary>
public sealed class MetadataTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void UserBasedMetadataRoundTrips()
    {
        var spec = new ModelSpec { RatingMin = 0.5f, RatingMax = 5f, Dataset = "ml-tiny", SideWidth = 3 };
        TestModel written = TestModels.Write(_dir.Root, spec);
        using RecommenderModel model = written.Open();

        Assert.Equal(ModelKind.UserBased, model.Kind);
        Assert.Equal(spec.Ids, model.InputIds);
        Assert.Equal(spec.Ids, model.OutputIds);
        Assert.Equal(0.5f, model.Metadata.RatingMin);
        Assert.Equal(5f, model.Metadata.RatingMax);
        Assert.Equal("ml-tiny", model.Metadata.Dataset);
        Assert.Equal("""{"name":"test","kind":"user-based"}""", model.Metadata.ConfigJson);
        Assert.Equal(ModelKind.UserBased, model.Metadata.Kind);
        Assert.Equal(spec.Ids, model.Metadata.InputIds);

        // Metadata is a copy: changing it changes nothing in the model.
        model.Metadata.InputIds[0] = -1;
        Assert.Equal(spec.Ids, model.Metadata.InputIds);
        Assert.Equal(spec.Ids, model.InputIds);
        Assert.Equal(["feature=0", "feature=1", "feature=2"], model.SideFeatures);
        Assert.Equal(7, model.InputWidth);
        Assert.Equal(7, model.OutputWidth);
        Assert.Equal(3, model.SideWidth);
        Assert.Equal(written.Path, model.Source);
    }

    [Fact]
    public void ItemBasedKindIsRead()
    {
        TestModel written = TestModels.Write(_dir.Root, new ModelSpec { Kind = ModelKind.ItemBased, Ids = [4, 2, 9] });
        using RecommenderModel model = written.Open();
        Assert.Equal(ModelKind.ItemBased, model.Kind);
        Assert.Equal([4, 2, 9], model.InputIds);
        Assert.Empty(model.SideFeatures);
        Assert.Equal(0, model.SideWidth);
    }

    [Fact]
    public void OpensFromStream()
    {
        TestModel written = TestModels.Write(_dir.Root, new ModelSpec());
        using var stream = new MemoryStream(File.ReadAllBytes(written.Path));
        using RecommenderModel model = RecommenderModel.Open(stream, name: "in-memory");
        Assert.Equal("in-memory", model.Source);
        Assert.Equal(written.Spec.Ids, model.OutputIds);
        Assert.Equal(written.Reference(new Dictionary<int, float> { [7] = 4f }), model.Predict(new Dictionary<int, float> { [7] = 4f }), Tolerance.Comparer);
    }

    [Fact]
    public void IdsMapToTheirColumns()
    {
        TestModel written = TestModels.Write(_dir.Root, new ModelSpec());
        using RecommenderModel model = written.Open();
        for (int i = 0; i < written.Spec.Ids.Length; i++)
        {
            Assert.True(model.TryGetInputIndex(written.Spec.Ids[i], out int input));
            Assert.True(model.TryGetOutputIndex(written.Spec.Ids[i], out int output));
            Assert.Equal(i, input);
            Assert.Equal(i, output);
        }

        Assert.False(model.TryGetInputIndex(1, out _));
        Assert.False(model.TryGetOutputIndex(1, out _));
    }

    [Fact]
    public void EachRatingReachesTheColumnOfItsId()
    {
        // One rating at a time: a model that mixed up ids and indices would predict another column's input.
        TestModel written = TestModels.Write(_dir.Root, new ModelSpec { HiddenActivation = Activation.Relu, Hidden = [9] });
        using RecommenderModel model = written.Open();
        foreach (int id in written.Spec.Ids)
        {
            var ratings = new Dictionary<int, float> { [id] = 5f };
            Assert.Equal(written.Reference(ratings), model.Predict(ratings), Tolerance.Comparer);
        }
    }
}
