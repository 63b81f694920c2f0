using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Moderation.IntegrationTests.Infrastructure;

namespace Moderation.IntegrationTests;

/// <summary>
/// The gateway in front of the distributed services, every one on a real loopback socket: each route family reaches
/// its service, the client's address travels in <c>X-Forwarded-For</c>, readiness sums the services' own.
/// </summary>
public sealed class GatewayTests(GatewaySystem system) : IClassFixture<GatewaySystem>
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(15);
    private DistributedSystem Services => system.Services;
    private HttpClient Client => system.Client;

    [Fact]
    public async Task Widget_script_and_thread_reads_come_from_the_read_api()
    {
        var direct = await Services.ReadApi.CreateClient().GetAsync("/widget.js");
        var viaGateway = await Client.GetAsync("/widget.js");

        Assert.Equal(HttpStatusCode.OK, viaGateway.StatusCode);
        Assert.Equal("text/javascript", viaGateway.Content.Headers.ContentType?.MediaType);
        Assert.Equal(direct.Headers.ETag, viaGateway.Headers.ETag);
        // The pinned build's address, relative to /widget.js's.
        var pinned = new Uri(new Uri(Client.BaseAddress!, "/widget.js"), viaGateway.Content.Headers.ContentLocation!);
        Assert.StartsWith("/widget/", pinned.AbsolutePath);
        Assert.Equal(await direct.Content.ReadAsStringAsync(), await Client.GetStringAsync(pinned));
        var revalidated = new HttpRequestMessage(HttpMethod.Get, "/widget.js");
        revalidated.Headers.IfNoneMatch.Add(viaGateway.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await Client.SendAsync(revalidated)).StatusCode);

        var thread = $"gw-read/{Guid.NewGuid():N}";
        var submitted = await Services.SubmitAsync(Services.Comment("Read back through the gateway.", thread));
        var view = await Eventually.Until(
            () => Client.GetFromJsonAsync<ThreadView>($"/api/v1/comments?siteId={Services.SiteId}&threadId={Uri.EscapeDataString(thread)}"),
            v => v!.Count == 1, "comment visible through the gateway", Soon);
        Assert.Equal(submitted.Id, view!.Comments.Single().Id);
        var counts = await Client.GetStringAsync($"/api/v1/counts?siteId={Services.SiteId}&threadId={Uri.EscapeDataString(thread)}");
        Assert.Contains($"\"{thread}\":1", counts);
    }

    [Fact]
    public async Task Posts_status_and_reports_go_to_ingestion()
    {
        var thread = $"gw-write/{Guid.NewGuid():N}";
        var response = await Client.PostAsJsonAsync("/api/v1/comments", Services.Comment("Posted through the gateway, all of it.", thread));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var submitted = (await response.Content.ReadFromJsonAsync<SubmitResult>())!;

        var status = await Eventually.Until(() => Client.GetFromJsonAsync<StatusView>(submitted.StatusUrl), s => s!.Status != "pending", "scored", Soon);
        Assert.Equal("approved", status!.Status);
        var wrongToken = await Client.GetAsync($"/api/v1/comments/{submitted.Id}/status?token=not-the-token");
        Assert.Equal(HttpStatusCode.NotFound, wrongToken.StatusCode);

        var report = await Client.PostAsJsonAsync($"/api/v1/comments/{submitted.Id}/reports", new { reason = "off-topic" });
        Assert.Equal(HttpStatusCode.Accepted, report.StatusCode);
        Assert.Equal(1L, await Services.Database.ScalarAsync<long>($"select \"ReportCount\" from comments where \"Id\" = '{submitted.Id}'"));
    }

    [Fact]
    public async Task Cross_origin_preflight_for_a_post_is_answered_by_ingestion()
    {
        var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/v1/comments");
        preflight.Headers.Add("Origin", DistributedSystem.Origin);
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "content-type");

        var response = await Client.SendAsync(preflight);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(DistributedSystem.Origin, response.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    [Fact]
    public async Task Console_and_staff_apis_go_to_the_moderation_api()
    {
        var console = await Client.GetAsync("/console/");
        Assert.Equal(HttpStatusCode.OK, console.StatusCode);
        Assert.Contains("<html", await console.Content.ReadAsStringAsync());

        var anonymous = await Client.GetAsync("/api/v1/moderation/queues/held");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("application/problem+json", anonymous.Content.Headers.ContentType?.MediaType);

        using var staff = new HttpClient { BaseAddress = system.Gateway.Address };
        staff.DefaultRequestHeaders.Add("X-Api-Key", DistributedSystem.AdminKey);
        var queue = await staff.GetAsync("/api/v1/moderation/queues/held");
        Assert.Equal(HttpStatusCode.OK, queue.StatusCode);
        Assert.Equal("no-store", queue.Headers.CacheControl?.ToString());
        var keys = await staff.GetStringAsync("/api/v1/admin/keys");
        Assert.StartsWith("[", keys.TrimStart());
    }

    [Theory]
    [InlineData("ingestion", "/api/v1/comments/{id}/status")]
    [InlineData("read-api", "/api/v1/counts")]
    [InlineData("moderation-api", "/api/v1/admin/keys")]
    public async Task Each_service_openapi_document_is_under_its_name(string service, string path)
    {
        var document = await Client.GetStringAsync($"/openapi/{service}/v1.json");

        using var json = JsonDocument.Parse(document);
        Assert.True(json.RootElement.GetProperty("paths").TryGetProperty(path, out _), $"{service}'s document lists {path}");
    }

    [Fact]
    public async Task Stored_client_address_is_the_one_the_gateway_forwards_not_one_a_client_claims()
    {
        // Straight to the gateway, which trusts no one in front of it: the claim is replaced by the real peer.
        var spoofed = await PostAsync(Client, "Claims to come from elsewhere.", forwardedFor: "198.51.100.7");
        Assert.Equal("127.0.0.1", await StoredIpAsync(spoofed));

        // Behind a TLS front end the gateway is told to trust: the front end's client is the one stored.
        await using var fronted = system.StartGateway(extra: new Dictionary<string, string?> { ["TrustedProxies:0"] = "127.0.0.1" });
        using var frontEnd = new HttpClient { BaseAddress = fronted.Address };
        var forwarded = await PostAsync(frontEnd, "Comes through a front end.", forwardedFor: "203.0.113.9");
        Assert.Equal("203.0.113.9", await StoredIpAsync(forwarded));
    }

    [Fact]
    public async Task Rate_limit_counts_the_forwarded_client_not_the_gateway()
    {
        const string site = "gw-rate";
        // A site of its own with a limit of two a minute, seeded in every service's database through the admin API.
        using var admin = new HttpClient { BaseAddress = system.Gateway.Address };
        admin.DefaultRequestHeaders.Add("X-Api-Key", DistributedSystem.AdminKey);
        var created = await admin.PostAsJsonAsync("/api/v1/admin/sites", new
        {
            id = site + Guid.NewGuid().ToString("N")[..6], name = "Rate limited", allowedOrigins = new[] { DistributedSystem.Origin }, commentsPerMinutePerIp = 2,
        });
        Assert.True(created.IsSuccessStatusCode, $"{(int)created.StatusCode} {await created.Content.ReadAsStringAsync()}");
        var siteId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

        await using var fronted = system.StartGateway(extra: new Dictionary<string, string?> { ["TrustedProxies:0"] = "127.0.0.1" });
        using var frontEnd = new HttpClient { BaseAddress = fronted.Address };
        async Task<HttpStatusCode> PostAs(string client) => (await Eventually.Until(
            () => SendAsync(frontEnd, new { siteId, threadId = "t", threadUrl = DistributedSystem.Origin + "/t", authorName = "Ada", authorEmail = "ada@example.org", body = "Counted." }, client),
            r => r.StatusCode != HttpStatusCode.BadRequest, "site known to ingestion", Soon)).StatusCode;

        Assert.Equal(HttpStatusCode.Accepted, await PostAs("203.0.113.20"));
        Assert.Equal(HttpStatusCode.Accepted, await PostAs("203.0.113.20"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await PostAs("203.0.113.20"));
        Assert.Equal(HttpStatusCode.Accepted, await PostAs("203.0.113.21"));
    }

    [Fact]
    public async Task Readiness_is_503_naming_the_service_whose_own_readiness_fails()
    {
        var ready = await Client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.All(await ServiceStatesAsync(ready), s => Assert.Equal("Healthy", s.Value));

        Services.DatabaseForWorker.Stop();
        try
        {
            var down = await Eventually.Until(() => Client.GetAsync("/health/ready"), r => r.StatusCode == HttpStatusCode.ServiceUnavailable, "gateway not ready", Soon);
            var states = await ServiceStatesAsync(down);
            Assert.Equal("Unhealthy", states["scoring"]);
            Assert.Equal("Healthy", states["ingestion"]);
            Assert.Equal("Healthy", states["readApi"]);
            Assert.Equal("Healthy", states["moderationApi"]);
            Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync("/health/live")).StatusCode);
        }
        finally
        {
            Services.DatabaseForWorker.Start();
        }

        await Eventually.Until(() => Client.GetAsync("/health/ready"), r => r.StatusCode == HttpStatusCode.OK, "gateway ready again", Soon);
    }

    [Fact]
    public async Task A_service_that_does_not_answer_is_unready_and_its_routes_are_502()
    {
        await using var gateway = system.StartGateway(addresses: new Dictionary<string, string> { ["readApi"] = $"http://127.0.0.1:{Ports.Free()}/" });
        using var client = new HttpClient { BaseAddress = gateway.Address };

        var ready = await client.GetAsync("/health/ready");
        var states = await ServiceStatesAsync(ready);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal("Unhealthy", states["readApi"]);
        Assert.Equal("Healthy", states["ingestion"]);
        Assert.Contains("not answering", await ready.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadGateway, (await client.GetAsync($"/api/v1/comments?siteId={Services.SiteId}&threadId=t")).StatusCode);
        // The other services are still reached.
        var posted = await client.PostAsJsonAsync("/api/v1/comments", Services.Comment("Still accepted while reads are down.", $"gw-502/{Guid.NewGuid():N}"));
        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
    }

    [Fact]
    public async Task Unknown_routes_are_404_and_wrong_methods_405_from_the_gateway()
    {
        foreach (var path in new[] { "/", "/api/v1/unknown", "/metrics/../api", "/openapi/unknown/v1.json", "/widget.css" })
        {
            var response = await Client.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{path}: {(int)response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await Client.PutAsJsonAsync("/api/v1/comments", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await Client.PostAsync("/widget.js", null)).StatusCode);
    }

    [Fact]
    public async Task Bad_comments_get_ingestion_refusals_through_the_gateway()
    {
        var oversized = new string('x', 40_000);
        var tooLarge = await Client.PostAsJsonAsync("/api/v1/comments", Services.Comment(oversized));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        Assert.Contains("at most", await tooLarge.Content.ReadAsStringAsync());

        var malformed = await Client.PostAsync("/api/v1/comments", new StringContent("{\"siteId\":", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);

        var wrongType = await Client.PostAsync("/api/v1/comments", new StringContent("body=hi", Encoding.UTF8, "application/x-www-form-urlencoded"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, wrongType.StatusCode);

        var invalid = await Client.PostAsJsonAsync("/api/v1/comments", new { siteId = Services.SiteId, threadId = "t", authorName = " ", authorEmail = "nope", body = "hi" });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Contains("authorEmail", await invalid.Content.ReadAsStringAsync());

        var badReport = await Client.PostAsJsonAsync($"/api/v1/comments/{Guid.NewGuid()}/reports", new { reason = "because" });
        Assert.Equal(HttpStatusCode.BadRequest, badReport.StatusCode);
    }

    private async Task<SubmitResult> PostAsync(HttpClient client, string body, string forwardedFor)
    {
        var response = await SendAsync(client, Services.Comment(body, $"gw-ip/{Guid.NewGuid():N}"), forwardedFor);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<SubmitResult>())!;
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, object comment, string forwardedFor)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/comments") { Content = JsonContent.Create(comment) };
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        return client.SendAsync(request);
    }

    private async Task<string?> StoredIpAsync(SubmitResult submitted) =>
        await Eventually.Until<string?>(
            () => Services.Database.ScalarAsync<string>($"select \"ClientIp\" from comments where \"Id\" = '{submitted.Id}'"),
            ip => ip is not null, "comment stored", Soon);

    private static async Task<Dictionary<string, string>> ServiceStatesAsync(HttpResponseMessage ready)
    {
        using var json = JsonDocument.Parse(await ready.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("checks").EnumerateObject().ToDictionary(c => c.Name, c => c.Value.GetProperty("status").GetString()!);
    }
}
