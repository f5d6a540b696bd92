namespace AutoRec.Contracts.Tests;

public sealed class RatingScaleTests
{
    [Theory]
    [InlineData(3f, true)]
    [InlineData(3.5f, false)]
    [InlineData(0f, false)]
    [InlineData(6f, false)]
    public void WholeStarsHoldWholeValuesFromOneToFive(float value, bool expected) =>
        Assert.Equal(expected, RatingScale.WholeStars.Contains(value));

    [Fact]
    public void TheScaleRoundTripsThroughMetadataUnderTheContractKeys()
    {
        Dictionary<string, string> metadata = RatingScale.HalfStars.ToMetadata();
        Assert.Equal("0.5", metadata[ModelMetadataKeys.RatingMin]);
        Assert.Equal("0.5", metadata[ModelMetadataKeys.RatingStep]);
        Assert.Equal(RatingScale.HalfStars, RatingScale.FromMetadata(metadata));
        Assert.Null(RatingScale.FromMetadata(new Dictionary<string, string>()));
    }
}
