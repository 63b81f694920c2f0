using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Moderation.FunctionalTests.Infrastructure;
using static Moderation.FunctionalTests.Infrastructure.Problems;

namespace Moderation.FunctionalTests;

/// <summary>The audit log: filters, keyset paging, CSV and NDJSON export, site scope.</summary>
public sealed class AuditApiTests(StandaloneApp app) : IClassFixture<StandaloneApp>
{
    private readonly HttpClient _admin = app.StaffClient();

    /// <summary>A new site changed <paramref name="updates"/> times: 1 + updates entries for it.</summary>
    private async Task<string> SiteWithHistoryAsync(int updates)
    {
        var id = $"audit-{Guid.NewGuid():N}"[..20];
        (await _admin.PostAsJsonAsync("/api/v1/admin/sites", new { id, name = "Audited, \"quoted\"" })).EnsureSuccessStatusCode();
        for (var i = 1; i <= updates; i++)
            (await _admin.PutAsJsonAsync($"/api/v1/admin/sites/{id}", new { maxLinks = i })).EnsureSuccessStatusCode();
        return id;
    }

    [Fact]
    public async Task Lists_newest_first_and_pages_by_cursor_without_gaps_or_repeats()
    {
        var id = await SiteWithHistoryAsync(4);

        var seen = new List<JsonNode>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await _admin.GetFromJsonAsync<JsonObject>($"/api/v1/admin/audit?siteId={id}&limit=2" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}"));
            seen.AddRange(page!["items"]!.AsArray().Select(n => n!));
            cursor = (string?)page["nextCursor"];
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(3, pages);
        Assert.Equal(5, seen.Count);
        Assert.Equal(seen.Select(e => (long)e["id"]!).OrderDescending(), seen.Select(e => (long)e["id"]!));
        Assert.Equal(["site.update", "site.update", "site.update", "site.update", "site.create"], seen.Select(e => (string?)e["action"]));
        Assert.Equal(4, (int)seen[0]["after"]!["maxLinks"]!);
        Assert.Equal(3, (int)seen[0]["before"]!["maxLinks"]!);
        Assert.All(seen, e => Assert.Equal("site", (string?)e["targetType"]));
    }

    [Fact]
    public async Task Filters_by_action_prefix_actor_and_time()
    {
        var id = await SiteWithHistoryAsync(1);

        var creates = (await _admin.GetFromJsonAsync<JsonObject>($"/api/v1/admin/audit?action=site.create&targetId={id}"))!["items"]!.AsArray();
        Assert.Single(creates);
        var siteActions = (await _admin.GetFromJsonAsync<JsonObject>($"/api/v1/admin/audit?action=site&targetId={id}"))!["items"]!.AsArray();
        Assert.Equal(2, siteActions.Count);
        var nobody = (await _admin.GetFromJsonAsync<JsonObject>($"/api/v1/admin/audit?actor=nobody&targetId={id}"))!["items"]!.AsArray();
        Assert.Empty(nobody);
        var future = Uri.EscapeDataString(DateTime.UtcNow.AddHours(1).ToString("O"));
        Assert.Empty((await _admin.GetFromJsonAsync<JsonObject>($"/api/v1/admin/audit?targetId={id}&from={future}"))!["items"]!.AsArray());
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=501", "limit")]
    [InlineData("cursor=not-a-cursor", "cursor")]
    [InlineData("from=2026-11-20T00:00:00Z&to=2026-11-01T00:00:00Z", "from")]
    public async Task Bad_query_is_400_with_the_field(string query, string field)
    {
        await AssertProblemAsync(await _admin.GetAsync($"/api/v1/admin/audit?{query}"), HttpStatusCode.BadRequest, field);
    }

    [Fact]
    public async Task Export_streams_csv_and_ndjson_with_the_same_filters()
    {
        var id = await SiteWithHistoryAsync(2);

        var csv = await _admin.GetAsync($"/api/v1/admin/audit/export?format=csv&siteId={id}");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        Assert.Contains("attachment", csv.Content.Headers.ContentDisposition?.ToString());
        var lines = (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("id,at,actor,action,targetType,targetId,siteId,before,after", lines[0]);
        Assert.Equal(4, lines.Length);
        var created = CsvFields(lines[1]);
        Assert.Equal(9, created.Count);
        Assert.Equal(["bootstrap", "site.create", "site", id, id, ""], created[2..8]);
        Assert.Equal("Audited, \"quoted\"", (string?)JsonNode.Parse(created[8])!["name"]); // a comma and quotes inside one cell

        var ndjson = await _admin.GetAsync($"/api/v1/admin/audit/export?format=ndjson&siteId={id}&action=site.update");
        Assert.Equal("application/x-ndjson", ndjson.Content.Headers.ContentType?.MediaType);
        var entries = (await ndjson.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal(2, entries.Count);
        Assert.Equal([1, 2], entries.Select(e => (int)e["after"]!["maxLinks"]!));

        await AssertProblemAsync(await _admin.GetAsync("/api/v1/admin/audit/export?format=xml"), HttpStatusCode.BadRequest, "format");
    }

    [Fact]
    public async Task Site_scoped_admin_sees_only_entries_about_its_sites()
    {
        var id = await SiteWithHistoryAsync(1);
        var scoped = app.StaffClient(await app.CreateKeyAsync("admin", StandaloneApp.LimitedSite));
        (await scoped.PutAsJsonAsync($"/api/v1/admin/sites/{StandaloneApp.LimitedSite}", new { maxLinks = 5 })).EnsureSuccessStatusCode();

        var items = (await scoped.GetFromJsonAsync<JsonObject>("/api/v1/admin/audit?limit=500"))!["items"]!.AsArray();
        Assert.NotEmpty(items);
        Assert.All(items, e => Assert.Equal(StandaloneApp.LimitedSite, (string?)e!["siteId"]));
        var export = await scoped.GetStringAsync("/api/v1/admin/audit/export?format=ndjson");
        Assert.DoesNotContain(id, export);
        Assert.DoesNotContain("key.create", export);
        await AssertProblemAsync(await scoped.GetAsync($"/api/v1/admin/audit?siteId={id}"), HttpStatusCode.Forbidden);
        await AssertProblemAsync(await scoped.GetAsync($"/api/v1/admin/audit/export?siteId={id}"), HttpStatusCode.Forbidden);
    }

    /// <summary>The fields of one RFC 4180 line.</summary>
    private static List<string> CsvFields(string line)
    {
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted && c == '"' && i + 1 < line.Length && line[i + 1] == '"') { field.Append('"'); i++; }
            else if (c == '"') quoted = !quoted;
            else if (c == ',' && !quoted) { fields.Add(field.ToString()); field.Clear(); }
            else field.Append(c);
        }
        fields.Add(field.ToString());
        return fields;
    }
}
