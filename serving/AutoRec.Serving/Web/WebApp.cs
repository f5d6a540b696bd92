using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace AutoRec.Serving.Web;

/// <summary>
/// The web app (serving/web/app, copied beside the service's assembly as web/): its files under <c>/app</c> and its
/// pages' addresses (<c>/</c>, <c>/users/42</c>, ...) answered with index.html, which routes in the browser. The page
/// uses only the public <c>/v1</c> API, so the API key and rate limits apply to it as to any client.
/// </summary>
internal static class WebApp
{
    /// <summary>The addresses a person may open or bookmark; anything else that is not the API is a 404.</summary>
    private static readonly string[] Pages = ["/", "/users/{id:int}", "/movies/{id:int}", "/model", "/experiments", "/experiments/{suite}"];

    private const string Policy =
        "default-src 'self'; img-src 'self' blob: data:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'";

    public static string Root => Path.Combine(AppContext.BaseDirectory, "web");

    public static WebApplication UseWebApp(this WebApplication app)
    {
        if (!File.Exists(Path.Combine(Root, "index.html")))
        {
            return app; // a build without the web app's files: the API alone
        }

        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new PhysicalFileProvider(Root),
            RequestPath = "/app",
            OnPrepareResponse = file => Secure(file.Context.Response),
        });
        foreach (string page in Pages)
        {
            app.MapGet(page, (HttpContext context) =>
            {
                Secure(context.Response);
                context.Response.Headers.CacheControl = "no-cache";
                return TypedResults.PhysicalFile(Path.Combine(Root, "index.html"), "text/html; charset=utf-8");
            }).ExcludeFromDescription();
        }

        return app;
    }

    private static void Secure(HttpResponse response)
    {
        response.Headers[HeaderNames.ContentSecurityPolicy] = Policy;
        response.Headers[HeaderNames.XContentTypeOptions] = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
    }
}
