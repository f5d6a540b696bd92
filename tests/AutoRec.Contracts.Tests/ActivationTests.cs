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
}
