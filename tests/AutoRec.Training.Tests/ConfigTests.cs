using AutoRec.Training.Configuration;

namespace AutoRec.Training.Tests;

public sealed class ConfigTests
{
    [Fact]
    public void A_config_round_trips_through_json()
    {
        ModelConfig config = SyntheticRatings.Config() with { Layers = [512, 256, 512], HiddenActivation = "selu", Default = DefaultRating.UserMean, DenseRefeeding = true };
        Assert.Equal(config.ToJson(), ModelConfig.Parse(config.ToJson(), "c.json").ToJson());
        Assert.Contains("\"kind\": \"user-based\"", config.ToJson(), StringComparison.Ordinal);
        Assert.Contains("\"default\": \"user-mean\"", config.ToJson(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\n  \"layers\": [500],\n  \"hidden_activation\": \"softplus\"\n}", "unknown activation 'softplus'")]
    [InlineData("{\n  \"lerning_rate\": 0.1\n}", "lerning_rate")]
    [InlineData("{\n  \"layers\": []\n}", "layers must be")]
    [InlineData("{\n  \"layers\": [500, 200],\n  \"tied_weights\": true\n}", "tied_weights")]
    [InlineData("{\n  \"dropout\": 1.5\n}", "dropout")]
    [InlineData("{\n  \"kind\": \"movie-based\"\n}", "kind")]
    public void Bad_configs_fail_with_a_message_that_names_the_problem(string json, string expected)
    {
        var error = Assert.Throws<ConfigException>(() => ModelConfig.Parse(json, "bad.json"));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.StartsWith("bad.json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_json_syntax_error_is_located_by_line()
    {
        var error = Assert.Throws<ConfigException>(() => ModelConfig.Parse("{\n  \"epochs\": 5,\n  \"seed\": oops\n}", "bad.json"));
        Assert.Equal(3, error.Line);
    }

    [Fact]
    public void The_shipped_configs_are_valid()
    {
        string dir = Path.Combine(AppContext.BaseDirectory, "configs");
        string[] files = Directory.GetFiles(dir, "*.json");
        Assert.NotEmpty(files);
        foreach (string file in files)
        {
            _ = ModelConfig.Load(file);
        }
    }
}
