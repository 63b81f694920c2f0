using Moderation.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Moderation.BrowserTests;

/// <summary>Reading a thread: order, replies, paging, reports, and reader content that stays text.</summary>
[Collection(WidgetCollection.Name)]
public sealed class ThreadTests(WidgetSystem system)
{
    [Fact]
    public async Task Replies_are_threaded_under_their_parent_and_flattened_past_the_maximum_depth()
    {
        var thread = WidgetSystem.NewThread("replies");
        var service = system.Service;
        var first = await service.PublishAsync(thread, "Mara Ellison", "Does anyone know if the Sunday crossings are back too?");
        var answer = await service.PublishAsync(thread, "Tom Reyes", "Yes, from this weekend, every two hours.", first, "https://tom.example.org");
        var deeper = await service.PublishAsync(thread, "Mara Ellison", "Thanks, that saves me the bus.", answer);
        await service.PublishAsync(thread, "Priya Natarajan", "Glad to hear it.", deeper);
        await service.PublishAsync(thread, "Joe Bloggs", "The café on the north quay has reopened as well.");

        var reader = await system.OpenAsync(system.News.Article(thread, new Dictionary<string, string> { ["data-max-depth"] = "2" }));
        await Expect(reader.Count).ToHaveTextAsync("5 comments");
        var top = reader.Page.Locator("#comments ol.list > li > article.c");
        await Expect(top).ToHaveCountAsync(2);
        await Expect(top.Nth(0)).ToContainTextAsync("Sunday crossings");
        await Expect(top.Nth(1)).ToContainTextAsync("café on the north quay");
        await Expect(reader.Page.Locator("#comments ol.list > li > ol > li > article.c")).ToContainTextAsync("every two hours");
        await Expect(reader.Page.Locator("#comments ol.list > li > ol > li > ol > li > article.c").First).ToContainTextAsync("saves me the bus");
        // Depth 2 reached: the reply to it stands beside it, saying whom it answers.
        var flattened = reader.Comment("Glad to hear it.");
        await Expect(reader.Page.Locator("#comments ol.list > li > ol > li > ol > li > article.c")).ToHaveCountAsync(2);
        await Expect(flattened).ToContainTextAsync("replying to Mara Ellison");
        var time = reader.Comment("Glad to hear it.").Locator("time");
        await Expect(time).ToHaveTextAsync("just now");
        await Expect(time).ToHaveAttributeAsync("title", new System.Text.RegularExpressions.Regex(@"\d{4}"));

        // Reply moves the form under the comment; Cancel reply puts it back.
        var joe = reader.Comment("café on the north quay");
        await joe.GetByRole(AriaRole.Button, new() { Name = "Reply" }).ClickAsync();
        await Expect(reader.Page.Locator("#comments ol.list > li:nth-child(2) > .respond")).ToBeVisibleAsync();
        await Expect(reader.Form.Locator("h3")).ToHaveTextAsync("Reply to Joe Bloggs");
        var cancel = reader.Page.GetByRole(AriaRole.Button, new() { Name = "Cancel reply" });
        await cancel.ClickAsync();
        await Expect(reader.Form.Locator("h3")).ToHaveTextAsync("Leave a Reply");
        await Expect(joe.GetByRole(AriaRole.Button, new() { Name = "Reply" })).ToBeFocusedAsync();
        await Expect(cancel).ToBeHiddenAsync();

        await joe.GetByRole(AriaRole.Button, new() { Name = "Reply" }).ClickAsync();
        await reader.FillAsync("Ines Duarte", "ines@example.org", body: "Their cinnamon buns are worth the crossing.");
        await reader.PostAsync();
        await Expect(reader.Page.Locator("#comments ol.list > li:nth-child(2) > ol > li > article.c")).ToContainTextAsync("cinnamon buns");
        await Expect(reader.Form.Locator("h3")).ToHaveTextAsync("Leave a Reply");
        await Expect(reader.Comment("cinnamon buns")).Not.ToContainTextAsync("awaiting moderation", new() { Timeout = 15_000 });
        await Artifacts.ScreenshotAsync(reader.Widget, "threaded-comments");

        await reader.Page.ReloadAsync();
        await Expect(reader.Page.Locator("#comments ol.list > li:nth-child(2) > ol > li > article.c")).ToContainTextAsync("cinnamon buns");
        Assert.Empty(reader.Problems);
    }

    [Fact]
    public async Task Load_more_pages_through_the_thread_oldest_first()
    {
        var thread = WidgetSystem.NewThread("paging");
        for (var i = 1; i <= 7; i++) await system.Service.PublishAsync(thread, $"Reader {i}", $"Comment number {i} on the ferry.");

        var reader = await system.OpenAsync(system.News.Article(thread, new Dictionary<string, string> { ["data-page-size"] = "3" }));
        await Expect(reader.Count).ToHaveTextAsync("7 comments");
        await Expect(reader.Comments).ToHaveCountAsync(3);
        await reader.LoadMore.ClickAsync();
        await Expect(reader.Comments).ToHaveCountAsync(6);
        await Expect(reader.Comment("Comment number 4 ")).ToBeFocusedAsync();
        await reader.LoadMore.ClickAsync();
        await Expect(reader.Comments).ToHaveCountAsync(7);
        await Expect(reader.LoadMore).ToBeHiddenAsync();
        for (var i = 0; i < 7; i++) await Expect(reader.Comments.Nth(i)).ToContainTextAsync($"Comment number {i + 1} ");
    }

    [Fact]
    public async Task Script_and_HTML_in_every_field_render_as_inert_text()
    {
        var thread = WidgetSystem.NewThread("payloads");
        const string name = "<img src=x onerror=\"window.pwned=1\">Mallory";
        const string website = "https://mallory.example.org/?q=\"><script>window.pwned=2</script>";
        const string body = "<script>window.pwned=3</script><b>bold?</b><iframe src=\"javascript:window.pwned=4\"></iframe>\n<a href=\"javascript:alert(1)\">x</a>";
        var reader = await system.OpenAsync(system.News.Article(thread));
        await reader.FillAsync(name, "mallory+<b>@example.org", website, body);
        await reader.PostButton.ClickAsync();
        // The email's '<' is refused by the form, as the server would; everything else may be sent as it is.
        await Expect(reader.Error("authorEmail")).Not.ToBeEmptyAsync();
        await reader.FillAsync(email: "mallory@example.org");
        var id = await reader.PostAsync();
        // Markup like this looks like spam to the model: a moderator lets it through, and it must still be inert.
        await system.Service.ApproveAsync(id);
        await Expect(reader.Comment("bold?")).Not.ToContainTextAsync("awaiting moderation", new() { Timeout = 15_000 });

        foreach (var fresh in new[] { false, true })
        {
            if (fresh) await reader.Page.ReloadAsync(); // the second time from the server
            var comment = reader.Comment("bold?");
            await Expect(comment.Locator(".text")).ToHaveTextAsync(body);
            await Expect(comment.Locator(".who")).ToHaveTextAsync(name);
            await Expect(comment.Locator(".who")).ToHaveAttributeAsync("href", website);
            Assert.Equal(0, await comment.Locator("img, script, b, iframe, .text a").CountAsync());
        }
        Assert.Null(await reader.Page.EvaluateAsync<int?>("() => window.pwned"));
        Assert.Empty(reader.Problems);
    }

    [Fact]
    public async Task Report_opens_a_reason_picker_and_sends_the_report()
    {
        var thread = WidgetSystem.NewThread("report");
        var id = await system.Service.PublishAsync(thread, "Vic Troll", "Everyone who takes the ferry is a fool.");
        var reader = await system.OpenAsync(system.News.Article(thread));
        var comment = reader.Comment("is a fool");
        var report = comment.GetByRole(AriaRole.Button, new() { Name = "Report", Exact = true });
        await report.ClickAsync();

        await Expect(report).ToHaveAttributeAsync("aria-expanded", "true");
        var picker = comment.GetByRole(AriaRole.Group, new() { Name = "Why are you reporting this comment?" });
        await Expect(picker.GetByRole(AriaRole.Radio)).ToHaveCountAsync(4);
        await picker.GetByRole(AriaRole.Radio, new() { Name = "Abusive or hateful" }).CheckAsync();
        var request = await reader.Page.RunAndWaitForRequestAsync(
            () => comment.GetByRole(AriaRole.Button, new() { Name = "Send report" }).ClickAsync(),
            r => r.Method == "POST" && r.Url.EndsWith($"/api/v1/comments/{id}/reports", StringComparison.Ordinal));
        Assert.Equal("""{"reason":"abuse"}""", request.PostData);
        await Expect(comment.Locator(".report .status")).ToHaveTextAsync("Thank you. A moderator will take a look.");

        // The moderators see it in the reported queue, with the reader's reason.
        using var moderator = system.Service.StaffClient();
        var queue = await moderator.GetStringAsync($"/api/v1/moderation/queues/reported?siteId={CommentService.SiteId}&threadId={Uri.EscapeDataString(thread)}");
        Assert.Contains(id.ToString(), queue);
        Assert.Contains("\"abuse\":1", queue);
    }
}
