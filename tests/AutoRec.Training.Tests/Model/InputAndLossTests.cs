using AutoRec.Onnx;
using AutoRec.Training.Configuration;
using AutoRec.Training.Data;
using AutoRec.Training.Model;
using AutoRec.Training.Training;
using static TorchSharp.torch;

namespace AutoRec.Training.Tests;

public sealed class InputAndLossTests
{
    private static readonly float[] Row = [5, 0, 3, 0, 1];

    [Theory]
    [InlineData(LossKind.MaskedMse)]
    [InlineData(LossKind.MaskedSse)]
    public void Masked_loss_ignores_unknown_entries(LossKind kind)
    {
        Tensor target = tensor(new float[] { 5, 0, 3, 0 }).reshape(1, 4);
        Tensor known = target.ne(0).to_type(ScalarType.Float32);
        Tensor output = tensor(new float[] { 4, 1, 3, 2 }).reshape(1, 4);
        Tensor changedAtUnknown = tensor(new float[] { 4, 100, 3, -50 }).reshape(1, 4);

        float loss = MaskedLoss.Compute(output, target, known, kind).item<float>();
        Assert.Equal(loss, MaskedLoss.Compute(changedAtUnknown, target, known, kind).item<float>());
        Assert.Equal(kind == LossKind.MaskedSse ? 1f : 0.5f, loss, 6);
    }

    [Fact]
    public void Masked_mse_divides_each_row_by_its_own_count()
    {
        Tensor target = tensor(new float[] { 5, 0, 0, 2, 2, 2 }).reshape(2, 3);
        Tensor known = target.ne(0).to_type(ScalarType.Float32);
        Tensor output = tensor(new float[] { 3, 0, 0, 3, 3, 3 }).reshape(2, 3);
        // Row 1: 4 / 1; row 2: 3 / 3; mean 2.5.
        Assert.Equal(2.5f, MaskedLoss.Compute(output, target, known, LossKind.MaskedMse).item<float>(), 6);
    }

    [Theory]
    [InlineData(DefaultRating.Zero, new float[] { 5, 0, 3, 0, 1 })]
    [InlineData(DefaultRating.Constant, new float[] { 5, 2.5f, 3, 2.5f, 1 })]
    [InlineData(DefaultRating.UserMean, new float[] { 5, 3, 3, 3, 1 })]
    public void Defaults_fill_only_unknown_entries(DefaultRating rating, float[] expected)
    {
        TrainingData data = SyntheticRatings.Data();
        var prep = new InputPreparation(SyntheticRatings.Config() with { Default = rating, DefaultValue = 2.5 }, data);
        Tensor x = prep.Prepare(tensor(Row).reshape(1, 5), null, training: false);
        Assert.Equal(expected, x.data<float>().ToArray());
    }

    [Fact]
    public void Item_mean_default_uses_each_columns_training_mean()
    {
        TrainingData data = SyntheticRatings.Data();
        var prep = new InputPreparation(SyntheticRatings.Config() with { Default = DefaultRating.ItemMean }, data);
        var row = new float[data.ColumnCount];
        row[0] = 4;
        float[] x = prep.Prepare(tensor(row).reshape(1, data.ColumnCount), null, training: false).data<float>().ToArray();
        Assert.Equal(4f, x[0]);
        Assert.Equal(data.ColumnMeans[1..], x[1..]);
    }

    [Fact]
    public void Row_mean_of_an_empty_row_is_the_global_mean()
    {
        TrainingData data = SyntheticRatings.Data();
        var prep = new InputPreparation(SyntheticRatings.Config() with { Default = DefaultRating.UserMean }, data);
        float[] x = prep.Prepare(zeros(1, 4), null, training: false).data<float>().ToArray();
        Assert.All(x, v => Assert.Equal(data.GlobalMean, v, 5));
    }

    [Fact]
    public void Masking_noise_hides_observed_ratings_only_and_only_while_training()
    {
        TrainingData data = SyntheticRatings.Data();
        var prep = new InputPreparation(SyntheticRatings.Config() with { MaskingNoise = 0.5, Default = DefaultRating.Constant, DefaultValue = -1 }, data);
        random.manual_seed(3);
        float[] input = Enumerable.Range(0, 1000).Select(i => i % 3 == 0 ? 0f : 4f).ToArray();
        float[] noisy = prep.Prepare(tensor(input).reshape(1, 1000), null, training: true).data<float>().ToArray();
        int hidden = 0;
        for (int i = 0; i < input.Length; i++)
        {
            if (input[i] == 0)
            {
                Assert.Equal(-1f, noisy[i]); // unknown stays unknown (filled)
            }
            else if (noisy[i] == -1f)
            {
                hidden++;
            }
            else
            {
                Assert.Equal(4f, noisy[i]);
            }
        }

        Assert.InRange(hidden, 250, 420); // about half of 666 observed
        float[] clean = prep.Prepare(tensor(input).reshape(1, 1000), null, training: false).data<float>().ToArray();
        Assert.Equal(input.Select(v => v == 0 ? -1f : v), clean);
    }

    [Fact]
    public void Gaussian_noise_and_input_dropout_apply_only_while_training()
    {
        TrainingData data = SyntheticRatings.Data();
        float[] input = Enumerable.Repeat(3f, 500).ToArray();
        var gaussian = new InputPreparation(SyntheticRatings.Config() with { GaussianNoise = 0.5 }, data);
        float[] noisy = gaussian.Prepare(tensor(input).reshape(1, 500), null, training: true).data<float>().ToArray();
        double sd = Math.Sqrt(noisy.Select(v => (v - 3.0) * (v - 3.0)).Average());
        Assert.InRange(sd, 0.4, 0.6);
        Assert.Equal(input, gaussian.Prepare(tensor(input).reshape(1, 500), null, training: false).data<float>().ToArray());

        var dropout = new InputPreparation(SyntheticRatings.Config() with { InputDropout = 0.5 }, data);
        float[] dropped = dropout.Prepare(tensor(input).reshape(1, 500), null, training: true).data<float>().ToArray();
        Assert.All(dropped, v => Assert.True(v == 0f || Math.Abs(v - 6f) < 1e-5, $"{v}"));
        Assert.InRange(dropped.Count(v => v == 0f), 180, 320);
    }

    [Fact]
    public void Side_features_are_appended_to_the_input()
    {
        TrainingData data = SyntheticRatings.Data();
        var prep = new InputPreparation(SyntheticRatings.Config(), data);
        Tensor x = prep.Prepare(tensor(Row).reshape(1, 5), tensor(new float[] { 1, 0 }).reshape(1, 2), training: false);
        Assert.Equal(new float[] { 5, 0, 3, 0, 1, 1, 0 }, x.data<float>().ToArray());
    }

    [Fact]
    public void Item_based_defaults_swap_rows_and_columns()
    {
        Assert.Equal(DefaultFill.RowMean, InputPreparation.FillFor(ModelKind.ItemBased, DefaultRating.ItemMean));
        Assert.Equal(DefaultFill.ColumnMean, InputPreparation.FillFor(ModelKind.ItemBased, DefaultRating.UserMean));
        Assert.Equal(DefaultFill.RowMean, InputPreparation.FillFor(ModelKind.UserBased, DefaultRating.UserMean));
        Assert.Equal(DefaultFill.ColumnMean, InputPreparation.FillFor(ModelKind.UserBased, DefaultRating.ItemMean));
    }
}
