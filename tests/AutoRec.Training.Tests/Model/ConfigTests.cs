using AutoRec.Training.Configuration;

namespace AutoRec.Training.Tests;

public sealed class ConfigTests
{
    [Fact]
    public void A_config_round_trips_through_json()
    {
        ModelConfig config = SyntheticRatings.Config() with { Layers = [512, 256, 512], HiddenActivation = Activation.Selu, Default = DefaultRating.UserMean, DenseRefeeding = true };
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
    [InlineData("{\n  \"lr_schedule\": \"cosine\",\n  \"lr_decay_patience\": 5\n}", "lr_decay_patience must be 0")]
    [InlineData("{\n  \"output_bias\": \"mean\",\n  \"output_activation\": \"sigmoid\"\n}", "output_bias mean needs an identity output_activation")]
    public void Bad_configs_fail_with_a_message_that_names_the_problem(string json, string expected)
    {
        var error = Assert.Throws<ConfigException>(() => ModelConfig.Parse(json, "bad.json"));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.StartsWith("bad.json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Activations_are_read_by_name_and_written_back_the_same()
    {
        ModelConfig config = ModelConfig.Parse(
            "{\n  \"layers\": [8, 4, 8],\n  \"hidden_activations\": [\"selu\", \"leaky_relu\", \"swish\"],\n  \"output_activation\": \"tanh\"\n}", "c.json");
        Assert.Equal([Activation.Selu, Activation.LeakyRelu, Activation.Swish], config.HiddenActivations);
        Assert.Equal(Activation.LeakyRelu, config.ActivationOf(1));
        Assert.Equal(Activation.Tanh, config.OutputActivation);
        Assert.Contains("\"leaky_relu\"", config.ToJson(), StringComparison.Ordinal);
        Assert.Contains("\"hidden_activation\": \"sigmoid\"", config.ToJson(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_activation_is_located_by_line_and_lists_the_accepted_ones()
    {
        var error = Assert.Throws<ConfigException>(() => ModelConfig.Parse("{\n  \"layers\": [8],\n  \"output_activation\": \"gelu\"\n}", "bad.json"));
        Assert.Equal(3, error.Line);
        Assert.StartsWith("bad.json(3): unknown activation 'gelu'; use one of sigmoid, identity, relu", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_json_syntax_error_is_located_by_line()
    {
        var error = Assert.Throws<ConfigException>(() => ModelConfig.Parse("{\n  \"epochs\": 5,\n  \"seed\": oops\n}", "bad.json"));
        Assert.Equal(3, error.Line);
    }

    [Fact]
    public void The_cosine_schedule_falls_from_the_learning_rate_towards_zero_and_is_written_only_when_set()
    {
        ModelConfig constant = new() { LearningRate = 0.01, Epochs = 5 };
        ModelConfig cosine = constant with { LrSchedule = LearningRateSchedule.Cosine };

        Assert.Equal([0.01, 0.01, 0.01], new[] { 1, 3, 5 }.Select(constant.ScheduledLearningRate));
        Assert.Equal(0.01, cosine.ScheduledLearningRate(1), 12);
        Assert.Equal(0.005, (cosine with { Epochs = 4 }).ScheduledLearningRate(3), 12);
        Assert.Equal(0.01 * (1 + Math.Cos(Math.PI * 4 / 5)) / 2, cosine.ScheduledLearningRate(5), 12);
        Assert.DoesNotContain("lr_schedule", constant.ToJson(), StringComparison.Ordinal);
        Assert.Contains("\"lr_schedule\": \"cosine\"", cosine.ToJson(), StringComparison.Ordinal);
        Assert.Equal(cosine, ModelConfig.Parse(cosine.ToJson(), "test") with { Layers = cosine.Layers });
    }

    [Fact]
    public void The_shipped_configs_are_valid()
    {
        string dir = Path.Combine(AppContext.BaseDirectory, "configs");
        string[] files = Directory.GetFiles(dir, "*.json");
        Assert.NotEmpty(files);
        foreach (string file in files)
        {
            if (System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(file), documentOptions: new() { CommentHandling = System.Text.Json.JsonCommentHandling.Skip })
                is System.Text.Json.Nodes.JsonObject { } root && root["blend"] is System.Text.Json.Nodes.JsonArray members)
            {
                // A blend config is the pipeline's: the trainer says so, and each member is a model config of its own.
                var error = Assert.Throws<ConfigException>(() => ModelConfig.Load(file));
                Assert.Contains("this is a blend config", error.Message, StringComparison.Ordinal);
                Assert.All(members, m => ModelConfig.Load(Path.Combine(dir, m!["config"]!.GetValue<string>())));
                continue;
            }

            _ = ModelConfig.Load(file);
        }
    }
}
