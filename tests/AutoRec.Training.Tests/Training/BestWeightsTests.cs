using AutoRec.Training.Training;
using static TorchSharp.torch;

namespace AutoRec.Training.Tests;

public sealed class BestWeightsTests
{
    [Fact]
    public void Restoring_puts_back_the_captured_values()
    {
        Tensor[] parameters = [tensor(new float[] { 1, 2, 3, 4 }).reshape(2, 2), tensor(new float[] { 5, 6 })];
        var best = new BestWeights();
        Assert.False(best.HasSnapshot);
        best.Capture(parameters);
        Assert.True(best.HasSnapshot);

        parameters[0].mul_(10);
        parameters[1].add_(1);
        best.RestoreTo(parameters);
        Assert.Equal([1f, 2f, 3f, 4f], parameters[0].data<float>().ToArray());
        Assert.Equal([2L, 2L], parameters[0].shape);
        Assert.Equal([5f, 6f], parameters[1].data<float>().ToArray());
    }

    [Fact]
    public void A_new_capture_reuses_the_arrays_of_the_previous_one()
    {
        Tensor[] parameters = [tensor(new float[] { 1, 2, 3 })];
        var best = new BestWeights();
        best.Capture(parameters);
        float[] first = best.Arrays[0];
        parameters[0].add_(1);
        best.Capture(parameters);
        Assert.Same(first, best.Arrays[0]);
        Assert.Equal([2f, 3f, 4f], best.Arrays[0]);
    }

    [Fact]
    public void Weights_read_from_a_checkpoint_restore_into_the_network()
    {
        Tensor[] parameters = [zeros(3)];
        BestWeights.Of([[7f, 8f, 9f]]).RestoreTo(parameters);
        Assert.Equal([7f, 8f, 9f], parameters[0].data<float>().ToArray());
    }

    [Fact]
    public void Restoring_without_a_snapshot_or_into_another_network_fails()
    {
        Assert.Throws<InvalidOperationException>(() => new BestWeights().RestoreTo([zeros(2)]));
        Assert.Throws<ArgumentException>(() => BestWeights.Of([[1f]]).RestoreTo([zeros(1), zeros(1)]));
    }
}
