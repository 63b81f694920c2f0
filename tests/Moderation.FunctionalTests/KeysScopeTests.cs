using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Moderation.FunctionalTests.Infrastructure;
using static Moderation.FunctionalTests.Infrastructure.Problems;

namespace Moderation.FunctionalTests;

/// <summary>An admin limited to sites manages only keys within those sites: it cannot mint a key for more than it has.</summary>
public sealed class KeysScopeTests(StandaloneApp app) : IClassFixture<StandaloneApp>
{
    [Fact]
    public async Task Site_scoped_admin_creates_lists_and_revokes_only_keys_within_its_sites()
    {
        var scoped = app.StaffClient(await app.CreateKeyAsync("admin", StandaloneApp.Site));
        var other = await app.StaffClient().PostAsJsonAsync("/api/v1/admin/keys", new { name = "other desk", role = "moderator", sites = new[] { StandaloneApp.LimitedSite } });
        var otherId = (string)(await other.Content.ReadFromJsonAsync<JsonObject>())!["details"]!["id"]!;

        await AssertProblemAsync(await scoped.PostAsJsonAsync("/api/v1/admin/keys", new { name = "everything", role = "admin" }), HttpStatusCode.Forbidden);
        await AssertProblemAsync(await scoped.PostAsJsonAsync("/api/v1/admin/keys",
            new { name = "wider", role = "moderator", sites = new[] { StandaloneApp.Site, StandaloneApp.LimitedSite } }), HttpStatusCode.Forbidden);
        var created = await scoped.PostAsJsonAsync("/api/v1/admin/keys", new { name = "news desk", role = "moderator", sites = new[] { StandaloneApp.Site } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var ownId = (string)(await created.Content.ReadFromJsonAsync<JsonObject>())!["details"]!["id"]!;

        var listed = (await scoped.GetFromJsonAsync<JsonArray>("/api/v1/admin/keys"))!;
        Assert.Contains(listed, k => (string?)k!["id"] == ownId);
        Assert.All(listed, k => Assert.Equal([StandaloneApp.Site], k!["sites"]!.AsArray().Select(s => (string?)s)));
        await AssertProblemAsync(await scoped.DeleteAsync($"/api/v1/admin/keys/{otherId}"), HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, (await scoped.DeleteAsync($"/api/v1/admin/keys/{ownId}")).StatusCode);
    }
}
