namespace AutoRec.Contracts.Tests;

public sealed class ModelMetadataTests
{
    private static readonly ModelMetadata Sample = new(
        ModelKind.ItemBased, [3, 1, 2], [3, 1, 2], 0.5f, 5f, "ml-latest-small", "{\"kind\": \"item-based\"}", ["genre=Drama", "genre=War"]);

    [Fact]
    public void MetadataRoundTripsThroughTheModelFileProperties()
    {
        ModelMetadata read = ModelMetadata.FromProperties(Sample.ToProperties());
        Assert.Equal(Sample.Kind, read.Kind);
        Assert.Equal(Sample.InputIds, read.InputIds);
        Assert.Equal(Sample.OutputIds, read.OutputIds);
        Assert.Equal(Sample.RatingMin, read.RatingMin);
        Assert.Equal(Sample.RatingMax, read.RatingMax);
        Assert.Equal(Sample.Dataset, read.Dataset);
        Assert.Equal(Sample.ConfigJson, read.ConfigJson);
        Assert.Equal(Sample.SideFeatures, read.SideFeatures);
    }

    [Fact]
    public void PropertiesUseTheDocumentedKeysAndSpellings()
    {
        IReadOnlyDictionary<string, string> properties = Sample.ToProperties();
        Assert.Equal("item-based", properties["autorec.kind"]);
        Assert.Equal("[3,1,2]", properties["autorec.input_ids"]);
        Assert.Equal("0.5", properties["autorec.rating_min"]);
        Assert.Equal("[\"genre=Drama\",\"genre=War\"]", properties["autorec.side_features"]);
        Assert.All(properties.Keys, key => Assert.StartsWith("autorec.", key, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(ModelMetadataKeys.Kind, "sideways", "neither")]
    [InlineData(ModelMetadataKeys.InputIds, "not json", "autorec.input_ids")]
    [InlineData(ModelMetadataKeys.OutputIds, "[1, 1]", "duplicate")]
    [InlineData(ModelMetadataKeys.InputIds, "[]", "must not be empty")]
    [InlineData(ModelMetadataKeys.RatingMin, "one", "'one' is not a number")]
    [InlineData(ModelMetadataKeys.RatingMax, "0", "below")]
    [InlineData(ModelMetadataKeys.SideFeatures, "null", "null")]
    public void ABadEntryIsNamed(string key, string value, string expected)
    {
        var properties = new Dictionary<string, string>(Sample.ToProperties()) { [key] = value };
        var error = Assert.Throws<ModelMetadataException>(() => ModelMetadata.FromProperties(properties));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingEntryIsNamed()
    {
        var properties = new Dictionary<string, string>(Sample.ToProperties());
        properties.Remove(ModelMetadataKeys.Dataset);
        var error = Assert.Throws<ModelMetadataException>(() => ModelMetadata.FromProperties(properties));
        Assert.Equal(ModelMetadataKeys.Dataset, error.Key);
        Assert.Contains("'autorec.dataset' is missing", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ModelKind.UserBased, "user-based", "user", "movie")]
    [InlineData(ModelKind.ItemBased, "item-based", "movie", "user")]
    public void KindsHaveOneSpelling(ModelKind kind, string name, string row, string column)
    {
        Assert.Equal(name, kind.Name());
        Assert.True(ModelKinds.TryParse(name, out ModelKind parsed));
        Assert.Equal(kind, parsed);
        Assert.Equal(row, kind.RowEntity());
        Assert.Equal(column, kind.ColumnEntity());
        Assert.Equal($"\"{name}\"", System.Text.Json.JsonSerializer.Serialize(kind));
    }
}
