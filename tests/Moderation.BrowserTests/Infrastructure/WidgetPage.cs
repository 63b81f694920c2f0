using System.Text.Json;

namespace Moderation.BrowserTests.Infrastructure;

/// <summary>
/// A page with the widget on it, seen as a reader sees it. Playwright's CSS selectors reach into the
/// widget's open shadow root. Records what a test must be able to say did not happen: CSP violations,
/// script errors, dialogs, and comment submissions.
/// </summary>
public sealed class WidgetPage(IPage page)
{
    /// <summary>The scorer files anything sent faster than this after the form appeared as a bot's.</summary>
    private static readonly TimeSpan HumanTypingTime = TimeSpan.FromSeconds(3.2);

    private DateTime _loadedAt;

    public IPage Page { get; } = page;
    public List<string> Problems { get; } = [];
    public List<IRequest> Submissions { get; } = [];

    public ILocator Widget => Page.Locator("#comments");
    public ILocator Count => Page.Locator("#comments h3").First;
    public ILocator Comments => Page.Locator("#comments article.c");
    public ILocator Form => Page.Locator("#comments .respond");
    public ILocator FormStatus => Page.Locator("#comments .send .status");
    public ILocator PostButton => Page.GetByRole(AriaRole.Button, new() { Name = "Post Comment" });
    public ILocator LoadMore => Page.GetByRole(AriaRole.Button, new() { Name = "Load more comments" });
    public ILocator Field(string name) => Page.Locator($"#mw-{name}");
    public ILocator Error(string name) => Page.Locator($"#mw-{name}-err");
    public ILocator Comment(string text) => Comments.Filter(new() { HasText = text });

    public async Task GotoAsync(string url)
    {
        Page.Console += (_, message) => { if (message.Type == "error") Problems.Add("console: " + message.Text); };
        Page.PageError += (_, error) => Problems.Add("script error: " + error);
        Page.Dialog += async (_, dialog) => { Problems.Add("dialog: " + dialog.Message); await dialog.DismissAsync(); };
        Page.Request += (_, request) => { if (IsSubmission(request)) Submissions.Add(request); };
        // The event also reports what the console might not, such as a violation inside the shadow root.
        await Page.AddInitScriptAsync("""
            window.__csp = [];
            document.addEventListener("securitypolicyviolation", e => window.__csp.push(e.violatedDirective + " " + e.blockedURI), true);
            """);
        await Page.GotoAsync(url);
        _loadedAt = DateTime.UtcNow;
        await Assertions.Expect(Count).Not.ToHaveTextAsync("Loading comments…");
    }

    public async Task FillAsync(string? name = null, string? email = null, string? website = null, string? body = null)
    {
        if (name is not null) await Field("authorName").FillAsync(name);
        if (email is not null) await Field("authorEmail").FillAsync(email);
        if (website is not null) await Field("authorUrl").FillAsync(website);
        if (body is not null) await Field("body").FillAsync(body);
    }

    /// <summary>Waits out what a person takes to type, so the scorer does not take the comment for a bot's.</summary>
    public async Task PauseLikeAPersonAsync()
    {
        var wait = _loadedAt + HumanTypingTime - DateTime.UtcNow;
        if (wait > TimeSpan.Zero) await Task.Delay(wait);
    }

    /// <summary>Posts the form and returns the id the service gave the comment.</summary>
    public async Task<Guid> PostAsync()
    {
        await PauseLikeAPersonAsync();
        var response = await Page.RunAndWaitForResponseAsync(() => PostButton.ClickAsync(),
            r => IsSubmission(r.Request) && r.Status == 202);
        using var json = JsonDocument.Parse(await response.BodyAsync());
        return json.RootElement.GetProperty("id").GetGuid();
    }

    /// <summary>Answers comment submissions with <paramref name="answer"/> (which may pass them on); nothing else.</summary>
    public Task InterceptSubmissionsAsync(Func<IRoute, Task> answer) =>
        Page.RouteAsync(url => url.EndsWith(SubmitPath, StringComparison.Ordinal), route =>
            IsSubmission(route.Request) ? answer(route) : route.ContinueAsync());

    public static async Task FulfillProblemAsync(IRoute route, int status, string origin, string problemJson, Dictionary<string, string>? headers = null)
    {
        headers ??= [];
        headers["Access-Control-Allow-Origin"] = origin; // a cross-origin page reads the answer only with this
        await route.FulfillAsync(new() { Status = status, ContentType = "application/problem+json", Headers = headers, Body = problemJson });
    }

    private const string SubmitPath = "/api/v1/comments";

    private static bool IsSubmission(IRequest request) =>
        request.Method == "POST" && request.Url.EndsWith(SubmitPath, StringComparison.Ordinal);

    public async Task<IReadOnlyList<string>> CspViolationsAsync() =>
        await Page.EvaluateAsync<string[]>("() => window.__csp");
}
