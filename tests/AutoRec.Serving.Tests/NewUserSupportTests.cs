using System.Net;

namespace AutoRec.Serving.Tests;

/// <summary>An item-based model whose output layer is not linear cannot fold new users in: those requests are 501, the rest works.</summary>
public sealed class NewUserSupportTests
{
    [Fact]
    public async Task ANonLinearItemBasedModelAnswers501ForNewUsersOnly()
    {
        using var folder = new ModelFolder(ModelKind.ItemBased, adjust: spec => spec with { OutputActivation = Activation.Sigmoid });
        await using var app = new ServingApp(folder.Root);
        using HttpClient client = await app.StartReadyAsync();

        Assert.False((await (await client.GetAsync("/v1/model")).OkJsonAsync()).GetProperty("recommendsForRatings").GetBoolean());
        await (await client.PostJsonAsync("/v1/recommendations", """{"ratings": {"101": 5}}"""))
            .ProblemAsync(HttpStatusCode.NotImplemented, "Not supported by this model");
        await (await client.PostJsonAsync("/v1/predictions", """{"ratings": {"101": 5}, "movieIds": [7]}"""))
            .ProblemAsync(HttpStatusCode.NotImplemented, "Not supported by this model");
        (await client.GetAsync($"/v1/users/{folder.UserIds[0]}/recommendations")).EnsureSuccessStatusCode();
        (await client.PostJsonAsync("/v1/predictions", $$"""{"userId": {{folder.UserIds[0]}}, "movieIds": [7]}""")).EnsureSuccessStatusCode();
        (await client.GetAsync("/v1/movies/7/similar")).EnsureSuccessStatusCode();
    }
}
