using System.Text.Json;

namespace AutoRec.Contracts.Tests;

public sealed class ActivationTests
{
    [Fact]
    public void EveryActivationHasOneNameThatParsesBack()
    {
        Assert.Equal(Enum.GetValues<Activation>().Length, Activations.All.Count);
        Assert.Equal(Activations.All.Count, Activations.Names.Distinct().Count());
        foreach (Activation activation in Enum.GetValues<Activation>())
        {
            Assert.Equal(activation, Activations.Parse(activation.Name()));
        }
    }

    [Theory]
    [InlineData("leaky_relu", Activation.LeakyRelu)]
    [InlineData("identity", Activation.Identity)]
    [InlineData("swish", Activation.Swish)]
    public void ConfigNamesMapToValues(string name, Activation expected)
    {
        Assert.Equal(expected, JsonSerializer.Deserialize<Activation>($"\"{name}\""));
        Assert.Equal($"\"{name}\"", JsonSerializer.Serialize(expected));
    }

    [Theory]
    [InlineData("\"softplus\"", "unknown activation 'softplus'")]
    [InlineData("\"LeakyRelu\"", "use one of sigmoid, identity")]
    [InlineData("3", "unknown activation")]
    public void AnUnknownNameListsTheAcceptedOnes(string json, string expected)
    {
        var error = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Activation>(json));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.False(Activations.TryParse("softplus", out _));
    }

    [Theory]
    [InlineData(Activation.Sigmoid, 0f, 0.5f)]
    [InlineData(Activation.Relu, -2f, 0f)]
    [InlineData(Activation.LeakyRelu, -2f, -0.6f)]
    [InlineData(Activation.Elu, 1.5f, 1.5f)]
    [InlineData(Activation.Identity, -3f, -3f)]
    public void ApplyComputesTheFormula(Activation activation, float x, float expected) =>
        Assert.Equal(expected, activation.Apply(x), 6);

    [Fact]
    public void SeluAndSwishMatchTheirDefinitions()
    {
        Assert.Equal(Activations.SeluGamma * Activations.SeluAlpha * (MathF.Exp(-1f) - 1f), Activation.Selu.Apply(-1f), 6);
        Assert.Equal(2f / (1f + MathF.Exp(-2f)), Activation.Swish.Apply(2f), 6);
        Assert.Equal(MathF.Tanh(0.3f), Activation.Tanh.Apply(0.3f), 6);
    }
}
