using System.Text.Json;
using AutoRec.Training.Training;

namespace AutoRec.Training.Tests;

/// <summary>The validation schedule on its own: plain numbers in, decisions out (no libtorch).</summary>
public sealed class PlateauPolicyTests
{
    private static RmseResult Validation(double rmse) => new(rmse, rmse, 10);

    private static (PlateauState State, EpochVerdict[] Verdicts) Observe(PlateauPolicy policy, params double[] rmses)
    {
        var state = new PlateauState { LearningRate = 1 };
        EpochVerdict[] verdicts = rmses.Select((rmse, i) => policy.Observe(state, i + 1, Validation(rmse))).ToArray();
        return (state, verdicts);
    }

    [Fact]
    public void A_lower_validation_rmse_is_a_new_best_and_an_equal_one_is_not()
    {
        (PlateauState state, EpochVerdict[] verdicts) = Observe(new PlateauPolicy(10, 0, 0, 0.5), 1.0, 0.9, 0.9, 0.95, 0.8);
        Assert.Equal([true, true, false, false, true], verdicts.Select(v => v.IsBest));
        Assert.Equal(5, state.BestEpoch);
        Assert.Equal(0.8, state.BestValidationRmse);
        Assert.Equal(1, state.LearningRate);
        Assert.DoesNotContain(verdicts, v => v.LearningRateDecayed || v.StoppedEarly || v.Finished);
    }

    [Fact]
    public void The_learning_rate_decays_after_lr_decay_patience_epochs_without_improvement()
    {
        // Best at 1; no improvement at 2, 3 (decay), 4, 5 (decay); improvement at 6 resets the count; 7 alone does not decay.
        (PlateauState state, EpochVerdict[] verdicts) = Observe(new PlateauPolicy(10, 0, 2, 0.25), 1.0, 1.1, 1.2, 1.0, 1.3, 0.5, 0.6);
        Assert.Equal([false, false, true, false, true, false, false], verdicts.Select(v => v.LearningRateDecayed));
        Assert.Equal(0.25 * 0.25, state.LearningRate);
        Assert.Equal(1, state.EpochsWithoutImprovement);
        Assert.Equal(6, state.BestEpoch);
    }

    [Fact]
    public void Training_stops_after_patience_epochs_without_improvement()
    {
        (PlateauState state, EpochVerdict[] verdicts) = Observe(new PlateauPolicy(100, 3, 0, 0.5), 1.0, 0.9, 0.95, 0.91, 0.92);
        Assert.Equal([false, false, false, false, true], verdicts.Select(v => v.StoppedEarly));
        Assert.True(verdicts[^1].Finished);
        Assert.True(state.StoppedEarly);
        Assert.True(state.Finished);
        Assert.Equal(2, state.BestEpoch);
    }

    [Fact]
    public void The_last_epoch_finishes_the_run_without_an_early_stop()
    {
        (PlateauState state, EpochVerdict[] verdicts) = Observe(new PlateauPolicy(3, 5, 0, 0.5), 1.0, 1.1, 1.2);
        Assert.Equal([false, false, true], verdicts.Select(v => v.Finished));
        Assert.False(state.StoppedEarly);
    }

    [Fact]
    public void Without_validation_ratings_every_epoch_is_the_best()
    {
        var policy = new PlateauPolicy(10, 2, 1, 0.5);
        var state = new PlateauState { LearningRate = 1 };
        var empty = new RmseResult(double.NaN, double.NaN, 0);
        for (int epoch = 1; epoch <= 4; epoch++)
        {
            EpochVerdict verdict = policy.Observe(state, epoch, empty);
            Assert.True(verdict.IsBest);
            Assert.False(verdict.LearningRateDecayed || verdict.StoppedEarly);
        }

        Assert.Equal(4, state.BestEpoch);
        Assert.True(double.IsNaN(state.BestValidationRmse));
    }

    [Fact]
    public void A_state_restored_from_its_json_decides_as_the_uninterrupted_one()
    {
        // Best at 2, a decay at 4, best at 5, decays at 7 and 9, and an early stop at 9.
        var policy = new PlateauPolicy(12, 4, 2, 0.5);
        double[] rmses = [1.0, 0.9, 0.95, 0.97, 0.89, 0.9, 0.91, 0.92, 0.93];
        (PlateauState straight, EpochVerdict[] expected) = Observe(policy, rmses);
        Assert.Equal([4, 7, 9], expected.Select((v, i) => (v, i + 1)).Where(p => p.v.LearningRateDecayed).Select(p => p.Item2));
        Assert.True(expected[^1].StoppedEarly);

        var state = new PlateauState { LearningRate = 1 };
        var verdicts = new List<EpochVerdict>();
        for (int epoch = 1; epoch <= rmses.Length; epoch++)
        {
            if (epoch == 6)
            {
                state = JsonSerializer.Deserialize<PlateauState>(JsonSerializer.Serialize(state))!; // a checkpoint round trip
            }

            verdicts.Add(policy.Observe(state, epoch, Validation(rmses[epoch - 1])));
        }

        Assert.Equal(expected, verdicts);
        Assert.Equal(JsonSerializer.Serialize(straight), JsonSerializer.Serialize(state));
    }

    [Fact]
    public void The_policy_reads_its_settings_from_the_config()
    {
        var config = SyntheticRatings.Config() with { Epochs = 7, Patience = 3, LrDecayPatience = 2, LrDecayFactor = 0.1 };
        Assert.Equal(new PlateauPolicy(7, 3, 2, 0.1), PlateauPolicy.For(config));
    }
}
