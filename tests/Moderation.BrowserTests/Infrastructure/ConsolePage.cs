using static Microsoft.Playwright.Assertions;

namespace Moderation.BrowserTests.Infrastructure;

/// <summary>
/// The moderation console at /console/ in a fresh browser context, seen as a moderator sees it. Records
/// what must not happen: CSP violations (Trusted Types included), script errors, and unexpected dialogs.
/// </summary>
public sealed class ConsolePage(IPage page, string serviceUrl)
{
    public IPage Page { get; } = page;
    public List<string> Problems { get; } = [];
    /// <summary>Error statuses the test provokes on purpose; the console shows them, they are not problems.</summary>
    public HashSet<int> ExpectedStatuses { get; } = [401, 409];
    public string Url { get; } = serviceUrl + "/console/";

    public ILocator KeyField => Page.GetByLabel("API key", new() { Exact = true });
    public ILocator SignInButton => Page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true });
    public ILocator SsoButton => Page.GetByRole(AriaRole.Button, new() { Name = "Sign in with SSO" });
    public ILocator LoginStatus => Page.Locator("form.login .form-status");
    public ILocator Header => Page.Locator("header.top");
    public ILocator Items => Page.Locator("ol.items > li.item");
    public ILocator Current => Page.Locator("ol.items > li.item.current");
    public ILocator Item(string text) => Items.Filter(new() { HasText = text });
    public ILocator Tab(string queue) => Page.Locator($"nav.tabs a[data-queue='{queue}']");
    public ILocator Nav(string name) => Page.Locator("#nav").GetByRole(AriaRole.Link, new() { Name = name, Exact = true });

    public static async Task<ConsolePage> OpenAsync(WidgetSystem system, ColorScheme colorScheme = ColorScheme.Light)
    {
        var console = new ConsolePage(await system.NewPageAsync(1400, 900, colorScheme), system.Service.Url);
        var page = console.Page;
        page.Console += (_, message) =>
        {
            // Failed loads are recorded with their URL below.
            if (message.Type == "error" && !message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal))
                console.Problems.Add("console: " + message.Text);
        };
        // A rejected key (401) and a lost race (409) are answers the console shows; any other unexpected failure is a problem.
        page.Response += (_, response) =>
        {
            if (response.Status >= 400 && !console.ExpectedStatuses.Contains(response.Status))
                console.Problems.Add($"{response.Status} {response.Request.Method} {response.Url}");
        };
        page.PageError += (_, error) => console.Problems.Add("script error: " + error);
        await page.AddInitScriptAsync("""
            window.__csp = [];
            document.addEventListener("securitypolicyviolation", e => window.__csp.push(e.violatedDirective + " " + e.blockedURI), true);
            """);
        await page.GotoAsync(console.Url);
        await Expect(console.KeyField).ToBeVisibleAsync();
        return console;
    }

    /// <summary>A fresh console signed in with <paramref name="key"/>, on the view the navigation names <paramref name="view"/>.</summary>
    public static async Task<ConsolePage> OpenAtAsync(WidgetSystem system, string key, string view)
    {
        var console = await OpenAsync(system);
        await console.SignInAsync(key);
        await console.Nav(view).ClickAsync();
        await Expect(console.Page.Locator("main h1")).ToHaveTextAsync(view);
        return console;
    }

    public async Task SignInAsync(string key)
    {
        await KeyField.FillAsync(key);
        await SignInButton.ClickAsync();
        await Expect(Header).ToBeVisibleAsync();
    }

    public async Task GoAsync(string hash)
    {
        await Page.EvaluateAsync("h => { location.hash = h; }", hash);
    }

    public async Task<IReadOnlyList<string>> CspViolationsAsync() => await Page.EvaluateAsync<string[]>("() => window.__csp");

    /// <summary>No script error, no console error, no CSP or Trusted Types violation so far.</summary>
    public async Task AssertCleanAsync()
    {
        var violations = await CspViolationsAsync();
        Assert.True(violations.Count == 0, "CSP violations: " + string.Join("\n", violations));
        Assert.True(Problems.Count == 0, string.Join("\n", Problems));
    }
}
