using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Moderation.IntegrationTests.Infrastructure;

namespace Moderation.IntegrationTests;

/// <summary>API keys against the real PostgreSQL: stored hashed, scoped, revocable.</summary>
public sealed class StaffAccessTests(DistributedSystem system) : IClassFixture<DistributedSystem>
{
    [Fact]
    public async Task Key_is_stored_only_as_its_hash_and_authenticates_with_its_role_and_sites()
    {
        var created = await system.Staff.PostAsJsonAsync("/api/v1/admin/keys", new { name = "Desk", role = "moderator", sites = new[] { system.SiteId } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
        var key = (string)body["key"]!;
        var id = (string)body["details"]!["id"]!;

        var stored = await system.Database.ScalarAsync<string>($"select \"KeyHash\" from api_keys where \"Id\" = '{id}'");
        Assert.NotNull(stored);
        Assert.DoesNotContain(key, stored);
        Assert.Equal(1L, await system.Database.ScalarAsync<long>($"select count(*) from audit_log where \"Action\" = 'key.create' and \"TargetId\" = '{id}'"));

        using var desk = system.ModerationApi.CreateClient();
        desk.DefaultRequestHeaders.Add("X-Api-Key", key);
        var me = await desk.GetFromJsonAsync<JsonObject>("/api/v1/moderation/me");
        Assert.Equal("moderator", (string?)me!["role"]);
        Assert.Equal(system.SiteId, (string?)me["sites"]![0]);
        Assert.Equal(HttpStatusCode.Forbidden, (await desk.GetAsync("/api/v1/admin/keys")).StatusCode);
        Assert.Equal(1L, await system.Database.ScalarAsync<long>($"select count(*) from api_keys where \"Id\" = '{id}' and \"LastUsedAt\" is not null"));
    }
}
