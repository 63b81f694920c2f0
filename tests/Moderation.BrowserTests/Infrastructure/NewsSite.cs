using System.Collections.Concurrent;
using System.Net;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Moderation.BrowserTests.Infrastructure;

/// <summary>
/// Someone else's news site: article pages on another loopback origin that embed the widget from the
/// comment service's URL, under the strict Content-Security-Policy such a site would send.
/// </summary>
public sealed class NewsSite : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, string> _pages = new();
    private readonly WebApplication _app;
    private int _next;

    public NewsSite()
    {
        Port = CommentService.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, Port));
        _app = builder.Build();
        _app.MapGet("/news.css", () => Results.Text(Css, "text/css"));
        _app.MapGet("/articles/{id}", (string id, HttpContext http) =>
        {
            if (!_pages.TryGetValue(id, out var html)) return Results.NotFound();
            http.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
            return Results.Content(html, "text/html; charset=utf-8");
        });
    }

    public int Port { get; }
    public string Origin => $"http://127.0.0.1:{Port}";

    /// <summary>The comment service the pages embed the widget from; set before the first page.</summary>
    public string CommentServiceUrl { get; set; } = "";

    private string ContentSecurityPolicy =>
        $"default-src 'none'; script-src {CommentServiceUrl}; connect-src {CommentServiceUrl}; style-src 'self'; "
        + "img-src 'self' data:; base-uri 'none'; form-action 'none'; require-trusted-types-for 'script'";

    public Task StartAsync() => _app.StartAsync();

    /// <summary>Publishes an article embedding the widget for <paramref name="threadId"/> and returns its URL.</summary>
    public string Article(string threadId, IReadOnlyDictionary<string, string>? attributes = null, string title = "Harbour ferry returns after winter repairs",
        string siteId = CommentService.SiteId)
    {
        var enc = HtmlEncoder.Default;
        var extra = string.Concat((attributes ?? new Dictionary<string, string>()).Select(a => $" {a.Key}=\"{enc.Encode(a.Value)}\""));
        var id = Interlocked.Increment(ref _next).ToString();
        _pages[id] = $$"""
            <!doctype html>
            <html lang="en">
            <head>
              <meta charset="utf-8">
              <meta name="viewport" content="width=device-width, initial-scale=1">
              <title>{{enc.Encode(title)}} — The Harbour Gazette</title>
              <link rel="icon" href="data:,">
              <link rel="stylesheet" href="/news.css">
            </head>
            <body>
              <main>
                <h1>{{enc.Encode(title)}}</h1>
                <p>The ferry between the north quay and the island resumed its timetable on Monday after three
                  months in dry dock. Its operator said the new engines should cut the crossing by four minutes.</p>
                <section aria-labelledby="comments-title">
                  <h2 id="comments-title">Comments</h2>
                  <div id="comments" data-site="{{enc.Encode(siteId)}}" data-thread="{{enc.Encode(threadId)}}"{{extra}}></div>
                  <script src="{{CommentServiceUrl}}/widget.js" async></script>
                </section>
              </main>
            </body>
            </html>
            """;
        return $"{Origin}/articles/{id}";
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private const string Css = """
        :root { color-scheme: light dark; }
        body { margin: 0; background: #f6f5f1; color: #222; font: 17px/1.6 Georgia, serif; }
        main { max-width: 44rem; margin: 0 auto; padding: 1.5rem; }
        h1 { font-size: 1.9rem; line-height: 1.2; }
        @media (prefers-color-scheme: dark) { body { background: #111316; color: #e7e7e7; } }
        """;
}
