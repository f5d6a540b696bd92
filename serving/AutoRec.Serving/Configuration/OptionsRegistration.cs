namespace AutoRec.Serving.Configuration;

/// <summary>The service's option sections, bound from configuration and checked when the host starts.</summary>
internal static class OptionsRegistration
{
    public static IServiceCollection AddServingOptions(this IServiceCollection services)
    {
        services.AddOptions<ServingOptions>().BindConfiguration(ServingOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ModelOptions>().BindConfiguration(ModelOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<BatchingOptions>().BindConfiguration(BatchingOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ExperimentsOptions>().BindConfiguration(ExperimentsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        return services;
    }
}
