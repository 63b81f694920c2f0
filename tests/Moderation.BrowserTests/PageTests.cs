using System.IO.Compression;
using System.Net;
using System.Text;
using Deque.AxeCore.Playwright;
using Moderation.BrowserTests.Infrastructure;
using Moderation.ReadApi.Widget;
using Moderation.Standalone;
using static Microsoft.Playwright.Assertions;

namespace Moderation.BrowserTests;

/// <summary>The widget as delivered: the demo page, its security policy, size, caching, accessibility, looks.</summary>
[Collection(WidgetCollection.Name)]
public sealed class PageTests(WidgetSystem system)
{
    private const int BudgetBytes = 15 * 1024;

    [Fact]
    public async Task The_demo_page_runs_the_widget_under_a_strict_CSP_without_violations()
    {
        using var http = new HttpClient();
        var response = await http.GetAsync(system.Service.Url + "/");
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Equal(DemoPage.ContentSecurityPolicy, csp);
        Assert.Contains("script-src 'self';", csp);
        Assert.DoesNotContain("unsafe", csp);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<script src=\"/widget.js\" async></script>", html);
        Assert.DoesNotContain("demo-comments.js", html);

        var reader = await system.OpenAsync(system.Service.Url + "/");
        await Expect(reader.Page.Locator("h1")).ToHaveTextAsync("River park wins council vote after two-year wait");
        await reader.FillAsync("Ada Lovelace", "ada@example.org", body: "Good to see the river path open again.");
        await reader.PostAsync();
        await Expect(reader.Comment("river path open again")).Not.ToContainTextAsync("awaiting moderation", new() { Timeout = 15_000 });
        var background = await reader.Page.Locator("#comments .mw").EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor");
        Assert.Equal("rgb(255, 255, 255)", background); // the constructed stylesheet applied

        Assert.Empty(await reader.CspViolationsAsync());
        Assert.Empty(reader.Problems);
    }

    [Fact]
    public async Task The_news_sites_strict_CSP_is_not_violated_either()
    {
        var reader = await system.OpenAsync(system.News.Article(WidgetSystem.NewThread("csp")));
        var requested = new List<string>();
        reader.Page.Request += (_, request) => requested.Add(request.Url);
        await reader.FillAsync("Ada", "ada@example.org", body: "Cross-origin and strict.");
        await reader.PostAsync();
        await Expect(reader.Comment("Cross-origin and strict.")).Not.ToContainTextAsync("awaiting moderation", new() { Timeout = 15_000 });

        // Nothing but the comment service was asked for anything: no third-party requests, no cookies.
        Assert.NotEmpty(requested);
        Assert.All(requested, url => Assert.StartsWith(system.Service.Url + "/api/v1/comments", url));
        Assert.Empty(await reader.Page.Context.CookiesAsync());
        Assert.Empty(await reader.CspViolationsAsync());
        Assert.Empty(reader.Problems);
    }

    [Fact]
    public async Task The_widget_is_within_its_size_budget_and_uses_no_unsafe_sinks()
    {
        using var http = new HttpClient();
        var source = await http.GetByteArrayAsync(system.Service.Url + "/widget.js");
        using var gzipped = new MemoryStream();
        using (var gzip = new GZipStream(gzipped, CompressionLevel.SmallestSize, leaveOpen: true)) gzip.Write(source);
        Assert.True(gzipped.Length <= BudgetBytes, $"widget.js is {gzipped.Length} bytes gzipped, over the {BudgetBytes}-byte budget.");

        var text = Encoding.UTF8.GetString(source);
        foreach (var sink in new[] { "innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function", "document.cookie" })
            Assert.DoesNotContain(sink, text);
    }

    [Fact]
    public async Task Widget_js_is_short_cached_and_its_versioned_url_immutable()
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, AutomaticDecompression = DecompressionMethods.All });
        var current = await http.GetAsync(system.Service.Url + "/widget.js");
        Assert.Equal(HttpStatusCode.OK, current.StatusCode);
        Assert.Equal("text/javascript", current.Content.Headers.ContentType?.MediaType);
        Assert.Equal(WidgetEndpoints.ShortCache, current.Headers.CacheControl?.ToString());
        var versioned = current.Content.Headers.ContentLocation!.ToString();
        Assert.Matches("^widget/[0-9a-f]{16}/widget.js$", versioned);

        var pinned = await http.GetAsync($"{system.Service.Url}/{versioned}");
        Assert.Equal(HttpStatusCode.OK, pinned.StatusCode);
        Assert.Contains("immutable", pinned.Headers.CacheControl!.ToString());
        Assert.Equal(TimeSpan.FromDays(365), pinned.Headers.CacheControl.MaxAge);
        Assert.Equal(await current.Content.ReadAsByteArrayAsync(), await pinned.Content.ReadAsByteArrayAsync());

        var revalidate = new HttpRequestMessage(HttpMethod.Get, system.Service.Url + "/widget.js");
        revalidate.Headers.IfNoneMatch.Add(current.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await http.SendAsync(revalidate)).StatusCode);

        var outdated = await http.GetAsync(system.Service.Url + "/widget/0123456789abcdef/widget.js");
        Assert.Equal(HttpStatusCode.Redirect, outdated.StatusCode);
        Assert.Equal(new Uri(system.Service.Url + "/" + versioned), new Uri(new Uri(system.Service.Url + "/widget/0123456789abcdef/widget.js"), outdated.Headers.Location!));
    }

    [Fact]
    public async Task Axe_finds_no_serious_or_critical_accessibility_violations()
    {
        var thread = WidgetSystem.NewThread("axe");
        var first = await system.Service.PublishAsync(thread, "Mara Ellison", "Does anyone know if the Sunday crossings are back too?");
        await system.Service.PublishAsync(thread, "Tom Reyes", "Yes, from this weekend.", first, "https://tom.example.org");
        var reader = await system.OpenAsync(system.News.Article(thread, new Dictionary<string, string> { ["data-page-size"] = "1" }));
        await reader.FillAsync("", "not-an-address", body: "Checking the errors too.");
        await reader.PostButton.ClickAsync();
        await reader.Comment("Sunday crossings").GetByRole(AriaRole.Button, new() { Name = "Report", Exact = true }).ClickAsync();

        foreach (var scheme in new[] { ColorScheme.Light, ColorScheme.Dark })
        {
            await reader.Page.EmulateMediaAsync(new() { ColorScheme = scheme });
            var result = await reader.Page.RunAxe();
            var serious = result.Violations.Where(v => v.Impact is "serious" or "critical")
                .Select(v => $"{scheme}: {v.Id} ({v.Impact}): {v.Help} — {string.Join("; ", v.Nodes.Select(n => n.Html))}").ToList();
            Assert.True(serious.Count == 0, string.Join("\n", serious));
        }
    }

    [Fact]
    public async Task An_empty_thread_invites_the_first_comment()
    {
        var reader = await system.OpenAsync(system.News.Article(WidgetSystem.NewThread("empty")));
        await Expect(reader.Count).ToHaveTextAsync("No comments yet");
        await Expect(reader.Page.GetByText("Be the first to share your thoughts.")).ToBeVisibleAsync();
        await Expect(reader.Page.GetByText("Your email address will not be published. Required fields are marked *")).ToBeVisibleAsync();
        foreach (var label in new[] { "Name *", "Email *", "Website", "Comment *" })
            await Expect(reader.Page.GetByLabel(label, new() { Exact = true })).ToBeVisibleAsync();
        await Artifacts.ScreenshotAsync(reader.Widget, "empty-thread");
    }

    [Fact]
    public async Task Dark_theme_follows_the_reader_or_the_embed()
    {
        var thread = WidgetSystem.NewThread("dark");
        var first = await system.Service.PublishAsync(thread, "Mara Ellison", "Does anyone know if the Sunday crossings are back too?");
        await system.Service.PublishAsync(thread, "Tom Reyes", "Yes, from this weekend, every two hours.", first, "https://tom.example.org");

        var byPreference = await system.OpenAsync(system.News.Article(thread), ColorScheme.Dark);
        await Expect(byPreference.Comments).ToHaveCountAsync(2);
        Assert.Equal("rgb(22, 25, 30)", await BackgroundAsync(byPreference));
        await Artifacts.ScreenshotAsync(byPreference.Widget, "dark-theme");

        var forcedDark = await system.OpenAsync(system.News.Article(thread, new Dictionary<string, string> { ["data-theme"] = "dark" }));
        Assert.Equal("rgb(22, 25, 30)", await BackgroundAsync(forcedDark));
        var forcedLight = await system.OpenAsync(system.News.Article(thread, new Dictionary<string, string> { ["data-theme"] = "light" }), ColorScheme.Dark);
        Assert.Equal("rgb(255, 255, 255)", await BackgroundAsync(forcedLight));
    }

    [Fact]
    public async Task Strings_can_be_overridden_per_embed()
    {
        var reader = await system.OpenAsync(system.News.Article(WidgetSystem.NewThread("strings"), new Dictionary<string, string>
        {
            ["data-lang"] = "fr",
            ["data-strings"] = """{"post":"Publier","authorName":"Nom","required":"{label} est obligatoire.","count0":"Aucun commentaire"}""",
        }));
        await Expect(reader.Count).ToHaveTextAsync("Aucun commentaire");
        await Expect(reader.Page.GetByRole(AriaRole.Button, new() { Name = "Publier" })).ToBeVisibleAsync();
        await reader.Page.GetByRole(AriaRole.Button, new() { Name = "Publier" }).ClickAsync();
        await Expect(reader.Error("authorName")).ToHaveTextAsync("Nom est obligatoire.");
        await Expect(reader.Page.Locator("#comments section")).ToHaveAttributeAsync("lang", "fr");
    }

    [Fact]
    public async Task The_demo_page_with_a_conversation_makes_the_readme_picture()
    {
        var service = system.Service;
        const string thread = "2026/11/river-park-council-vote";
        var first = await service.PublishAsync(thread, "Mara Quinn", "Finally. My kids have been asking when they can walk along the river since the fences went up.");
        await service.PublishAsync(thread, "Tom Reyes", "The signal box café is a lovely idea. I hope they keep the old lever frame inside.", first, "https://tom.example.org");
        await service.PublishAsync(thread, "Priya Natarajan", "Good news, but the Millbrook residents have a point about housing. I hope the review actually happens.");

        var reader = await system.OpenAsync(service.Url + "/");
        await Expect(reader.Comment("lever frame")).ToBeVisibleAsync();
        await Artifacts.ScreenshotAsync(reader.Widget, "demo-page");
    }

    private static Task<string> BackgroundAsync(WidgetPage page) =>
        page.Page.Locator("#comments .mw").EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor");
}
