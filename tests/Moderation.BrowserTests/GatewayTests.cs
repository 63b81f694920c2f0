using System.Net.Http.Json;
using System.Text.Json;
using Moderation.BrowserTests.Infrastructure;
using Moderation.IntegrationTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Moderation.BrowserTests;

/// <summary>
/// The widget embedded from the gateway of the distributed services (one <c>src</c>): the page reads, posts, follows
/// the status and reports through that one address.
/// </summary>
[Collection(WidgetCollection.Name)]
public sealed class GatewayTests(WidgetSystem browser, GatewaySystem distributed) : IClassFixture<GatewaySystem>, IAsyncLifetime
{
    private readonly NewsSite _news = new();
    private string _siteId = "";
    private string Gateway => distributed.Gateway.Address.ToString().TrimEnd('/');

    public async Task InitializeAsync()
    {
        _news.CommentServiceUrl = Gateway;
        await _news.StartAsync();
        // A site for this news site's origin, made as an admin would, through the gateway.
        using var admin = Staff();
        var created = await admin.PostAsJsonAsync("/api/v1/admin/sites", new
        {
            id = $"gw-{Guid.NewGuid():N}"[..16], name = "The Harbour Gazette", allowedOrigins = new[] { _news.Origin },
        });
        Assert.True(created.IsSuccessStatusCode, $"{(int)created.StatusCode} {await created.Content.ReadAsStringAsync()}");
        _siteId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        // Ingestion and the read API learn of it from the change event.
        await Eventually.Until(() => distributed.Client.GetAsync($"/api/v1/counts?siteId={_siteId}&threadId=t"),
            r => r.IsSuccessStatusCode, "site known to the read API", TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task A_reader_posts_follows_and_reports_through_the_gateway_alone()
    {
        var thread = WidgetSystem.NewThread("gateway");
        var reader = await browser.OpenAsync(_news.Article(thread, siteId: _siteId));
        var requested = new List<string>();
        reader.Page.Request += (_, request) => requested.Add(request.Url);
        await Expect(reader.Count).ToHaveTextAsync("No comments yet");

        await reader.FillAsync("Ada Lovelace", "ada@example.org", body: "Good to see the ferry running again.");
        await reader.PostAsync();

        var mine = reader.Comment("Good to see the ferry running again.");
        await Expect(mine).Not.ToContainTextAsync("Your comment is awaiting moderation.", new() { Timeout = 20_000 });
        await Expect(reader.FormStatus).ToHaveTextAsync("Your comment has been published.");
        await Expect(reader.Count).ToHaveTextAsync("1 comment");

        var report = mine.GetByRole(AriaRole.Button, new() { Name = "Report", Exact = true });
        await report.ClickAsync();
        await mine.GetByRole(AriaRole.Group, new() { Name = "Why are you reporting this comment?" })
            .GetByRole(AriaRole.Radio, new() { Name = "Abusive or hateful" }).CheckAsync();
        await mine.GetByRole(AriaRole.Button, new() { Name = "Send report" }).ClickAsync();
        await Expect(mine.Locator(".report .status")).ToHaveTextAsync("Thank you. A moderator will take a look.");
        await Artifacts.ScreenshotAsync(reader.Widget, "gateway-reported");

        using var moderator = Staff();
        var queue = await moderator.GetStringAsync($"/api/v1/moderation/queues/reported?siteId={_siteId}&threadId={Uri.EscapeDataString(thread)}");
        Assert.Contains("\"abuse\":1", queue);
        // Script, reads, the post, the status and the report: all from the gateway.
        var elsewhere = requested.Where(url => !url.StartsWith(Gateway + "/", StringComparison.Ordinal) && !url.StartsWith(_news.Origin + "/", StringComparison.Ordinal));
        Assert.Empty(elsewhere);
        Assert.Contains(requested, url => url.Contains("/status?token=", StringComparison.Ordinal));
        Assert.Contains(requested, url => url.EndsWith("/reports", StringComparison.Ordinal));
        Assert.Empty(reader.Problems);
        Assert.Empty(await reader.CspViolationsAsync());
    }

    private HttpClient Staff()
    {
        var client = new HttpClient { BaseAddress = distributed.Gateway.Address };
        client.DefaultRequestHeaders.Add("X-Api-Key", DistributedSystem.AdminKey);
        return client;
    }

    public async Task DisposeAsync() => await _news.DisposeAsync();
}
