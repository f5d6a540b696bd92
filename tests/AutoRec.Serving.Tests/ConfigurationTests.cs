using AutoRec.Serving.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AutoRec.Serving.Tests;

/// <summary>Settings are checked when the service starts (the app's own registration): a wrong one names itself.</summary>
public sealed class ConfigurationTests
{
    [Theory]
    [InlineData("Serving:Host", "nowhere")]
    [InlineData("Serving:Port", "70000")]
    [InlineData("Serving:MaxResults", "0")]
    [InlineData("Serving:MaxRequestBodyBytes", "10")]
    [InlineData("Model:Directory", "")]
    [InlineData("Model:ReloadDelay", "01:00:00")]
    [InlineData("Batching:MaxBatchSize", "0")]
    public void AWrongSettingIsRefusedByName(string key, string value)
    {
        using ServiceProvider services = ServicesWith(key, value);

        OptionsValidationException e = Assert.Throws<OptionsValidationException>(() => Resolve(services, key.Split(':')[0]));

        Assert.Contains(key.Split(':')[1], e.Message);
    }

    [Fact]
    public void TheDefaultsAreValid()
    {
        using ServiceProvider services = ServicesWith("Unrelated:Key", "1");

        Assert.Equal("127.0.0.1", services.GetRequiredService<IOptions<ServingOptions>>().Value.Host);
        Assert.Equal("artifacts/ml-1m", services.GetRequiredService<IOptions<ModelOptions>>().Value.Directory);
        Assert.True(services.GetRequiredService<IOptions<BatchingOptions>>().Value.Enabled);
    }

    private static ServiceProvider ServicesWith(string key, string value)
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection([new(key, value)]).Build();
        return new ServiceCollection().AddSingleton(configuration).AddServingOptions().BuildServiceProvider();
    }

    private static object Resolve(IServiceProvider services, string section) => section switch
    {
        ServingOptions.Section => services.GetRequiredService<IOptions<ServingOptions>>().Value,
        ModelOptions.Section => services.GetRequiredService<IOptions<ModelOptions>>().Value,
        _ => services.GetRequiredService<IOptions<BatchingOptions>>().Value,
    };
}
