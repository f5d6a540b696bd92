namespace AutoRec.Contracts.Tests;

public sealed class RmseTests
{
    [Fact]
    public void GlobalAndPerUserMeanDifferAsDefined()
    {
        var rmse = new RmseAccumulator();
        rmse.Add(userId: 1, predicted: 4, actual: 5); // user 1: errors 1, 3
        rmse.Add(userId: 1, predicted: 2, actual: 5);
        rmse.Add(userId: 2, predicted: 3, actual: 3); // user 2: error 0
        rmse.Skip();
        RmseResult result = rmse.Result();
        Assert.Equal(Math.Sqrt((1 + 9 + 0) / 3.0), result.Global, 12);
        Assert.Equal((Math.Sqrt(5) + 0) / 2, result.UserMean, 12);
        Assert.Equal(3, result.Count);
        Assert.Equal(1, result.Skipped);
    }

    [Fact]
    public void NothingScoredIsNaN()
    {
        var rmse = new RmseAccumulator();
        rmse.Skip();
        RmseResult result = rmse.Result();
        Assert.True(double.IsNaN(result.Global));
        Assert.True(double.IsNaN(result.UserMean));
        Assert.Equal(0, result.Count);
        Assert.Equal(1, result.Skipped);
    }
}
