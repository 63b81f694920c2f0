namespace Moderation.BrowserTests.Infrastructure;

/// <summary>
/// One comment service, one news site on another origin, one identity provider for the console's single
/// sign-on, and one headless Chromium (the system's, from
/// CHROMIUM_PATH: Playwright never downloads a browser here), shared by the browser tests. Every test
/// opens its own browser context (fresh storage) and uses a thread of its own.
/// </summary>
public sealed class WidgetSystem : IAsyncLifetime
{
    public CommentService Service { get; private set; } = null!;
    public NewsSite News { get; } = new();
    public IdentityProvider Identity { get; } = new();
    public IBrowser Browser { get; private set; } = null!;
    private IPlaywright? _playwright;

    public async Task InitializeAsync()
    {
        await Identity.StartAsync();
        Service = new CommentService([News.Origin], Identity.Url);
        Service.StartServer();
        Identity.RedirectUri = Service.Url + "/console/";
        News.CommentServiceUrl = Service.Url;
        await News.StartAsync();

        var chromium = Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } path ? path : "/usr/bin/chromium";
        if (!File.Exists(chromium))
            throw new InvalidOperationException($"No Chromium at {chromium}: install Debian's 'chromium' package or set CHROMIUM_PATH.");
        _playwright = await Playwright.CreateAsync();
        // Playwright gives every launch a fresh temporary user-data directory of its own.
        Browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = chromium,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
            ],
        });
    }

    /// <summary>A page in a fresh browser context, watching for CSP violations, script errors and dialogs.</summary>
    public async Task<WidgetPage> OpenAsync(string url, ColorScheme colorScheme = ColorScheme.Light)
    {
        var widget = new WidgetPage(await NewPageAsync(860, 1000, colorScheme));
        await widget.GotoAsync(url);
        return widget;
    }

    /// <summary>A page in a fresh browser context (fresh storage) of the given size, in British English and time.</summary>
    public async Task<IPage> NewPageAsync(int width, int height, ColorScheme colorScheme)
    {
        var context = await Browser.NewContextAsync(new()
        {
            ViewportSize = new() { Width = width, Height = height },
            ColorScheme = colorScheme,
            Locale = "en-GB",
            TimezoneId = "Europe/London",
        });
        context.SetDefaultTimeout(10_000);
        return await context.NewPageAsync();
    }

    public static string NewThread(string name) => $"2026/11/{name}-{Guid.NewGuid():N}";

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        await News.DisposeAsync();
        await Identity.DisposeAsync();
        if (Service is not null) await Service.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class WidgetCollection : ICollectionFixture<WidgetSystem>
{
    public const string Name = "widget";
}
