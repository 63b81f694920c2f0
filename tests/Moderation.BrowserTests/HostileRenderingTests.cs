using Moderation.BrowserTests.Infrastructure;
using Moderation.Data.Comments;
using static Microsoft.Playwright.Assertions;

namespace Moderation.BrowserTests;

/// <summary>
/// What readers and moderators see of hostile stored data (written straight to the database: ingestion refuses
/// some of it now, but not everything stored was checked): bidirectional controls that would reorder the text
/// after a name or a body, links whose text pretends to go elsewhere, article URLs on other sites.
/// </summary>
[Collection(WidgetCollection.Name)]
public sealed class HostileRenderingTests(WidgetSystem system)
{
    private const string Rlo = "\u202E", Pdi = "\u2069", Lri = "\u2066";

    /// <summary>Reverses everything after it, up to the end of its paragraph, unless the name is isolated.</summary>
    private const string ReversingName = "Mallory " + Rlo + "gnp.exe";
    /// <summary>A stray pop-directional-isolate first: in Chromium it would end the name's isolation early.</summary>
    private const string EscapingName = Pdi + Pdi + Rlo + "Eve";
    private const string ReversingBody = "Great article " + Rlo + "but read this backwards";
    private const string EscapingBody = "Agreed " + Lri + "x" + Pdi + Pdi + Rlo + " with all of it";

    /// <summary>
    /// True when the characters after the element's first &lt;bdi&gt; (the rest of its text) are laid out left to right,
    /// each after the &lt;bdi&gt;: what a reversing control that escaped the name would change.
    /// </summary>
    private const string ReadsLeftToRightAfterTheName = """
        el => {
          const name = el.querySelector("bdi");
          const range = document.createRange(), xs = [name.getBoundingClientRect().right - 1];
          const text = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
          for (let n = text.nextNode(); n; n = text.nextNode()) {
            if (name.contains(n) || !(name.compareDocumentPosition(n) & Node.DOCUMENT_POSITION_FOLLOWING)) continue;
            for (let i = 0; i < n.length; i++) {
              if (n.data[i] === " ") continue;
              range.setStart(n, i); range.setEnd(n, i + 1);
              xs.push(range.getBoundingClientRect().left);
            }
          }
          return xs.length > 2 && xs.every((x, i) => i === 0 || x >= xs[i - 1]);
        }
        """;

    [Fact]
    public async Task Bidi_controls_in_names_and_bodies_cannot_reorder_the_text_after_them_in_the_widget()
    {
        var thread = WidgetSystem.NewThread("hostile-bidi");
        var service = system.Service;
        var mallory = await service.StoreAsync(thread, ReversingName, ReversingBody, CommentStatus.Approved);
        var eve = await service.StoreAsync(thread, EscapingName, EscapingBody, CommentStatus.Approved, c => c.ParentId = mallory);
        await service.StoreAsync(thread, "Ada Lovelace", "The ferry timetable is on the council's site.", CommentStatus.Approved, c => c.ParentId = eve);

        // A site's own wording puts text after the name: that text must still read in order.
        var reader = await system.OpenAsync(system.News.Article(thread, new Dictionary<string, string>
        {
            ["data-max-depth"] = "0",
            ["data-strings"] = """{"inReplyTo": "replying to {name} above", "replyTo": "Reply to {name} here"}""",
        }));
        await Expect(reader.Count).ToHaveTextAsync("3 comments");

        foreach (var (name, body) in new[] { (ReversingName, ReversingBody), (EscapingName, EscapingBody), ("Ada Lovelace", "The ferry timetable") })
        {
            var comment = reader.Comment(body.Split(Rlo)[0].Split(Lri)[0].Trim());
            await Expect(comment).ToHaveCountAsync(1);
            var who = comment.Locator(".who bdi");
            // Only a stray closer is dropped; the name is otherwise as stored, in an isolated element of its own.
            Assert.Equal(name.TrimStart('\u2069'), await who.TextContentAsync());
            await Expect(who).ToHaveCSSAsync("unicode-bidi", "isolate");
            await Expect(comment.Locator(".text")).ToHaveCSSAsync("unicode-bidi", "isolate");
            // The time stands after the name, where it belongs.
            var nameBox = (await who.BoundingBoxAsync())!;
            var timeBox = (await comment.Locator("time").BoundingBoxAsync())!;
            Assert.True(timeBox.X >= nameBox.X + nameBox.Width - 1, $"the time of the comment by {name} is left of the name");
        }
        Assert.Equal(EscapingBody.Replace(Pdi + Pdi, Pdi), await reader.Comment("Agreed").Locator(".text").TextContentAsync());

        // "replying to ‮Mallory above": the name is isolated, "above" still reads "above".
        var replyToMallory = reader.Comment("Agreed").Locator(".to");
        await Expect(replyToMallory.Locator("bdi")).ToHaveTextAsync(ReversingName);
        Assert.True(await replyToMallory.EvaluateAsync<bool>(ReadsLeftToRightAfterTheName), "the text after Mallory's name is reordered");
        var replyToEve = reader.Comment("ferry timetable").Locator(".to");
        await Expect(replyToEve.Locator("bdi")).ToHaveCSSAsync("unicode-bidi", "isolate");
        Assert.True(await replyToEve.EvaluateAsync<bool>(ReadsLeftToRightAfterTheName), "the text after Eve's name is reordered");

        // The reply form's title names the author the same way.
        await reader.Comment("Agreed").GetByRole(AriaRole.Button, new() { Name = "Reply", Exact = true }).ClickAsync();
        var title = reader.Form.Locator("h3").First;
        await Expect(title).ToHaveTextAsync("Reply to " + EscapingName.TrimStart('\u2069') + " here");
        Assert.True(await title.EvaluateAsync<bool>(ReadsLeftToRightAfterTheName), "the reply form's title is reordered");
        await Artifacts.ScreenshotAsync(reader.Widget, "hostile-bidi");
        Assert.Empty(reader.Problems);
        Assert.Empty(await reader.CspViolationsAsync());
    }

    [Fact]
    public async Task The_widget_links_an_author_only_to_a_plain_web_address_and_shows_the_host_it_goes_to()
    {
        var thread = WidgetSystem.NewThread("hostile-links");
        var service = system.Service;
        await service.StoreAsync(thread, "PayPal Support", "Your account is locked, log in here.", CommentStatus.Approved,
            c => c.AuthorUrl = "https://paypal.com@evil.example/login");
        await service.StoreAsync(thread, "Scripted", "Click my name.", CommentStatus.Approved, c => c.AuthorUrl = "javascript:alert(document.domain)");
        await service.StoreAsync(thread, "Data", "Or this one.", CommentStatus.Approved, c => c.AuthorUrl = "data:text/html,<script>alert(1)</script>");
        await service.StoreAsync(thread, "Look-alike", "Totally the real one.", CommentStatus.Approved, c => c.AuthorUrl = "https://аррle.com/support");
        await service.StoreAsync(thread, "Ada Lovelace", "Notes on the new engines.", CommentStatus.Approved, c => c.AuthorUrl = "https://ada.example:8443/notes?from=ferry");

        var reader = await system.OpenAsync(system.News.Article(thread));
        await Expect(reader.Count).ToHaveTextAsync("5 comments");
        foreach (var text in new[] { "account is locked", "Click my name", "Or this one" })
        {
            var comment = reader.Comment(text);
            await Expect(comment.Locator("span.who bdi")).ToBeVisibleAsync();
            Assert.Equal(0, await comment.Locator("a, .host").CountAsync());
        }

        var ada = reader.Comment("new engines").Locator(".head");
        await Expect(ada.Locator("a.who")).ToHaveAttributeAsync("href", "https://ada.example:8443/notes?from=ferry");
        await Expect(ada.Locator("a.who")).ToHaveTextAsync("Ada Lovelace");
        await Expect(ada.Locator("bdi.host")).ToHaveTextAsync("ada.example:8443");
        // Cyrillic letters that look like "apple.com" show as the punycode host they are.
        var lookAlike = reader.Comment("real one").Locator(".head");
        await Expect(lookAlike.Locator("a.who")).ToBeVisibleAsync();
        await Expect(lookAlike.Locator("bdi.host")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^xn--[a-z0-9-]+\\.com$"));
        await Artifacts.ScreenshotAsync(reader.Widget, "hostile-links");
        Assert.Empty(reader.Problems);
    }

    [Fact]
    public async Task The_console_isolates_reader_strings_and_links_an_article_only_on_its_sites_origins()
    {
        var thread = WidgetSystem.NewThread("hostile-console");
        var service = system.Service;
        var allowed = system.News.Origin + "/articles/ferry";
        var parent = await service.StoreAsync(thread, ReversingName, ReversingBody, CommentStatus.Approved);
        await service.StoreAsync(thread, EscapingName, EscapingBody + " (offsite)", CommentStatus.Held, c =>
        {
            c.ParentId = parent;
            c.ThreadTitle = Rlo + "Harbour ferry returns";
            c.ThreadUrl = "https://evil.example/harbour-ferry";
            c.AuthorUrl = "https://paypal.com@evil.example/login";
            c.UserAgent = "Mozilla/5.0 " + Rlo + "evil";
        });
        await service.StoreAsync(thread, "Scripted", "Click my website (scripted)", CommentStatus.Held, c =>
        {
            c.ThreadTitle = "Harbour ferry returns";
            c.ThreadUrl = "javascript:alert(document.domain)";
            c.AuthorUrl = "javascript:alert(document.domain)";
        });
        await service.StoreAsync(thread, "Ada Lovelace", "On the site's own page (own)", CommentStatus.Held, c =>
        {
            c.ThreadTitle = "Harbour ferry returns";
            c.ThreadUrl = allowed;
            c.AuthorUrl = "https://ada.example/notes";
        });

        var console = await ConsolePage.OpenAsync(system);
        await console.SignInAsync(CommentService.AdminKey);
        await console.Page.GetByLabel("Thread", new() { Exact = true }).FillAsync(thread);
        await console.Page.GetByLabel("Sort").SelectOptionAsync("oldest");
        await console.Page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        await Expect(console.Items).ToHaveCountAsync(3);

        // An article URL on another origin is text; the title and " · reply" after it keep their order.
        var offsite = console.Item("(offsite)");
        await Expect(offsite.Locator(".where a")).ToHaveCountAsync(0);
        await Expect(offsite.Locator(".where .unlinked")).ToContainTextAsync("evil.example");
        await Expect(offsite.Locator(".author bdi")).ToHaveCSSAsync("unicode-bidi", "isolate");
        Assert.Equal(EscapingName.TrimStart('\u2069'), await offsite.Locator(".author bdi").TextContentAsync());
        await Expect(offsite.Locator("p.body")).ToHaveCSSAsync("unicode-bidi", "isolate");
        Assert.True(await offsite.Locator(".where").EvaluateAsync<bool>(ReadsLeftToRightAfterTheName), "the text after the article's title is reordered");
        // The author's address with user info is no link, and says so.
        await Expect(offsite.Locator(".item-top a")).ToHaveCountAsync(0);
        await Expect(offsite.Locator(".url")).ToContainTextAsync("(not linked)");
        await Expect(console.Item("(scripted)").Locator(".url")).ToContainTextAsync("(not linked)");
        await Expect(console.Item("(scripted)").Locator(".where a")).ToHaveCountAsync(0);

        var own = console.Item("(own)");
        await Expect(own.Locator(".where a")).ToHaveAttributeAsync("href", allowed);
        await Expect(own.Locator("a.url")).ToHaveTextAsync("ada.example");
        await Expect(own.Locator("a.url")).ToHaveAttributeAsync("href", "https://ada.example/notes");
        Assert.Equal(0, await console.Page.Locator("a[href^='javascript:' i], a[href^='data:' i]").CountAsync());

        // The detail pane: every stored reader string isolated; the parent's name does not reorder its status after it.
        await offsite.Locator("p.body").ClickAsync();
        var detail = console.Page.Locator("aside.detail");
        await Expect(detail).ToContainTextAsync("evil");
        await Expect(detail.Locator(".parent .author bdi")).ToHaveTextAsync(ReversingName);
        Assert.True(await detail.Locator(".parent .author").EvaluateAsync<bool>(ReadsLeftToRightAfterTheName), "the parent's status is reordered");
        await Expect(detail.Locator(".parent p.body")).ToHaveCSSAsync("unicode-bidi", "isolate");
        foreach (var dd in await detail.Locator(".facts dd").AllAsync())
            Assert.True(await dd.EvaluateAsync<bool>("dd => [...dd.childNodes].every(n => n.nodeType !== Node.TEXT_NODE || !n.data.trim())"),
                $"a detail value outside an isolated element: {await dd.TextContentAsync()}");
        await Expect(detail.Locator(".facts dd a")).ToHaveCountAsync(0); // the address with user info, again no link

        // "o" does not open an article on another origin.
        await console.Page.Keyboard.PressAsync("o");
        await Expect(console.Page.Locator("#alerts")).ToContainTextAsync("not on one of its site's allowed origins");
        Assert.Single(console.Page.Context.Pages);
        await Artifacts.ScreenshotAsync(console.Page.Locator("body"), "console-hostile");
        await console.AssertCleanAsync();
    }
}
