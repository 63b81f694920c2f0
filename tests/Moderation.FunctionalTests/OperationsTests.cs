using System.Net;
using System.Text.Json.Nodes;
using Moderation.FunctionalTests.Infrastructure;

namespace Moderation.FunctionalTests;

/// <summary>What operators and browsers see around the API: health, the OpenAPI document, CORS.</summary>
public sealed class OperationsTests(StandaloneApp app) : IClassFixture<StandaloneApp>
{
    private readonly HttpClient _http = app.CreateClient();

    [Fact]
    public async Task Without_SSO_the_console_offers_none_and_reaches_only_its_own_origin()
    {
        var config = await _http.GetAsync("/console/config.json");
        var page = await _http.GetAsync("/console/");

        Assert.Equal(HttpStatusCode.OK, config.StatusCode);
        Assert.Equal("""{"sso":null}""", await config.Content.ReadAsStringAsync());
        Assert.Contains("connect-src 'self';", page.Headers.GetValues("Content-Security-Policy").Single());
    }

    [Fact]
    public async Task Liveness_is_ok()
    {
        var response = await _http.GetAsync("/health/live");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Readiness_is_ok_and_names_the_database()
    {
        var response = await _http.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("Healthy", (string?)report["status"]);
        Assert.Equal("Healthy", (string?)report["checks"]?["database"]?["status"]);
    }

    [Fact]
    public async Task OpenApi_document_describes_the_public_endpoints()
    {
        var response = await _http.GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var paths = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["paths"]!.AsObject();
        Assert.True(paths.ContainsKey("/api/v1/comments"), string.Join(", ", paths.Select(p => p.Key)));
        Assert.True(paths.ContainsKey("/api/v1/counts"));
        Assert.True(paths.ContainsKey("/api/v1/comments/{id}/status"));
        Assert.NotNull(paths["/api/v1/comments"]!["post"]);
        Assert.NotNull(paths["/api/v1/comments"]!["get"]);
    }

    private static HttpRequestMessage Preflight(string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, "/api/v1/comments");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "content-type");
        return request;
    }

    [Fact]
    public async Task Preflight_from_an_allowed_origin_is_allowed()
    {
        var response = await _http.SendAsync(Preflight(StandaloneApp.AllowedOrigin));

        Assert.True(response.IsSuccessStatusCode, $"preflight answered {(int)response.StatusCode}");
        Assert.Equal(StandaloneApp.AllowedOrigin, response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("POST", response.Headers.GetValues("Access-Control-Allow-Methods").Single());
    }

    [Fact]
    public async Task Preflight_from_a_foreign_origin_is_not_allowed()
    {
        var response = await _http.SendAsync(Preflight("https://evil.example"));

        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Read_from_an_allowed_origin_may_see_the_etag()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, CommentsClient.ThreadUrl(CommentsClient.NewThread()));
        request.Headers.Add("Origin", StandaloneApp.AllowedOrigin);

        var response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(StandaloneApp.AllowedOrigin, response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("ETag", response.Headers.GetValues("Access-Control-Expose-Headers").Single());
    }
}
