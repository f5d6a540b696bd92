namespace AutoRec.Contracts.Tests;

public sealed class ModelGraphTests
{
    [Fact]
    public void LayerInitializersAreNamedByIndex()
    {
        Assert.Equal("layer0.weight", ModelGraph.LayerWeight(0));
        Assert.Equal("layer12.bias", ModelGraph.LayerBias(12));
        Assert.Equal(["ratings", "side", "predictions"], [ModelGraph.RatingsInput, ModelGraph.SideInput, ModelGraph.PredictionsOutput]);
    }
}
