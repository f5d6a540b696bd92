using Microsoft.Extensions.Configuration.Json;

namespace AutoRec.Serving.Configuration;

/// <summary>Reads the appsettings.json that ships beside the binary, whatever the current directory.</summary>
internal static class ShippedSettings
{
    /// <summary>
    /// The content root is the current directory, so <c>dotnet run --project serving/AutoRec.Serving</c> from the
    /// repository root would find no appsettings.json. The shipped one is added just below the content root's, so
    /// that one, the environment and the command line still override it.
    /// </summary>
    public static void AddShippedSettings(this ConfigurationManager configuration)
    {
        var shipped = new JsonConfigurationSource
        {
            Path = Path.Combine(AppContext.BaseDirectory, "appsettings.json"),
            Optional = true,
            ReloadOnChange = false,
        };
        shipped.ResolveFileProvider();
        int contentRoot = configuration.Sources.ToList().FindIndex(source => source is JsonConfigurationSource { Path: "appsettings.json" });
        configuration.Sources.Insert(Math.Max(contentRoot, 0), shipped);
    }
}
