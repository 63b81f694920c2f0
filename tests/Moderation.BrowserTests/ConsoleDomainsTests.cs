using Microsoft.EntityFrameworkCore;
using Moderation.BrowserTests.Infrastructure;
using Moderation.Data.Reputation;
using static Microsoft.Playwright.Assertions;

namespace Moderation.BrowserTests;

/// <summary>The console's Domains view (admins): what the moderators' decisions taught, and the admins' overrides.</summary>
[Collection(WidgetCollection.Name)]
public sealed class ConsoleDomainsTests(WidgetSystem system)
{
    private CommentService Service => system.Service;

    [Fact]
    public async Task An_admin_finds_a_learnt_domain_blocks_another_clears_the_block_and_forgets_the_counts()
    {
        var token = Guid.NewGuid().ToString("N")[..10];
        var learnt = $"casino-{token}.top";
        var blocked = $"pills-{token}.com";
        var trusted = $"paper-{token}.org";
        await Service.WithDbAsync(async db =>
        {
            // As four spam decisions on comments linking it leave it (the counting itself is the functional tests').
            db.DomainReputation.Add(new DomainReputation { Domain = learnt, Scope = CommentService.SiteId, SpamCount = 4, LastSeenAt = DateTime.UtcNow });
            // An actor's name is shown as text, whatever it holds (an SSO name comes from outside).
            db.DomainReputation.Add(new DomainReputation { Domain = trusted, Scope = DomainReputation.EverySite, Override = DomainOverride.Trusted,
                OverrideBy = "<b>night desk</b>", OverrideAt = DateTime.UtcNow });
            return await db.SaveChangesAsync();
        });
        Task<bool> StoredAsync(string domain) => Service.WithDbAsync(db => db.DomainReputation.AnyAsync(d => d.Domain == domain));

        var console = await ConsolePage.OpenAtAsync(system, CommentService.AdminKey, "Domains");
        var page = console.Page;
        await page.GetByLabel("Domain contains").FillAsync(token);
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        var learntRow = page.Locator($"tr[data-domain='{learnt}'][data-site='{CommentService.SiteId}']");
        await Expect(learntRow.Locator("td.num").First).ToHaveTextAsync("4");
        await Expect(learntRow.Locator("time")).ToBeVisibleAsync();
        await Expect(page.Locator($"tr[data-domain='{trusted}']")).ToContainTextAsync("Trusted by <b>night desk</b>");
        await Expect(page.Locator("tbody tr")).ToHaveCountAsync(2);

        // A host below its registrable domain is named beside the field, and nothing is stored.
        console.ExpectedStatuses.Add(400);
        await page.GetByLabel("Domain", new() { Exact = true }).FillAsync($"shop.{blocked}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(page.Locator(".field[data-field='domain'] .field-error")).ToContainTextAsync($"is part of {blocked}");
        Assert.False(await StoredAsync($"shop.{blocked}"));
        Assert.False(await StoredAsync(blocked));

        await page.GetByLabel("Domain", new() { Exact = true }).FillAsync(blocked);
        await page.GetByLabel("Override", new() { Exact = true }).SelectOptionAsync("blocked");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(page.Locator("#toasts")).ToContainTextAsync($"{blocked} is blocked.");
        await Expect(page.Locator(".field[data-field='domain'] .field-error")).ToBeEmptyAsync(); // the earlier error is gone
        await Expect(page.GetByLabel("Domain", new() { Exact = true })).Not.ToHaveAttributeAsync("aria-invalid", "true");
        var blockedRow = page.Locator($"tr[data-domain='{blocked}'][data-site='']");
        await Expect(blockedRow).ToContainTextAsync("every site");
        await Expect(blockedRow).ToContainTextAsync("Blocked by bootstrap");
        var stored = await Service.WithDbAsync(db => db.DomainReputation.AsNoTracking().SingleAsync(d => d.Domain == blocked));
        Assert.Equal((DomainOverride.Blocked, DomainReputation.EverySite, 0), (stored.Override, stored.Scope, stored.SpamCount));
        await Artifacts.ScreenshotAsync(page.Locator("body"), "console-domains");

        // Cleared, a row that says nothing any more leaves the list.
        await blockedRow.GetByRole(AriaRole.Button, new() { Name = $"Clear override {blocked} on every site" }).ClickAsync();
        await Expect(page.Locator("#toasts")).ToContainTextAsync($"{blocked}: override cleared.");
        await Expect(blockedRow).ToHaveCountAsync(0);
        Assert.False(await StoredAsync(blocked));

        // Forgetting asks first, naming the counts.
        await learntRow.GetByRole(AriaRole.Button, new() { Name = $"Forget the counts of {learnt} on {CommentService.SiteId}" }).ClickAsync();
        await Expect(page.Locator("dialog[open]")).ToContainTextAsync("marked spam 4, approved 0");
        await page.Locator("dialog[open]").GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Expect(page.Locator("dialog[open]")).ToHaveCountAsync(0);
        await Expect(learntRow).ToBeVisibleAsync();
        Assert.True(await StoredAsync(learnt));
        await learntRow.GetByRole(AriaRole.Button, new() { Name = $"Forget the counts of {learnt} on {CommentService.SiteId}" }).ClickAsync();
        await page.Locator("dialog[open]").GetByRole(AriaRole.Button, new() { Name = "Forget", Exact = true }).ClickAsync();
        await Expect(page.Locator("#toasts")).ToContainTextAsync($"Forgot the counts of {learnt} on {CommentService.SiteId}.");
        await Expect(learntRow).ToHaveCountAsync(0);
        Assert.False(await StoredAsync(learnt));
        Assert.Equal(0, await page.Locator("main b").CountAsync());
        await console.AssertCleanAsync();
    }
}
