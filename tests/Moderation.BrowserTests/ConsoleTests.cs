using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Deque.AxeCore.Playwright;
using Microsoft.EntityFrameworkCore;
using Moderation.BrowserTests.Infrastructure;
using Moderation.Data.Comments;
using Moderation.Data.Models;
using Moderation.Data.Reviews;
using Moderation.Data.Sites;
using Moderation.ModerationApi.StaffConsole;
using Moderation.Spam;
using static Microsoft.Playwright.Assertions;

namespace Moderation.BrowserTests;

/// <summary>The moderators' and admins' console at /console/, in headless Chromium against the standalone host.</summary>
[Collection(WidgetCollection.Name)]
public sealed class ConsoleTests(WidgetSystem system)
{
    private CommentService Service => system.Service;

    private Task<ConsolePage> OpenAsync(ColorScheme scheme = ColorScheme.Light) => ConsolePage.OpenAsync(system, scheme);

    private async Task<ConsolePage> SignedInAsAdminAsync()
    {
        var console = await OpenAsync();
        await console.SignInAsync(CommentService.AdminKey);
        return console;
    }

    [Fact]
    public async Task The_console_is_served_under_a_strict_CSP_and_its_scripts_use_no_HTML_sinks()
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var redirect = await http.GetAsync(Service.Url + "/console");
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        Assert.Equal(Service.Url + "/console/", new Uri(new Uri(Service.Url + "/console"), redirect.Headers.Location!).ToString());

        var page = await http.GetAsync(Service.Url + "/console/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var csp = page.Headers.GetValues("Content-Security-Policy").Single();
        // With SSO configured, the console may also reach the identity provider's origin, and nothing else.
        Assert.Equal(ConsoleEndpoints.ContentSecurityPolicyFor(system.Identity.Url), csp);
        Assert.Contains("script-src 'self';", csp);
        Assert.Contains($"connect-src 'self' {system.Identity.Url};", csp);
        Assert.Contains("connect-src 'self';", ConsoleEndpoints.ContentSecurityPolicy);
        Assert.Contains("require-trusted-types-for 'script'", csp);
        Assert.DoesNotContain("unsafe", csp);
        var html = await page.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<style", html);
        Assert.DoesNotContain(" style=", html);
        Assert.Matches("<script type=\"module\" src=\"js/app.js\"></script>", html);

        var revalidate = new HttpRequestMessage(HttpMethod.Get, Service.Url + "/console/js/app.js");
        revalidate.Headers.IfNoneMatch.Add((await http.GetAsync(Service.Url + "/console/js/app.js")).Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await http.SendAsync(revalidate)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(Service.Url + "/console/js/nothing.js")).StatusCode);

        var scripts = ConsoleEndpoints.Files.Paths.Where(p => p.StartsWith("js/", StringComparison.Ordinal)).ToList();
        Assert.Contains("js/queue.js", scripts);
        foreach (var path in scripts)
        {
            Assert.True(ConsoleEndpoints.Files.TryGet(path, out var file));
            var text = Encoding.UTF8.GetString(file.Plain);
            foreach (var sink in new[] { "innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function", "localStorage" })
                Assert.False(text.Contains(sink, StringComparison.Ordinal), $"{path} uses {sink}.");
        }
        // The vendored charting library is there, with its licence.
        Assert.True(ConsoleEndpoints.Files.TryGet("vendor/chart.umd.min.js", out var chart));
        Assert.Contains("Chart.js v4.6.1", Encoding.UTF8.GetString(chart.Plain.AsSpan(0, 200)));
        Assert.True(ConsoleEndpoints.Files.TryGet("vendor/chart.js.LICENSE.md", out _));
        Assert.True(ConsoleEndpoints.Files.TryGet("vendor/chartjs-plugin-annotation.min.js", out _));
    }

    [Fact]
    public async Task Signing_in_rejects_a_bad_key_and_enters_with_a_good_one()
    {
        var console = await OpenAsync();
        await Artifacts.ScreenshotAsync(console.Page.Locator("body"), "console-login");

        await console.KeyField.FillAsync("not-a-key-" + Guid.NewGuid());
        await console.SignInButton.ClickAsync();
        await Expect(console.Page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "not accepted" })).ToBeVisibleAsync();
        await Expect(console.Header).ToBeHiddenAsync();
        Assert.Null(await console.Page.EvaluateAsync<string?>("() => sessionStorage.getItem('moderation.apiKey')"));

        await console.SignInAsync(CommentService.AdminKey);
        await Expect(console.Page.Locator("#who")).ToContainTextAsync("bootstrap");
        await Expect(console.Page.Locator("#who")).ToContainTextAsync("admin");
        foreach (var section in new[] { "Queue", "Thresholds", "Sites", "Models", "Bans", "Audit", "Keys", "Privacy" })
            await Expect(console.Nav(section)).ToBeVisibleAsync();
        Assert.Equal(CommentService.AdminKey, await console.Page.EvaluateAsync<string>("() => sessionStorage.getItem('moderation.apiKey')"));

        // The tab remembers the key across a reload, and forgets it on signing out.
        await console.Page.ReloadAsync();
        await Expect(console.Header).ToBeVisibleAsync();
        await console.Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(console.KeyField).ToBeVisibleAsync();
        Assert.Null(await console.Page.EvaluateAsync<string?>("() => sessionStorage.getItem('moderation.apiKey')"));
        await console.AssertCleanAsync();
    }

    [Fact]
    public async Task An_admin_creates_a_moderator_key_sees_it_once_and_the_moderator_sees_only_the_queue_until_it_is_revoked()
    {
        var admin = await SignedInAsAdminAsync();
        await admin.Nav("Keys").ClickAsync();
        var name = "Night desk " + Guid.NewGuid().ToString("N")[..6];
        await admin.Page.GetByLabel("Name", new() { Exact = true }).FillAsync(name);
        await admin.Page.GetByLabel("Role").SelectOptionAsync("moderator");
        await admin.Page.GetByRole(AriaRole.Button, new() { Name = "Create key" }).ClickAsync();
        var shown = admin.Page.GetByLabel("Key", new() { Exact = true });
        await Expect(shown).ToBeVisibleAsync();
        var key = await shown.InputValueAsync();
        Assert.True(key.Length >= 32, key);
        await Expect(admin.Page.GetByText("shown only this once")).ToBeVisibleAsync();
        await Expect(admin.Page.GetByRole(AriaRole.Row).Filter(new() { HasText = name })).ToContainTextAsync("moderator");
        await Artifacts.ScreenshotAsync(admin.Page.Locator("body"), "console-keys");

        var moderator = await OpenAsync();
        await moderator.SignInAsync(key);
        await Expect(moderator.Page.Locator("#who")).ToContainTextAsync(name);
        await Expect(moderator.Nav("Queue")).ToBeVisibleAsync();
        await Expect(moderator.Nav("Bans")).ToBeVisibleAsync();
        await Expect(moderator.Nav("Keys")).ToHaveCountAsync(0);
        await Expect(moderator.Nav("Privacy")).ToHaveCountAsync(0);
        await Expect(moderator.Nav("Thresholds")).ToHaveCountAsync(0);

        admin.Page.Dialog += (_, d) => admin.Problems.Add("unexpected native dialog: " + d.Message);
        await admin.Page.GetByRole(AriaRole.Button, new() { Name = $"Revoke {name}" }).ClickAsync();
        await admin.Page.Locator("dialog[open]").GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
        await Expect(admin.Page.GetByRole(AriaRole.Row).Filter(new() { HasText = name })).ToContainTextAsync("revoked");

        // Within the key cache's few seconds the moderator's next call is refused and the console signs out.
        await Expect(moderator.KeyField).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await admin.AssertCleanAsync();
    }

    [Fact]
    public async Task A_moderator_works_the_held_queue_from_the_keyboard()
    {
        var thread = WidgetSystem.NewThread("queue");
        var ids = new List<Guid>();
        foreach (var (author, text) in new[]
        {
            ("Ines Moreau", "First: the timetable on the pier is wrong again"),
            ("Bart Oduya", "Second: win big tonight at the online tables"),
            ("Carla Numan", "Third: does the ferry take bicycles now"),
            ("Dev Aranha", "Fourth: the island cafe reopens on Friday"),
            ("Elif Sato", "Fifth: parking at the north quay is free after six"),
        })
            ids.Add(await Service.HoldAsync(thread, author, text));

        var console = await SignedInAsAdminAsync();
        await Expect(console.Tab("held")).ToHaveAttributeAsync("aria-current", "page");
        await console.Page.GetByLabel("Thread", new() { Exact = true }).FillAsync(thread);
        await console.Page.GetByLabel("Sort").SelectOptionAsync("oldest");
        await console.Page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        await Expect(console.Items).ToHaveCountAsync(5);
        await Expect(console.Items.First).ToContainTextAsync("First: the timetable");
        await Expect(console.Items.First).ToContainTextAsync("contains held word 'casino'");
        await Expect(console.Current).ToContainTextAsync("First:");
        await Expect(console.Tab("held").Locator(".count")).Not.ToHaveTextAsync("…");

        // j / k move; the detail pane follows with what only moderators see.
        await console.Page.Keyboard.PressAsync("j");
        await Expect(console.Current).ToContainTextAsync("Second:");
        await Expect(console.Page.Locator("aside.detail")).ToContainTextAsync("reader@example.org");
        await console.Page.Keyboard.PressAsync("j");
        await console.Page.Keyboard.PressAsync("k");
        await Expect(console.Current).ToContainTextAsync("Second:");
        await Artifacts.ScreenshotAsync(console.Page.Locator("body"), "console-queue");

        // s files the casino pitch as spam; it leaves the list and the next one is current.
        await console.Page.Keyboard.PressAsync("s");
        await Expect(console.Item("Second:")).ToHaveCountAsync(0);
        await Expect(console.Current).ToContainTextAsync("Third:");
        await Service.WaitForStatusAsync(ids[1], CommentStatus.Spam);

        // k back to the first, a approves it: gone from the queue, and on the article for readers.
        await console.Page.Keyboard.PressAsync("k");
        await Expect(console.Current).ToContainTextAsync("First:");
        await console.Page.Keyboard.PressAsync("a");
        await Expect(console.Item("First:")).ToHaveCountAsync(0);
        await Expect(console.Items).ToHaveCountAsync(3);
        await Service.WaitForStatusAsync(ids[0], CommentStatus.Approved);
        await WaitUntilReadersSeeAsync(thread, "First: the timetable on the pier is wrong again");

        // x selects two, the bulk bar counts them, Shift+A approves both.
        await Expect(console.Current).ToContainTextAsync("Third:");
        await console.Page.Keyboard.PressAsync("x");
        await console.Page.Keyboard.PressAsync("j");
        await console.Page.Keyboard.PressAsync("x");
        await Expect(console.Page.GetByRole(AriaRole.Region, new() { Name = "Bulk actions" })).ToContainTextAsync("2 selected");
        await console.Page.Keyboard.PressAsync("Shift+A");
        await Expect(console.Items).ToHaveCountAsync(1);
        await Expect(console.Items.First).ToContainTextAsync("Fifth:");
        await Service.WaitForStatusAsync(ids[2], CommentStatus.Approved);
        await Service.WaitForStatusAsync(ids[3], CommentStatus.Approved);

        // r asks for a reason; 3 picks "Personal attack"… Enter rejects.
        await console.Page.Keyboard.PressAsync("r");
        var dialog = console.Page.Locator("dialog[open]");
        await Expect(dialog).ToContainTextAsync("Reject: why?");
        await console.Page.Keyboard.PressAsync("3");
        await console.Page.Keyboard.PressAsync("Enter");
        await Expect(console.Items).ToHaveCountAsync(0);
        await Service.WaitForStatusAsync(ids[4], CommentStatus.Rejected);
        Assert.Equal("personalAttack", await Service.WithDbAsync(db => db.Comments.Where(c => c.Id == ids[4]).Select(c => c.RejectReason).SingleAsync()));

        // ? shows the shortcuts.
        await console.Page.Keyboard.PressAsync("?");
        await Expect(console.Page.Locator("dialog.help")).ToContainTextAsync("approve the selected comments");
        await console.Page.Keyboard.PressAsync("Escape");
        await Expect(console.Page.Locator("dialog.help")).ToHaveCountAsync(0);
        await console.AssertCleanAsync();
    }

    [Fact]
    public async Task Decide_all_matching_approves_every_held_comment_on_a_thread_not_only_the_loaded_ones()
    {
        var thread = WidgetSystem.NewThread("by-filter");
        var ids = new List<Guid>();
        for (var i = 0; i < 3; i++) ids.Add(await Service.HoldAsync(thread, $"Reader {i}", $"Comment {i} on the ferry"));
        var console = await SignedInAsAdminAsync();
        await console.Page.GetByLabel("Site", new() { Exact = true }).FillAsync(CommentService.SiteId);
        await console.Page.GetByLabel("Thread", new() { Exact = true }).FillAsync(thread);
        await console.Page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        await Expect(console.Items).ToHaveCountAsync(3);

        await console.Page.GetByRole(AriaRole.Button, new() { Name = "Decide all matching…" }).ClickAsync();
        var dialog = console.Page.Locator("dialog[open]");
        await Expect(dialog).ToContainTextAsync($"thread {thread}");
        await dialog.GetByLabel("Decision").SelectOptionAsync("approve");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Apply to all" }).ClickAsync();
        await Expect(console.Page.Locator("#toasts")).ToContainTextAsync("Approved: 3 comments.");
        await Expect(console.Items).ToHaveCountAsync(0);
        foreach (var id in ids) await Service.WaitForStatusAsync(id, CommentStatus.Approved);
        await console.AssertCleanAsync();
    }

    [Fact]
    public async Task A_second_decision_on_a_comment_someone_else_decided_shows_the_conflict()
    {
        var thread = WidgetSystem.NewThread("conflict");
        var id = await Service.HoldAsync(thread, "Rui Costa", "Late night crossing times please");
        var console = await SignedInAsAdminAsync();
        await console.Page.GetByLabel("Thread", new() { Exact = true }).FillAsync(thread);
        await console.Page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        await Expect(console.Items).ToHaveCountAsync(1);

        // Another moderator files it as spam meanwhile.
        using var http = Service.StaffClient();
        var other = await http.PostAsJsonAsync($"/api/v1/moderation/comments/{id}/decision", new { decision = "spam" });
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);

        await console.Page.Keyboard.PressAsync("a");
        await Expect(console.Item("Late night crossing")).ToContainTextAsync("Conflict");
        await Expect(console.Item("Late night crossing")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("conflict"));
        await Service.WaitForStatusAsync(id, CommentStatus.Spam);
        await console.AssertCleanAsync();
    }

    [Fact]
    public async Task Markup_in_a_comment_stays_text_in_the_queue_and_the_detail_pane()
    {
        var thread = WidgetSystem.NewThread("markup");
        const string body = "Look <img src=x onerror=\"window.__pwned=1\"> and <script>window.__pwned=2</script><b>bold</b>";
        await Service.HoldAsync(thread, "<i>Mallory</i>", body);
        var console = await SignedInAsAdminAsync();
        await console.Page.GetByLabel("Thread", new() { Exact = true }).FillAsync(thread);
        await console.Page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        await Expect(console.Items).ToHaveCountAsync(1);

        var item = console.Items.First;
        await Expect(item.Locator("p.body")).ToContainTextAsync("<img src=x onerror=\"window.__pwned=1\">");
        await Expect(item.Locator(".author")).ToHaveTextAsync("<i>Mallory</i>");
        await Expect(console.Page.Locator("aside.detail")).ToContainTextAsync("<i>Mallory</i>");
        Assert.Equal(0, await console.Page.Locator("main img, main script, main b, main i").CountAsync());
        Assert.Null(await console.Page.EvaluateAsync<object?>("() => window.__pwned ?? null"));
        await console.AssertCleanAsync();
    }

    [Fact]
    public async Task Moving_a_threshold_changes_the_what_if_numbers_and_saving_asks_first()
    {
        var siteId = await SeedScoredSiteAsync();
        var console = await SignedInAsAdminAsync();
        await console.GoAsync($"#/thresholds/{siteId}");

        var approveInput = console.Page.GetByLabel("Approve below", new() { Exact = true });
        await Expect(approveInput).ToHaveValueAsync("0.50");
        var published = console.Page.Locator("td.proposed[data-cell='Published automatically']");
        var held = console.Page.Locator("td.proposed[data-cell='Held for a moderator']");
        var spammed = console.Page.Locator("td.proposed[data-cell='Spam folder']");
        await Expect(published).ToHaveTextAsync("20"); // 40 scores spread evenly: 20 below 0.5
        await Expect(held).ToHaveTextAsync("16");
        await Expect(spammed).ToHaveTextAsync("4");
        Assert.True(await console.Page.EvaluateAsync<bool>("() => typeof window.Chart === 'function'"), "Chart.js did not load.");
        await Expect(console.Page.Locator("canvas")).ToBeVisibleAsync();

        // Moving the lower line to 0.2 publishes fewer: 8 of 40; the spam line to 0.8 spams 8.
        await approveInput.FillAsync("0.2");
        await Expect(published).ToHaveTextAsync("8");
        var rejectSlider = console.Page.GetByLabel("Spam from (slider)");
        await rejectSlider.FocusAsync();
        for (var i = 0; i < 10; i++) await console.Page.Keyboard.PressAsync("ArrowLeft");
        await Expect(console.Page.GetByLabel("Spam from", new() { Exact = true })).ToHaveValueAsync("0.80");
        await Expect(spammed).ToHaveTextAsync("8");
        await Expect(held).ToHaveTextAsync("24");
        await Expect(console.Page.Locator("td.delta").First).ToHaveTextAsync("−12");
        await Artifacts.ScreenshotAsync(console.Page.Locator("body"), "console-thresholds");

        await console.Page.GetByRole(AriaRole.Button, new() { Name = "Save thresholds…" }).ClickAsync();
        var dialog = console.Page.Locator("dialog[open]");
        await Expect(dialog).ToContainTextAsync("0.50 → 0.20");
        await Expect(dialog).ToContainTextAsync("0.90 → 0.80");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save thresholds" }).ClickAsync();
        await Expect(console.Page.Locator(".saved")).ToContainTextAsync("approve below 0.20, spam from 0.80");
        var saved = await Service.WithDbAsync(db => db.Sites.AsNoTracking().SingleAsync(s => s.Id == siteId));
        Assert.Equal(0.2, saved.ApproveBelow, 3);
        Assert.Equal(0.8, saved.RejectAbove, 3);
        await console.AssertCleanAsync();
    }

    [Fact]
    public async Task An_admin_edits_a_sites_hold_words_a_bad_origin_is_named_and_the_audit_log_shows_before_and_after()
    {
        var siteId = await SeedScoredSiteAsync();
        var console = await SignedInAsAdminAsync();
        await console.Nav("Sites").ClickAsync();
        // Every test seeds a Courier of its own: this one's is the link to its id.
        await console.Page.Locator($"a[href='#/sites/{siteId}']").ClickAsync();
        await Expect(console.Page.GetByLabel("Name", new() { Exact = true })).ToHaveValueAsync("The What-If Courier");

        console.ExpectedStatuses.Add(400);
        await console.Page.GetByLabel("Allowed origins").FillAsync("not an origin");
        await console.Page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(console.Page.Locator("[name='allowedOrigins'][aria-invalid='true']")).ToBeVisibleAsync();
        await Expect(console.Page.Locator(".field[data-field='allowedOrigins'] .field-error")).Not.ToBeEmptyAsync();

        await console.Page.GetByLabel("Allowed origins").FillAsync(Service.Url);
        await console.Page.GetByLabel("Hold words").FillAsync("lottery\njackpot");
        await console.Page.GetByLabel("Hold the first comment from each new address").CheckAsync();
        await console.Page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(console.Page.Locator("#toasts")).ToContainTextAsync("Saved The What-If Courier");
        var saved = await Service.WithDbAsync(db => db.Sites.AsNoTracking().SingleAsync(s => s.Id == siteId));
        Assert.Equal(["lottery", "jackpot"], saved.HoldWords);
        Assert.True(saved.HoldFirstComments);

        await console.Nav("Audit").ClickAsync();
        await console.Page.GetByLabel("Site", new() { Exact = true }).FillAsync(siteId);
        await console.Page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        var entry = console.Page.GetByRole(AriaRole.Row).Filter(new() { HasText = "site.update" });
        await Expect(entry).ToHaveCountAsync(1);
        await entry.GetByText("before / after").ClickAsync();
        await Expect(entry.Locator("pre").Last).ToContainTextAsync("jackpot");
        await Expect(entry.Locator("pre").First).Not.ToContainTextAsync("jackpot");
        await console.AssertCleanAsync();
    }

    [Fact]
    public async Task A_site_created_in_the_console_starts_at_the_default_thresholds()
    {
        var siteId = "new-" + Guid.NewGuid().ToString("N")[..8];
        var console = await SignedInAsAdminAsync();
        await console.Nav("Sites").ClickAsync();
        await console.Page.GetByRole(AriaRole.Link, new() { Name = "New site" }).ClickAsync();

        await Expect(console.Page.GetByLabel("Approve below")).ToHaveValueAsync("");
        await Expect(console.Page.GetByLabel("Publish authors with approved comments")).ToBeCheckedAsync();
        await console.Page.GetByLabel("Id", new() { Exact = true }).FillAsync(siteId);
        await console.Page.GetByLabel("Name", new() { Exact = true }).FillAsync("The New Gazette");
        await console.Page.GetByRole(AriaRole.Button, new() { Name = "Create site" }).ClickAsync();
        await Expect(console.Page.Locator("#toasts")).ToContainTextAsync("Created The New Gazette");

        var saved = await Service.WithDbAsync(db => db.Sites.AsNoTracking().SingleAsync(s => s.Id == siteId));
        Assert.Equal(Site.DefaultApproveBelow, saved.ApproveBelow);
        Assert.Equal(Site.DefaultRejectAbove, saved.RejectAbove);
        var defaults = new Site { Id = "defaults", Name = "defaults" };
        Assert.Equal((defaults.MaxLinks, defaults.CommentsPerMinutePerIp, defaults.ReportsToHold), (saved.MaxLinks, saved.CommentsPerMinutePerIp, saved.ReportsToHold));
        Assert.False(saved.HoldFirstComments);
        Assert.Equal(defaults.TrustApprovedAuthors, saved.TrustApprovedAuthors);
        await Expect(console.Page.GetByLabel("Approve below")).ToHaveValueAsync(Site.DefaultApproveBelow.ToString(CultureInfo.InvariantCulture));
        await console.AssertCleanAsync();
    }

    [Fact]
    public async Task An_admin_retrains_from_labels_watching_the_progress_then_evaluates_promotes_and_rolls_back()
    {
        await SeedScoredSiteAsync();
        await SeedScoredSiteAsync(); // 80 labels at least: more than retraining asks for
        var console = await SignedInAsAdminAsync();
        await console.Nav("Models").ClickAsync();
        var rows = console.Page.Locator("table.models tbody tr");
        await Expect(console.Page.Locator("main h1")).ToHaveTextAsync("Spam models");
        var before = await rows.CountAsync();

        await console.Page.GetByRole(AriaRole.Button, new() { Name = "Retrain from labels" }).ClickAsync();
        await Expect(console.Page.Locator(".job")).ToContainTextAsync("Retraining:");
        await Expect(console.Page.Locator(".job progress")).ToBeAttachedAsync();
        // A real retrain on the whole corpus: minutes on two cores, more while other tests share them.
        await Expect(console.Page.Locator(".job")).ToContainTextAsync(new System.Text.RegularExpressions.Regex("Trained|failed"), new() { Timeout = 600_000 });
        await Expect(console.Page.Locator(".job")).ToContainTextAsync("Trained");
        await Expect(rows).ToHaveCountAsync(before + 1);

        var trained = rows.Filter(new() { HasText = "not promoted" }).First;
        await trained.GetByRole(AriaRole.Button, new() { Name = "Evaluate" }).ClickAsync();
        await Expect(trained.Locator(".metrics dl")).ToBeVisibleAsync(new() { Timeout = 60_000 });
        var version = await trained.Locator("th code").TextContentAsync();

        await trained.GetByRole(AriaRole.Button, new() { Name = "Promote…" }).ClickAsync();
        await console.Page.Locator("dialog[open]").GetByRole(AriaRole.Button, new() { Name = "Promote" }).ClickAsync();
        await Expect(rows.Filter(new() { HasText = version! })).ToContainTextAsync("active since");

        // Back to what the other tests expect from the scorer.
        await console.Page.GetByRole(AriaRole.Button, new() { Name = "Roll back" }).ClickAsync();
        await console.Page.Locator("dialog[open]").GetByRole(AriaRole.Button, new() { Name = "Roll back" }).ClickAsync();
        await Expect(rows.Filter(new() { HasText = version! })).Not.ToContainTextAsync("active since");
        Assert.False(await Service.WithDbAsync(db => db.SpamModels.AnyAsync(m => m.Version == version && m.IsActive)));
        await console.AssertCleanAsync();
    }

    [Fact]
    public async Task A_model_trained_before_the_features_changed_says_this_version_cannot_serve_it()
    {
        // What an upgrade that changes the features leaves in the database: a version the build before trained.
        var version = $"schema-before-{Guid.NewGuid():N}"[..24];
        var older = CommentFeatures.SchemaVersion - 1;
        await Service.WithDbAsync(db =>
        {
            db.SpamModels.Add(new SpamModelVersion
            {
                Version = version, CreatedAt = DateTime.UtcNow, Trainer = "Ensemble", Artifact = [0x50, 0x4b],
                MetricsJson = $$"""{"version":"{{version}}","featureSchema":{{older}}}""",
            });
            return db.SaveChangesAsync();
        });
        try
        {
            var console = await SignedInAsAdminAsync();
            await console.Nav("Models").ClickAsync();

            var row = console.Page.Locator("table.models tbody tr", new() { HasText = version });
            await Expect(row.Locator(".unservable")).ToHaveTextAsync($"Trained on feature schema {older}, which this version of Moderation cannot serve.");
            await Expect(row.GetByRole(AriaRole.Button, new() { Name = "Promote…" })).ToHaveCountAsync(0);
            await Expect(row.GetByRole(AriaRole.Button, new() { Name = "Evaluate" })).ToHaveCountAsync(0);
            await Expect(console.Page.Locator("table.models tbody tr", new() { HasText = "active since" }).Locator(".unservable")).ToHaveCountAsync(0);
            await Artifacts.ScreenshotAsync(row, "console-model-unservable");
            await console.AssertCleanAsync();
        }
        finally
        {
            await Service.WithDbAsync(db => db.SpamModels.Where(m => m.Version == version).ExecuteDeleteAsync());
        }
    }

    [Fact]
    public async Task Axe_finds_no_serious_or_critical_accessibility_violations_in_the_console()
    {
        var siteId = await SeedScoredSiteAsync();
        var thread = WidgetSystem.NewThread("console-axe");
        await Service.HoldAsync(thread, "Mara Ellison", "Are the Sunday crossings back too?");
        foreach (var scheme in new[] { ColorScheme.Light, ColorScheme.Dark })
        {
            var console = await OpenAsync(scheme);
            var violations = new List<string>();
            async Task CheckAsync(string where)
            {
                var result = await console.Page.RunAxe();
                violations.AddRange(result.Violations.Where(v => v.Impact is "serious" or "critical")
                    .Select(v => $"{scheme} {where}: {v.Id} ({v.Impact}): {v.Help} — {string.Join("; ", v.Nodes.Select(n => n.Html))}"));
            }
            await CheckAsync("login");
            await console.SignInAsync(CommentService.AdminKey);
            await console.Page.GetByLabel("Thread", new() { Exact = true }).FillAsync(thread);
            await console.Page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
            await Expect(console.Items).ToHaveCountAsync(1);
            await Expect(console.Page.Locator("aside.detail")).ToContainTextAsync("reader@example.org");
            await CheckAsync("queue");
            await console.GoAsync($"#/thresholds/{siteId}");
            await Expect(console.Page.Locator("td.proposed").First).ToBeVisibleAsync();
            await CheckAsync("thresholds");
            foreach (var (section, ready) in new[] { ("Sites", "table"), ("Keys", "table"), ("Audit", "table"), ("Models", "h1"), ("Bans", "form"), ("Privacy", "form") })
            {
                await console.Nav(section).ClickAsync();
                await Expect(console.Page.Locator($"main {ready}").First).ToBeVisibleAsync();
                await CheckAsync(section);
            }
            Assert.True(violations.Count == 0, string.Join("\n", violations));
        }
    }

    /// <summary>
    /// A site of its own with 40 comments scored evenly from 0.0125 to 0.9875 (the lower half labelled ham by
    /// moderators, the upper half spam), written straight to the database as the scorer would have.
    /// </summary>
    private async Task<string> SeedScoredSiteAsync()
    {
        var siteId = "whatif-" + Guid.NewGuid().ToString("N")[..8];
        var now = DateTime.UtcNow;
        await Service.WithDbAsync(async db =>
        {
            db.Sites.Add(new Site { Id = siteId, Name = "The What-If Courier", AllowedOrigins = [Service.Url], ApproveBelow = 0.5, RejectAbove = 0.9, UpdatedAt = now });
            for (var i = 0; i < 40; i++)
            {
                var score = (i + 0.5) / 40;
                var comment = new Comment
                {
                    Id = Guid.CreateVersion7(), SiteId = siteId, ThreadId = "2026/11/what-if", AuthorName = $"Reader {i}",
                    AuthorEmail = $"reader{i}@example.org", EmailHash = CommentMapping.HashEmail($"reader{i}@example.org"),
                    Body = score < 0.5 ? $"The ferry ran on time today, crossing {i} to {siteId} was calm." : $"Cheap pills and a casino bonus {i} at http://{siteId}.example/win",
                    SubmittedAt = now.AddHours(-2), ScoredAt = now.AddHours(-2),
                    Status = score < 0.5 ? CommentStatus.Approved : score >= 0.9 ? CommentStatus.Spam : CommentStatus.Held,
                    PublishedAt = score < 0.5 ? now.AddHours(-2) : null, SpamScore = score, ModelVersion = "test",
                    ApproveBelowUsed = 0.5, RejectAboveUsed = 0.9,
                };
                db.Comments.Add(comment);
                // Ham and spam labels alternate in time: the newest ones, which retraining keeps aside, are of both kinds.
                var order = i < 20 ? 2 * i : 2 * (i - 20) + 1;
                db.Labels.Add(new Label { CommentId = comment.Id, Kind = score < 0.5 ? LabelKind.Ham : LabelKind.Spam, By = "seed", CreatedAt = now.AddSeconds(-order) });
            }
            await db.SaveChangesAsync();
            return 0;
        });
        return siteId;
    }

    private async Task WaitUntilReadersSeeAsync(string thread, string text)
    {
        using var http = Service.CreateClient();
        var deadline = DateTime.UtcNow.AddSeconds(5);
        string json;
        do
        {
            json = await http.GetStringAsync($"/api/v1/comments?siteId={CommentService.SiteId}&threadId={Uri.EscapeDataString(thread)}");
            if (json.Contains(text, StringComparison.Ordinal)) return;
            await Task.Delay(100);
        } while (DateTime.UtcNow < deadline);
        Assert.Fail($"The read API does not show \"{text}\" 5 s after the approval: {json}");
    }
}
