using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Moderation.BrowserTests.Infrastructure;
using Moderation.Data.Comments;
using Moderation.Data.Reviews;
using static Microsoft.Playwright.Assertions;

namespace Moderation.BrowserTests;

/// <summary>The console's Bans view (moderators) and Privacy view (admins).</summary>
[Collection(WidgetCollection.Name)]
public sealed class ConsoleBansAndPrivacyTests(WidgetSystem system)
{
    private CommentService Service => system.Service;

    private Task<ConsolePage> SignedInAsAdminAsync(string view) => ConsolePage.OpenAtAsync(system, CommentService.AdminKey, view);

    [Fact]
    public async Task A_moderator_bans_an_email_for_a_week_and_an_ip_until_lifted_then_lifts_the_ip_ban()
    {
        var address = $"troll-{Guid.NewGuid():N}@example.org";
        var ip = $"203.0.113.{Random.Shared.Next(1, 255)}";
        var console = await SignedInAsAdminAsync("Bans");
        var page = console.Page;

        // A bad address is named beside its field, and nothing is stored.
        console.ExpectedStatuses.Add(400);
        await page.GetByLabel("Ban", new() { Exact = true }).SelectOptionAsync("ip");
        await page.GetByLabel("Email address or IP").FillAsync("not-an-ip");
        await page.GetByRole(AriaRole.Button, new() { Name = "Ban", Exact = true }).ClickAsync();
        await Expect(page.Locator(".field[data-field='value'] .field-error")).ToContainTextAsync("IP address");
        Assert.False(await Service.WithDbAsync(db => db.Bans.AnyAsync(b => b.Value == "not-an-ip")));

        await page.GetByLabel("Ban", new() { Exact = true }).SelectOptionAsync("email");
        await page.GetByLabel("Email address or IP").FillAsync(address);
        await page.GetByLabel("Site", new() { Exact = true }).FillAsync(CommentService.SiteId);
        await page.GetByLabel("For", new() { Exact = true }).SelectOptionAsync("7");
        await page.GetByLabel("Reason (optional)").FillAsync("<b>casino</b> spam run");
        await page.GetByRole(AriaRole.Button, new() { Name = "Ban", Exact = true }).ClickAsync();
        await Expect(page.Locator("#toasts")).ToContainTextAsync($"Banned {address}.");
        var hash = CommentMapping.HashEmail(address);
        var emailBan = await Service.WithDbAsync(db => db.Bans.AsNoTracking().SingleAsync(b => b.Value == hash));
        Assert.Equal(BanKind.Email, emailBan.Kind);
        Assert.Equal(CommentService.SiteId, emailBan.SiteId);
        Assert.InRange(emailBan.ExpiresAt!.Value, DateTime.UtcNow.AddDays(7).AddMinutes(-5), DateTime.UtcNow.AddDays(7));
        var emailRow = page.Locator($"tr[data-ban='{emailBan.Id}']");
        await Expect(emailRow).ToContainTextAsync(hash[..12]);
        await Expect(emailRow).ToContainTextAsync("<b>casino</b> spam run"); // the reason is text, not markup
        await Expect(emailRow).ToContainTextAsync("by bootstrap");
        await Expect(emailRow.Locator("time")).ToBeVisibleAsync();

        await page.GetByLabel("Ban", new() { Exact = true }).SelectOptionAsync("ip");
        await page.GetByLabel("Email address or IP").FillAsync(ip);
        await page.GetByLabel("Site", new() { Exact = true }).FillAsync("");
        await page.GetByLabel("For", new() { Exact = true }).SelectOptionAsync("");
        await page.GetByRole(AriaRole.Button, new() { Name = "Ban", Exact = true }).ClickAsync();
        await Expect(page.Locator("#toasts")).ToContainTextAsync($"Banned {ip}.");
        var ipBan = await Service.WithDbAsync(db => db.Bans.AsNoTracking().SingleAsync(b => b.Value == ip));
        Assert.Null(ipBan.SiteId);
        Assert.Null(ipBan.ExpiresAt);
        var ipRow = page.Locator($"tr[data-ban='{ipBan.Id}']");
        await Expect(ipRow).ToContainTextAsync("every site");
        await Expect(ipRow).ToContainTextAsync("never");
        Assert.Equal(0, await page.Locator("main b").CountAsync());
        await Artifacts.ScreenshotAsync(page.Locator("body"), "console-bans");

        // Lifting asks first; cancelling keeps the ban.
        await ipRow.GetByRole(AriaRole.Button, new() { Name = "Lift the ban" }).ClickAsync();
        await page.Locator("dialog[open]").GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Expect(ipRow).ToBeVisibleAsync();
        await ipRow.GetByRole(AriaRole.Button, new() { Name = "Lift the ban" }).ClickAsync();
        await Expect(page.Locator("dialog[open]")).ToContainTextAsync(ip);
        await page.Locator("dialog[open]").GetByRole(AriaRole.Button, new() { Name = "Lift ban" }).ClickAsync();
        await Expect(ipRow).ToHaveCountAsync(0);
        await Expect(emailRow).ToBeVisibleAsync();
        Assert.False(await Service.WithDbAsync(db => db.Bans.AnyAsync(b => b.Id == ipBan.Id)));
        await console.AssertCleanAsync();
    }

    [Fact]
    public async Task An_admin_exports_an_address_as_json_and_erases_it_after_typing_it()
    {
        var address = $"leaver-{Guid.NewGuid():N}@example.org";
        var thread = WidgetSystem.NewThread("privacy");
        var id = await Service.HoldAsync(thread, "Lena Fischer", "Please delete my old ferry comments", address);
        var console = await SignedInAsAdminAsync("Privacy");
        var page = console.Page;

        await page.GetByLabel("Email address").FillAsync(address);
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Export JSON" }).ClickAsync());
        Assert.EndsWith(".json", download.SuggestedFilename);
        var export = JsonNode.Parse(await File.ReadAllTextAsync((await download.PathAsync())!))!;
        Assert.Equal(CommentMapping.HashEmail(address), (string?)export["emailHash"]);
        var comment = Assert.Single(export["comments"]!.AsArray());
        Assert.Equal(id.ToString(), (string?)comment!["id"]);
        await Expect(page.Locator(".privacy-result")).ToContainTextAsync("1 comment,");

        // Erasing needs the address typed exactly.
        await page.GetByRole(AriaRole.Button, new() { Name = "Erase…" }).ClickAsync();
        var dialog = page.Locator("dialog[open]");
        var erase = dialog.GetByRole(AriaRole.Button, new() { Name = "Erase" });
        await Expect(erase).ToBeDisabledAsync();
        await dialog.GetByLabel($"Type {address} to confirm").FillAsync("someone-else@example.org");
        await Expect(erase).ToBeDisabledAsync();
        Assert.True(await Service.WithDbAsync(db => db.Comments.AnyAsync(c => c.Id == id)));
        await dialog.GetByLabel($"Type {address} to confirm").FillAsync(address);
        await erase.ClickAsync();

        await Expect(page.Locator(".privacy-result h2")).ToHaveTextAsync($"Erased {address}");
        await Expect(page.Locator("tr[data-erased='comments'] td")).ToHaveTextAsync("1");
        await Expect(page.Locator("tr[data-erased='bans'] td")).ToHaveTextAsync("0");
        Assert.False(await Service.WithDbAsync(db => db.Comments.AnyAsync(c => c.Id == id)));
        await Artifacts.ScreenshotAsync(page.Locator("body"), "console-privacy");
        await console.AssertCleanAsync();
    }
}
