using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Moderation.Data.Sites;
using Moderation.FunctionalTests.Infrastructure;
using static Moderation.FunctionalTests.Infrastructure.Problems;

namespace Moderation.FunctionalTests;

/// <summary><c>/api/v1/admin/sites</c>: create, read, update, validation, audit, site scope, and the running host applying a change.</summary>
public sealed class SitesApiTests(StandaloneApp app) : IClassFixture<StandaloneApp>
{
    private readonly HttpClient _admin = app.StaffClient();

    private static string NewId() => $"site-{Guid.NewGuid():N}"[..20];

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task Create_returns_201_with_normalised_settings_lists_it_and_audits_it()
    {
        var id = NewId();
        var response = await _admin.PostAsJsonAsync("/api/v1/admin/sites", new
        {
            id, name = "  The Evening Post ", allowedOrigins = new[] { "HTTPS://Post.Example:443/", "http://localhost:8080", "https://post.example" },
            approveBelow = 0.3, rejectAbove = 0.95, holdWords = new[] { " casino ", "", "Casino", "free money" }, closeAfterDays = 14,
        });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal($"/api/v1/admin/sites/{id}", response.Headers.Location?.ToString());
        var site = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("The Evening Post", (string?)site["name"]);
        Assert.Equal(["https://post.example", "http://localhost:8080"], site["allowedOrigins"]!.AsArray().Select(o => (string)o!));
        Assert.Equal(["casino", "free money"], site["holdWords"]!.AsArray().Select(o => (string)o!));
        Assert.Equal(0.3, (double)site["approveBelow"]!);
        Assert.Equal(14, (int)site["closeAfterDays"]!);
        Assert.Equal(2, (int)site["maxLinks"]!);
        Assert.Equal(3, (int)site["reportsToHold"]!);
        Assert.True((bool)site["trustApprovedAuthors"]!); // returning readers reach the page, as on WordPress
        Assert.False((bool)site["holdFirstComments"]!);

        var listed = await _admin.GetFromJsonAsync<JsonArray>("/api/v1/admin/sites");
        Assert.Contains(listed!, s => (string?)s!["id"] == id);
        var audit = await _admin.GetFromJsonAsync<JsonObject>($"/api/v1/admin/audit?action=site.create&targetId={id}");
        var entry = Assert.Single(audit!["items"]!.AsArray());
        Assert.Equal("bootstrap", (string?)entry!["actor"]);
        Assert.Null(entry["before"]);
        Assert.Equal(0.95, (double)entry["after"]!["rejectAbove"]!);
    }

    [Fact]
    public async Task Creating_a_taken_id_is_409_and_changes_nothing()
    {
        var before = await _admin.GetStringAsync($"/api/v1/admin/sites/{StandaloneApp.Site}");

        var response = await _admin.PostAsJsonAsync("/api/v1/admin/sites", new { id = StandaloneApp.Site, name = "Impostor" });

        await AssertProblemAsync(response, HttpStatusCode.Conflict);
        Assert.Equal(before, await _admin.GetStringAsync($"/api/v1/admin/sites/{StandaloneApp.Site}"));
    }

    [Theory]
    [InlineData("""{"name":"No id"}""", "id")]
    [InlineData("""{"id":"Has Spaces","name":"x"}""", "id")]
    [InlineData("""{"id":"-leading","name":"x"}""", "id")]
    [InlineData("""{"id":"ok-id-1","name":"  "}""", "name")]
    [InlineData("""{"id":"ok-id-2","name":"x","approveBelow":-0.1}""", "approveBelow")]
    [InlineData("""{"id":"ok-id-3","name":"x","rejectAbove":1.5}""", "rejectAbove")]
    [InlineData("""{"id":"ok-id-4","name":"x","approveBelow":0.8,"rejectAbove":0.7}""", "rejectAbove")]
    [InlineData("""{"id":"ok-id-5","name":"x","allowedOrigins":["https://news.example/path"]}""", "allowedOrigins")]
    [InlineData("""{"id":"ok-id-6","name":"x","allowedOrigins":["news.example"]}""", "allowedOrigins")]
    [InlineData("""{"id":"ok-id-7","name":"x","allowedOrigins":["ftp://news.example"]}""", "allowedOrigins")]
    [InlineData("""{"id":"ok-id-8","name":"x","allowedOrigins":["https://news.example?x=1"]}""", "allowedOrigins")]
    [InlineData("""{"id":"ok-id-9","name":"x","maxLinks":-1}""", "maxLinks")]
    [InlineData("""{"id":"ok-id-10","name":"x","closeAfterDays":0}""", "closeAfterDays")]
    [InlineData("""{"id":"ok-id-11","name":"x","commentsPerMinutePerIp":0}""", "commentsPerMinutePerIp")]
    [InlineData("""{"id":"ok-id-12","name":"x","reportsToHold":0}""", "reportsToHold")]
    public async Task Create_rejects_bad_input_with_the_field_and_creates_nothing(string json, string field)
    {
        var before = await _admin.GetStringAsync("/api/v1/admin/sites");

        var response = await _admin.PostAsync("/api/v1/admin/sites", Json(json));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, field);
        Assert.Equal(before, await _admin.GetStringAsync("/api/v1/admin/sites"));
    }

    [Fact]
    public async Task Word_lists_and_ids_are_bounded()
    {
        var tooMany = Enumerable.Range(0, 501).Select(i => $"word{i}").ToArray();
        await AssertProblemAsync(await _admin.PostAsJsonAsync("/api/v1/admin/sites", new { id = NewId(), name = "x", blockWords = tooMany }),
            HttpStatusCode.BadRequest, "blockWords");
        await AssertProblemAsync(await _admin.PostAsJsonAsync("/api/v1/admin/sites", new { id = NewId(), name = "x", holdWords = new[] { new string('w', 101) } }),
            HttpStatusCode.BadRequest, "holdWords");
        await AssertProblemAsync(await _admin.PostAsJsonAsync("/api/v1/admin/sites", new { id = new string('a', 101), name = "x" }),
            HttpStatusCode.BadRequest, "id");
    }

    [Fact]
    public async Task Update_changes_only_the_fields_sent_audits_before_and_after_and_the_host_applies_it()
    {
        var id = NewId();
        (await _admin.PostAsJsonAsync("/api/v1/admin/sites", new { id, name = "Before", blockWords = new[] { "spamword" }, closeAfterDays = 7 })).EnsureSuccessStatusCode();

        var response = await _admin.PutAsync($"/api/v1/admin/sites/{id}", Json("""{"approveBelow":0.1,"rejectAbove":0.6,"premoderateAll":true,"holdFirstComments":true,"closeAfterDays":null}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var site = await _admin.GetFromJsonAsync<JsonObject>($"/api/v1/admin/sites/{id}");
        Assert.Equal("Before", (string?)site!["name"]);
        Assert.Equal("spamword", (string?)site["blockWords"]![0]);
        Assert.Equal(0.1, (double)site["approveBelow"]!);
        Assert.True((bool)site["premoderateAll"]!);
        Assert.True((bool)site["holdFirstComments"]!);
        Assert.Null(site["closeAfterDays"]);

        var entry = (await _admin.GetFromJsonAsync<JsonObject>($"/api/v1/admin/audit?action=site.update&siteId={id}"))!["items"]![0]!;
        Assert.Equal(Site.DefaultApproveBelow, (double)entry["before"]!["approveBelow"]!);
        Assert.Equal(0.1, (double)entry["after"]!["approveBelow"]!);
        Assert.Equal(7, (int)entry["before"]!["closeAfterDays"]!);

        var registry = app.Services.GetRequiredService<ISiteRegistry>();
        await Eventually.Until(() => registry.Find(id)?.ApproveBelow, v => v == 0.1, "the host to reload the site", TimeSpan.FromSeconds(5));
        Assert.True(registry.Find(id)!.PremoderateAll);
        Assert.True(registry.Find(id)!.HoldFirstComments);
        Assert.False((bool)entry["before"]!["holdFirstComments"]!);
    }

    [Theory]
    [InlineData("""{"approveBelow":0.995}""", "rejectAbove")]
    [InlineData("""{"approveBelow":1.01}""", "approveBelow")]
    [InlineData("""{"name":""}""", "name")]
    [InlineData("""{"id":"another-id"}""", "id")]
    [InlineData("""{"allowedOrigins":["https://user:pw@news.example"]}""", "allowedOrigins")]
    public async Task Update_rejects_bad_input_and_changes_nothing(string json, string field)
    {
        var before = await _admin.GetStringAsync($"/api/v1/admin/sites/{StandaloneApp.Site}");

        var response = await _admin.PutAsync($"/api/v1/admin/sites/{StandaloneApp.Site}", Json(json));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, field);
        Assert.Equal(before, await _admin.GetStringAsync($"/api/v1/admin/sites/{StandaloneApp.Site}"));
    }

    [Theory]
    [InlineData("""{"holdFirstComments":"yes"}""")]
    [InlineData("""{"holdFirstComments":1}""")]
    [InlineData("""{"premoderateAll":null,"holdFirstComments":}""")]
    public async Task Update_with_a_setting_that_is_not_true_or_false_is_400_and_changes_nothing(string json)
    {
        var before = await _admin.GetStringAsync($"/api/v1/admin/sites/{StandaloneApp.Site}");

        var response = await _admin.PutAsync($"/api/v1/admin/sites/{StandaloneApp.Site}", Json(json));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(before, await _admin.GetStringAsync($"/api/v1/admin/sites/{StandaloneApp.Site}"));
    }

    [Fact]
    public async Task Unknown_site_is_404()
    {
        await AssertProblemAsync(await _admin.GetAsync("/api/v1/admin/sites/no-such-site"), HttpStatusCode.NotFound);
        await AssertProblemAsync(await _admin.PutAsync("/api/v1/admin/sites/no-such-site", Json("""{"maxLinks":3}""")), HttpStatusCode.NotFound);
        await AssertProblemAsync(await _admin.GetAsync("/api/v1/admin/sites/no-such-site/what-if"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Site_scoped_admin_sees_and_changes_only_its_sites()
    {
        var scoped = app.StaffClient(await app.CreateKeyAsync("admin", StandaloneApp.LimitedSite));

        var listed = await scoped.GetFromJsonAsync<JsonArray>("/api/v1/admin/sites");
        Assert.Equal([StandaloneApp.LimitedSite], listed!.Select(s => (string?)s!["id"]));
        Assert.Equal(HttpStatusCode.OK, (await scoped.GetAsync($"/api/v1/admin/sites/{StandaloneApp.LimitedSite}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await scoped.PutAsync($"/api/v1/admin/sites/{StandaloneApp.LimitedSite}", Json("""{"maxLinks":4}"""))).StatusCode);

        var before = await _admin.GetStringAsync($"/api/v1/admin/sites/{StandaloneApp.Site}");
        await AssertProblemAsync(await scoped.GetAsync($"/api/v1/admin/sites/{StandaloneApp.Site}"), HttpStatusCode.Forbidden);
        await AssertProblemAsync(await scoped.PutAsync($"/api/v1/admin/sites/{StandaloneApp.Site}", Json("""{"maxLinks":9}""")), HttpStatusCode.Forbidden);
        await AssertProblemAsync(await scoped.GetAsync($"/api/v1/admin/sites/{StandaloneApp.Site}/what-if"), HttpStatusCode.Forbidden);
        await AssertProblemAsync(await scoped.PostAsJsonAsync("/api/v1/admin/sites", new { id = NewId(), name = "Elsewhere" }), HttpStatusCode.Forbidden);
        Assert.Equal(before, await _admin.GetStringAsync($"/api/v1/admin/sites/{StandaloneApp.Site}"));
    }
}
