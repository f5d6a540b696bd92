using System.Net;
using System.Text;
using System.Text.Json;

namespace AutoRec.Serving.Tests;

/// <summary>Every client mistake is a 4xx problem+json that says what is wrong; none is a 500.</summary>
public sealed class BadInputTests(UserBasedService served) : IClassFixture<UserBasedService>
{
    private HttpClient Client => served.Client;

    public static TheoryData<string, string, HttpStatusCode, string> BadPosts => new()
    {
        // url, body, status, title
        { "/v1/recommendations", """{"ratings": {"101": 5}""", HttpStatusCode.BadRequest, "Malformed JSON" },
        { "/v1/recommendations", """{"ratings": {"101": "five"}}""", HttpStatusCode.BadRequest, "Malformed JSON" },
        { "/v1/recommendations", """{"ratings": {"abc": 5}}""", HttpStatusCode.BadRequest, "Malformed JSON" },
        { "/v1/recommendations", """{"ratings": {"101": 5}, "count": 3}""", HttpStatusCode.BadRequest, "Malformed JSON" },
        { "/v1/recommendations", """[1, 2]""", HttpStatusCode.BadRequest, "Malformed JSON" },
        { "/v1/recommendations", """null""", HttpStatusCode.BadRequest, "Malformed JSON" },
        { "/v1/recommendations", "", HttpStatusCode.BadRequest, "Malformed JSON" },
        { "/v1/recommendations", """{"n": 3}""", HttpStatusCode.BadRequest, "Missing ratings" },
        { "/v1/recommendations", """{"ratings": {"101": 5, "999": 4, "-3": 2}}""", HttpStatusCode.BadRequest, "Unknown movie ids" },
        { "/v1/recommendations", """{"ratings": {"500": 4}}""", HttpStatusCode.BadRequest, "Unknown movie ids" },
        { "/v1/recommendations", """{"ratings": {"101": 6}}""", HttpStatusCode.BadRequest, "Rating off the scale" },
        { "/v1/recommendations", """{"ratings": {"101": 0}}""", HttpStatusCode.BadRequest, "Rating off the scale" },
        { "/v1/recommendations", """{"ratings": {"101": 3.5}}""", HttpStatusCode.BadRequest, "Rating off the scale" },
        { "/v1/recommendations", """{"ratings": {"101": -1}}""", HttpStatusCode.BadRequest, "Rating off the scale" },
        { "/v1/recommendations", """{"ratings": {"101": 1e39}}""", HttpStatusCode.BadRequest, null! },
        { "/v1/recommendations", """{"ratings": {"101": 5}, "n": 0}""", HttpStatusCode.BadRequest, "n out of range" },
        { "/v1/recommendations", """{"ratings": {"101": 5}, "n": 101}""", HttpStatusCode.BadRequest, "n out of range" },
        { "/v1/recommendations", """{"ratings": {"101": 5}, "n": 2147483648}""", HttpStatusCode.BadRequest, "Malformed JSON" },
        { "/v1/recommendations", """{"ratings": {"101": 5}, "offset": -1}""", HttpStatusCode.BadRequest, "offset out of range" },
        { "/v1/recommendations", """{"ratings": {"101": 5}, "exclude": [12345]}""", HttpStatusCode.BadRequest, "Unknown movie ids" },
        { "/v1/recommendations", """{"ratings": {"101": 5}, "exclude": [1, 2, 3, 4, 5, 6]}""", HttpStatusCode.BadRequest, "Too many movie ids" },
        { "/v1/recommendations", """{"ratings": {"101": 5}, "genres": ["Comedy", "Western"]}""", HttpStatusCode.BadRequest, "Unknown genre" },
        {
            "/v1/recommendations", """{"ratings": {"101": 5, "7": 4, "55": 3, "3": 2, "250": 1, "18": 5, "9": 4, "42": 3, "64": 2}}""",
            HttpStatusCode.BadRequest, "Too many ratings"
        },
        { "/v1/predictions", """{"movieIds": [101]}""", HttpStatusCode.BadRequest, "User or ratings" },
        { "/v1/predictions", """{"userId": 1, "ratings": {"101": 5}, "movieIds": [101]}""", HttpStatusCode.BadRequest, "User or ratings" },
        { "/v1/predictions", """{"userId": 1}""", HttpStatusCode.BadRequest, "Missing movieIds" },
        { "/v1/predictions", """{"userId": 1, "movieIds": []}""", HttpStatusCode.BadRequest, "Missing movieIds" },
        { "/v1/predictions", """{"userId": 1, "movieIds": [101, 31337]}""", HttpStatusCode.BadRequest, "Unknown movie ids" },
        { "/v1/predictions", """{"userId": 1, "movieIds": [101, 7, 55, 3, 250, 18]}""", HttpStatusCode.BadRequest, "Too many movie ids" },
        { "/v1/predictions", """{"userId": 424242, "movieIds": [101]}""", HttpStatusCode.BadRequest, "Unknown user" },
        { "/v1/predictions", """{"ratings": {"101": 9}, "movieIds": [101]}""", HttpStatusCode.BadRequest, "Rating off the scale" },
        { "/v1/predictions", """{"userId": 1, "movieIds": [101], "extra": true}""", HttpStatusCode.BadRequest, "Malformed JSON" },
    };

    public static TheoryData<string, HttpStatusCode, string> BadGets => new()
    {
        { "/v1/users/424242/recommendations", HttpStatusCode.NotFound, "Unknown user" },
        { "/v1/users/-1/recommendations", HttpStatusCode.NotFound, "Unknown user" },
        { "/v1/users/abc/recommendations", HttpStatusCode.BadRequest, "Invalid request" },
        { "/v1/users/99999999999/recommendations", HttpStatusCode.BadRequest, "Invalid request" },
        { "/v1/users/1/recommendations?n=0", HttpStatusCode.BadRequest, "n out of range" },
        { "/v1/users/1/recommendations?n=101", HttpStatusCode.BadRequest, "n out of range" },
        { "/v1/users/1/recommendations?n=-5", HttpStatusCode.BadRequest, "n out of range" },
        { "/v1/users/1/recommendations?n=ten", HttpStatusCode.BadRequest, "Invalid request" },
        { "/v1/users/1/recommendations?offset=-1", HttpStatusCode.BadRequest, "offset out of range" },
        { "/v1/users/1/recommendations?offset=1001", HttpStatusCode.BadRequest, "offset out of range" },
        { "/v1/users/1/recommendations?genres=Western", HttpStatusCode.BadRequest, "Unknown genre" },
        { "/v1/movies/31337/similar", HttpStatusCode.NotFound, "Unknown movie" },
        { "/v1/movies/500/similar", HttpStatusCode.NotFound, "Unknown movie" },
        { "/v1/movies/101/similar?n=0", HttpStatusCode.BadRequest, "n out of range" },
        { "/v1/movies/101/similar?n=1000", HttpStatusCode.BadRequest, "n out of range" },
        { "/v1/movies/101/similar?genres=Western", HttpStatusCode.BadRequest, "Unknown genre" },
        { "/v1/movies/abc/similar", HttpStatusCode.BadRequest, "Invalid request" },
        { "/v1/nothing-here", HttpStatusCode.NotFound, "Not Found" },
    };

    [Theory]
    [MemberData(nameof(BadPosts))]
    public async Task BadBodiesAreProblems(string url, string body, HttpStatusCode status, string title)
    {
        HttpResponseMessage response = await Client.PostJsonAsync(url, body);

        JsonElement problem = await response.ProblemAsync(status, title);
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
    }

    [Theory]
    [MemberData(nameof(BadGets))]
    public async Task BadPathsAndQueriesAreProblems(string url, HttpStatusCode status, string title)
    {
        await (await Client.GetAsync(url)).ProblemAsync(status, title);
    }

    [Fact]
    public async Task UnknownMovieIdsAreListed()
    {
        JsonElement problem = await (await Client.PostJsonAsync("/v1/recommendations", """{"ratings": {"101": 5, "999": 4, "-3": 2}}"""))
            .ProblemAsync(HttpStatusCode.BadRequest, "Unknown movie ids");

        Assert.Equal([-3, 999], problem.GetProperty("movieIds").EnumerateArray().Select(e => e.GetInt32()));
    }

    [Fact]
    public async Task BodyOverTheLimitIs413WithOrWithoutContentLength()
    {
        string big = """{"ratings": {"101": 5}, "exclude": [""" + string.Join(", ", Enumerable.Repeat(7, 400)) + "]}";
        Assert.True(Encoding.UTF8.GetByteCount(big) > 1024);

        await (await Client.PostJsonAsync("/v1/recommendations", big)).ProblemAsync(HttpStatusCode.RequestEntityTooLarge, "Request body too large");

        // The test server's own client: the factory's default one buffers bodies, which gives them a length.
        using HttpClient streaming = served.App.Server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/predictions") { Content = new UnknownLengthContent(Encoding.UTF8.GetBytes(big)) };
        await (await streaming.SendAsync(request)).ProblemAsync(HttpStatusCode.RequestEntityTooLarge, "Request body too large");
    }

    [Fact]
    public async Task ABodyThatIsNotJsonIs415()
    {
        using var form = new StringContent("ratings=5", Encoding.UTF8, "application/x-www-form-urlencoded");

        await (await Client.PostAsync("/v1/recommendations", form)).ProblemAsync(HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task WrongMethodIs405Problem()
    {
        await (await Client.DeleteAsync("/v1/model")).ProblemAsync(HttpStatusCode.MethodNotAllowed);
    }

    /// <summary>A body sent without Content-Length (chunked on a real connection).</summary>
    internal sealed class UnknownLengthContent : HttpContent
    {
        private readonly byte[] _bytes;

        public UnknownLengthContent(byte[] bytes)
        {
            _bytes = bytes;
            Headers.ContentType = new("application/json");
        }

        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) => stream.WriteAsync(_bytes).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }
    }
}
