using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Moderation.Data.Comments;
using Moderation.FunctionalTests.Infrastructure;

namespace Moderation.FunctionalTests;

/// <summary>
/// Who may call the moderation and admin APIs. The sweeping tests walk every route the host maps under
/// those prefixes, so an endpoint added later is covered without a test of its own.
/// </summary>
public sealed class AccessTests(StandaloneApp app) : IClassFixture<StandaloneApp>
{
    private static readonly string[] StaffPrefixes = ["/api/v1/moderation", "/api/v1/admin"];

    [Fact]
    public async Task Every_staff_endpoint_is_in_the_OpenAPI_document_with_the_key_scheme()
    {
        var document = JsonNode.Parse(await app.CreateClient().GetStringAsync("/openapi/v1.json"))!;
        var paths = document["paths"]!.AsObject();
        Assert.Equal("X-Api-Key", (string?)document["components"]?["securitySchemes"]?["ApiKey"]?["name"]);

        foreach (var (method, route) in StaffRoutes())
        {
            var operation = paths[route]?[method.ToLowerInvariant()];
            Assert.True(operation is not null, $"{method} {route} is not in the OpenAPI document");
            Assert.True(operation["security"]?.AsArray().Count > 0, $"{method} {route} does not say it needs a key");
        }
    }

    [Fact]
    public async Task Every_staff_endpoint_answers_401_without_a_key_or_with_a_wrong_one()
    {
        var anonymous = app.CreateClient();
        var wrongKey = app.StaffClient("mk_this-key-was-never-issued-0000000000000000");
        foreach (var (method, route) in StaffRoutes())
        {
            foreach (var client in new[] { anonymous, wrongKey })
            {
                var response = await client.SendAsync(RequestFor(method, route));
                await Problems.AssertProblemAsync(response, HttpStatusCode.Unauthorized);
                Assert.Contains("ApiKey", response.Headers.WwwAuthenticate.ToString());
            }
        }
    }

    [Fact]
    public async Task Every_admin_endpoint_answers_403_to_a_moderator()
    {
        var moderator = app.StaffClient(await app.CreateKeyAsync("moderator"));
        foreach (var (method, route) in StaffRoutes().Where(r => r.Route.StartsWith("/api/v1/admin")))
        {
            var response = await moderator.SendAsync(RequestFor(method, route));
            await Problems.AssertProblemAsync(response, HttpStatusCode.Forbidden);
        }
    }

    [Fact]
    public async Task Bootstrap_key_is_an_admin_of_every_site()
    {
        var me = await app.StaffClient().GetFromJsonAsync<JsonObject>("/api/v1/moderation/me");

        Assert.Equal("bootstrap", (string?)me!["name"]);
        Assert.Equal("admin", (string?)me["role"]);
        Assert.Null(me["sites"]);
    }

    [Fact]
    public async Task Created_key_is_shown_once_stored_hashed_and_works_until_revoked()
    {
        var admin = app.StaffClient();
        var created = await admin.PostAsJsonAsync("/api/v1/admin/keys", new { name = "Sam, night desk", role = "moderator", sites = new[] { StandaloneApp.Site } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
        var key = (string)body["key"]!;
        var id = (string)body["details"]!["id"]!;

        var me = await app.StaffClient(key).GetFromJsonAsync<JsonObject>("/api/v1/moderation/me");
        Assert.Equal("Sam, night desk", (string?)me!["name"]);
        Assert.Equal("moderator", (string?)me["role"]);
        Assert.Equal(StandaloneApp.Site, (string?)me["sites"]![0]);

        var listed = await admin.GetStringAsync("/api/v1/admin/keys");
        Assert.DoesNotContain(key, listed);
        Assert.Contains(key[..10], listed);
        Assert.Contains("lastUsedAt", listed);

        Assert.Equal(HttpStatusCode.OK, (await admin.DeleteAsync($"/api/v1/admin/keys/{id}")).StatusCode);
        // At once on the instance that revoked it, although the key was just used (and so cached).
        await Problems.AssertProblemAsync(await app.StaffClient(key).GetAsync("/api/v1/moderation/me"), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Every_staff_answer_is_no_store_errors_included()
    {
        var anonymous = app.CreateClient();
        foreach (var (method, route) in StaffRoutes())
            AssertNoStore(await anonymous.SendAsync(RequestFor(method, route)), $"{method} {route} without a key");

        var admin = app.StaffClient();
        var comment = await app.StoreAsync(StaffData.Scored($"no-store/{Guid.NewGuid():N}", CommentStatus.Held));
        AssertNoStore(await admin.GetAsync($"/api/v1/moderation/comments/{comment.Id}"), "comment detail", HttpStatusCode.OK);
        AssertNoStore(await admin.GetAsync($"/api/v1/moderation/comments/{Guid.NewGuid()}"), "an unknown comment", HttpStatusCode.NotFound);
        AssertNoStore(await admin.GetAsync("/api/v1/moderation/queues/held"), "a queue", HttpStatusCode.OK);
        AssertNoStore(await admin.PostAsJsonAsync("/api/v1/admin/privacy/export", new { email = StaffData.Email }), "the privacy export", HttpStatusCode.OK);
        AssertNoStore(await admin.GetAsync("/api/v1/admin/no-such-route"), "an unknown admin route", HttpStatusCode.NotFound);
        var moderator = app.StaffClient(await app.CreateKeyAsync("moderator"));
        AssertNoStore(await moderator.GetAsync("/api/v1/admin/keys"), "an admin route to a moderator", HttpStatusCode.Forbidden);
    }

    private static void AssertNoStore(HttpResponseMessage response, string what, HttpStatusCode? status = null)
    {
        if (status is not null) Assert.True(response.StatusCode == status, $"{what}: expected {(int)status}, got {(int)response.StatusCode}");
        Assert.True(response.Headers.CacheControl?.NoStore == true, $"{what} ({(int)response.StatusCode}) is not no-store: '{response.Headers.CacheControl}'");
    }

    [Fact]
    public async Task Site_origins_get_no_CORS_on_staff_routes()
    {
        var client = app.StaffClient();

        // The widget's routes do answer the site's origin ...
        var widgetPreflight = await client.SendAsync(Preflight("/api/v1/comments"));
        Assert.Equal(StandaloneApp.AllowedOrigin, widgetPreflight.Headers.GetValues("Access-Control-Allow-Origin").Single());
        // ... the staff routes never do, to a pre-flight or to the request itself.
        foreach (var path in new[] { "/api/v1/moderation/queues/held", "/api/v1/admin/keys" })
        {
            var preflight = await client.SendAsync(Preflight(path));
            Assert.False(preflight.Headers.Contains("Access-Control-Allow-Origin"), $"pre-flight of {path} allowed the site's origin");
            var get = new HttpRequestMessage(HttpMethod.Get, path);
            get.Headers.Add("Origin", StandaloneApp.AllowedOrigin);
            var response = await client.SendAsync(get);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"), $"GET {path} allowed the site's origin");
        }
    }

    private static HttpRequestMessage Preflight(string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, path);
        request.Headers.Add("Origin", StandaloneApp.AllowedOrigin);
        request.Headers.Add("Access-Control-Request-Method", "GET");
        request.Headers.Add("Access-Control-Request-Headers", "content-type");
        return request;
    }

    [Fact]
    public async Task A_moderator_sees_the_allowed_origins_of_only_the_sites_the_key_may_act_on()
    {
        var scoped = await app.StaffClient(await app.CreateKeyAsync("moderator", StandaloneApp.LimitedSite))
            .GetFromJsonAsync<JsonArray>("/api/v1/moderation/sites");
        var site = Assert.Single(scoped!)!;
        Assert.Equal(StandaloneApp.LimitedSite, (string?)site["id"]);
        Assert.Equal("https://tiny.example", (string?)site["allowedOrigins"]![0]);

        var everySite = await app.StaffClient(await app.CreateKeyAsync("moderator")).GetFromJsonAsync<JsonArray>("/api/v1/moderation/sites");
        var news = Assert.Single(everySite!, s => (string?)s!["id"] == StandaloneApp.Site)!;
        Assert.Equal(StandaloneApp.AllowedOrigin, (string?)news["allowedOrigins"]![0]);
    }

    [Theory]
    [InlineData("""{"role":"moderator"}""", "name")]
    [InlineData("""{"name":"x","role":"superuser"}""", "role")]
    [InlineData("""{"name":"x","role":"1"}""", "role")]
    [InlineData("""{"name":"x","role":"moderator","sites":["no-such-site"]}""", "sites")]
    [InlineData("""{"name":"x","role":"moderator","sites":[""]}""", "sites")]
    public async Task Key_creation_rejects_bad_input_and_creates_nothing(string json, string field)
    {
        var admin = app.StaffClient();
        var before = await admin.GetStringAsync("/api/v1/admin/keys");

        var response = await admin.PostAsync("/api/v1/admin/keys", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, field);
        Assert.Equal(before, await admin.GetStringAsync("/api/v1/admin/keys"));
    }

    [Fact]
    public async Task Revoking_an_unknown_key_is_404()
    {
        var response = await app.StaffClient().DeleteAsync($"/api/v1/admin/keys/{Guid.NewGuid()}");

        await Problems.AssertProblemAsync(response, HttpStatusCode.NotFound);
    }

    /// <summary>Every (method, route template) the host maps under the staff prefixes.</summary>
    private IEnumerable<(string Method, string Route)> StaffRoutes()
    {
        var routes = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => (Method: m, Route: "/" + e.RoutePattern.RawText!.TrimStart('/'))))
            .Where(r => StaffPrefixes.Any(p => r.Route.StartsWith(p, StringComparison.Ordinal)))
            .Select(r => (r.Method, Route: StripConstraints(r.Route.TrimEnd('/'))))
            .ToList();
        Assert.NotEmpty(routes);
        return routes;
    }

    /// <summary>"/keys/{id:guid}" as the OpenAPI document writes it: "/keys/{id}".</summary>
    private static string StripConstraints(string route) =>
        System.Text.RegularExpressions.Regex.Replace(route, @"\{([^}:?]+)[^}]*\}", "{$1}");

    private static HttpRequestMessage RequestFor(string method, string route)
    {
        var path = System.Text.RegularExpressions.Regex.Replace(route, @"\{[^}]+\}", Guid.NewGuid().ToString());
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method is "POST" or "PUT" or "PATCH")
            request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
        return request;
    }
}
