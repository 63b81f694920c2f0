using Moderation.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Moderation.BrowserTests;

/// <summary>A reader posts on a news site's article (another origin) and follows their comment.</summary>
[Collection(WidgetCollection.Name)]
public sealed class PostingTests(WidgetSystem system)
{
    private const string AwaitingModeration = "Your comment is awaiting moderation.";

    [Fact]
    public async Task A_friendly_comment_shows_as_awaiting_moderation_then_as_a_normal_comment()
    {
        var thread = WidgetSystem.NewThread("friendly");
        var reader = await system.OpenAsync(system.News.Article(thread));
        await Expect(reader.Count).ToHaveTextAsync("No comments yet");

        // A reader's own remark: a line of praise with a website is what compliment spam looks like, and is held.
        const string body = "The ferry is running again, but the timetable on the council site still lists the winter sailings.";
        await reader.FillAsync("Ada Lovelace", "ada@example.org", "https://ada.example.org", body);
        await reader.PostAsync();

        var mine = reader.Comment(body);
        await Expect(mine).ToContainTextAsync(AwaitingModeration);
        await Expect(reader.Field("body")).ToHaveValueAsync("");
        await Expect(reader.Field("authorName")).ToHaveValueAsync("Ada Lovelace");

        // The scorer approves it; status polling turns it into a normal comment with its actions.
        await Expect(mine).Not.ToContainTextAsync(AwaitingModeration, new() { Timeout = 15_000 });
        await Expect(mine.GetByRole(AriaRole.Button, new() { Name = "Reply" })).ToBeVisibleAsync();
        await Expect(reader.Count).ToHaveTextAsync("1 comment");
        await Expect(reader.FormStatus).ToHaveTextAsync("Your comment has been published.");

        await reader.Page.ReloadAsync();
        await Expect(reader.Comment(body)).ToContainTextAsync("Ada Lovelace");
        var author = reader.Comment(body).GetByRole(AriaRole.Link, new() { Name = "Ada Lovelace" });
        await Expect(author).ToHaveAttributeAsync("href", "https://ada.example.org");
        await Expect(author).ToHaveAttributeAsync("rel", "nofollow ugc noopener");
        Assert.Empty(reader.Problems);
    }

    [Fact]
    public async Task A_held_comment_awaits_moderation_until_a_moderator_approves_it()
    {
        var thread = WidgetSystem.NewThread("held");
        await system.Service.PublishAsync(thread, "Grace Hopper", "The timetable on the quay still shows the winter hours.");
        var reader = await system.OpenAsync(system.News.Article(thread));
        await reader.FillAsync("Sam Quayle", "sam@example.org", body: $"Shame the old {CommentService.HoldWord} by the pier never reopened.");
        var id = await reader.PostAsync();

        var mine = reader.Comment("never reopened");
        await Expect(mine).ToContainTextAsync(AwaitingModeration);
        await system.Service.WaitForStatusAsync(id, Moderation.Data.Comments.CommentStatus.Held);
        await Task.Delay(1500); // a poll or two: held reads as awaiting moderation, and stays so
        await Expect(mine).ToContainTextAsync(AwaitingModeration);
        await Expect(reader.Count).ToHaveTextAsync("1 comment");
        await Artifacts.ScreenshotAsync(reader.Widget, "awaiting-moderation");

        await system.Service.ApproveAsync(id);

        await Expect(mine).Not.ToContainTextAsync(AwaitingModeration, new() { Timeout = 30_000 });
        await Expect(reader.Count).ToHaveTextAsync("2 comments");
        await reader.Page.ReloadAsync();
        await Expect(reader.Comments).ToHaveCountAsync(2);
        await Expect(reader.Comments.Nth(1)).ToContainTextAsync("never reopened");
        Assert.Empty(reader.Problems);
    }

    [Fact]
    public async Task A_503_shows_a_friendly_message_keeps_the_text_and_retries_after_Retry_After()
    {
        var thread = WidgetSystem.NewThread("busy");
        var reader = await system.OpenAsync(system.News.Article(thread));
        var refused = 0;
        await reader.InterceptSubmissionsAsync(route => Interlocked.Increment(ref refused) > 1
            ? route.ContinueAsync()
            : WidgetPage.FulfillProblemAsync(route, 503, system.News.Origin, """{"title":"Service unavailable.","status":503}""",
                new() { ["Retry-After"] = "1", ["Access-Control-Expose-Headers"] = "Retry-After" }));
        const string text = "Please keep this text: the new engines are much quieter.";
        await reader.FillAsync("Lin Park", "lin@example.org", body: text);
        await reader.PauseLikeAPersonAsync();
        await reader.PostButton.ClickAsync();

        await Expect(reader.FormStatus).ToContainTextAsync("your comment is kept");
        await Expect(reader.Field("body")).ToHaveValueAsync(text);
        await Artifacts.ScreenshotAsync(reader.Form, "busy-retrying");

        // The widget tries again by itself after Retry-After, and this time the service takes it.
        await Expect(reader.Comment(text)).ToBeVisibleAsync();
        await Expect(reader.Field("body")).ToHaveValueAsync("");
        Assert.Equal(2, reader.Submissions.Count);
        await Expect(reader.Comment(text)).Not.ToContainTextAsync(AwaitingModeration, new() { Timeout = 15_000 });
    }

    [Fact]
    public async Task Offline_keeps_the_text_offers_a_retry_and_posts_once_back_online()
    {
        var thread = WidgetSystem.NewThread("offline");
        var reader = await system.OpenAsync(system.News.Article(thread));
        const string text = "Typed on the ferry, where the signal drops.";
        await reader.FillAsync("Noor Haddad", "noor@example.org", body: text);
        await reader.PauseLikeAPersonAsync();

        await reader.Page.Context.SetOfflineAsync(true);
        await reader.PostButton.ClickAsync();
        await Expect(reader.FormStatus).ToContainTextAsync("offline");
        await Expect(reader.Field("body")).ToHaveValueAsync(text);
        var retry = reader.FormStatus.GetByRole(AriaRole.Button, new() { Name = "Try again" });
        await retry.ClickAsync(); // still offline: the same message, the text still kept
        await Expect(reader.FormStatus).ToContainTextAsync("offline");
        await Expect(retry).ToBeVisibleAsync();
        await Expect(reader.Field("body")).ToHaveValueAsync(text);

        // Back online, the widget posts by itself.
        await reader.Page.Context.SetOfflineAsync(false);
        await Expect(reader.Comment(text)).ToContainTextAsync(AwaitingModeration);
        await Expect(reader.Field("body")).ToHaveValueAsync("");
        await Expect(reader.Comments).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task The_form_can_be_filled_and_posted_with_the_keyboard_alone_with_visible_focus()
    {
        var thread = WidgetSystem.NewThread("keyboard");
        var reader = await system.OpenAsync(system.News.Article(thread));
        var keyboard = reader.Page.Keyboard;

        // Tab from the top of the page into the form.
        for (var presses = 0; presses < 20 && !await IsFocusedAsync(reader.Field("authorName")); presses++)
            await keyboard.PressAsync("Tab");
        Assert.True(await IsFocusedAsync(reader.Field("authorName")), "Tab never reached the Name field.");
        Assert.NotEqual("none", await reader.Field("authorName").EvaluateAsync<string>("e => getComputedStyle(e).outlineStyle"));

        await keyboard.TypeAsync("Kay Ortiz");
        await keyboard.PressAsync("Tab");
        await keyboard.TypeAsync("kay@example.org");
        await keyboard.PressAsync("Tab"); // Website, left empty
        await keyboard.PressAsync("Tab");
        await keyboard.TypeAsync("Posted without touching the mouse.");
        await keyboard.PressAsync("Tab");
        Assert.True(await IsFocusedAsync(reader.Page.Locator("#mw-remember")));
        await keyboard.PressAsync("Space");
        await keyboard.PressAsync("Tab");
        Assert.True(await IsFocusedAsync(reader.PostButton));
        Assert.NotEqual("none", await reader.PostButton.EvaluateAsync<string>("e => getComputedStyle(e).outlineStyle"));

        await reader.PauseLikeAPersonAsync();
        await keyboard.PressAsync("Enter");
        await Expect(reader.Comment("Posted without touching the mouse.")).ToContainTextAsync(AwaitingModeration);
        await Expect(reader.FormStatus).ToContainTextAsync("awaiting moderation");
        Assert.Single(reader.Submissions);
    }

    [Fact]
    public async Task Name_email_and_website_are_remembered_only_when_the_reader_ticks_the_box()
    {
        var thread = WidgetSystem.NewThread("remember");
        var url = system.News.Article(thread);
        var reader = await system.OpenAsync(url);
        await reader.FillAsync("Remy Stone", "remy@example.org", "https://remy.example.org", "Not remembered.");
        await reader.PostAsync();
        Assert.Null(await reader.Page.EvaluateAsync<string?>("() => localStorage.getItem('moderation-widget:author')"));
        Assert.Empty(await reader.Page.Context.CookiesAsync());

        await reader.FillAsync(body: "Remembered this time.");
        await reader.Page.Locator("#mw-remember").CheckAsync();
        await reader.PostAsync();
        await reader.Page.ReloadAsync();
        await Expect(reader.Field("authorName")).ToHaveValueAsync("Remy Stone");
        await Expect(reader.Field("authorEmail")).ToHaveValueAsync("remy@example.org");
        await Expect(reader.Field("authorUrl")).ToHaveValueAsync("https://remy.example.org");
        await Expect(reader.Page.Locator("#mw-remember")).ToBeCheckedAsync();
        Assert.Empty(await reader.Page.Context.CookiesAsync());
    }

    private static Task<bool> IsFocusedAsync(ILocator locator) =>
        locator.EvaluateAsync<bool>("e => e.getRootNode().activeElement === e && document.hasFocus()");
}
