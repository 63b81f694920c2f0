namespace Moderation.Standalone;

/// <summary>
/// The demo article at <c>/</c>, served the way a careful news site serves its pages: under a strict
/// Content-Security-Policy (no inline script or style, no eval, Trusted Types required), which the
/// widget has to work under.
/// </summary>
public static class DemoPage
{
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'; require-trusted-types-for 'script'";

    public static WebApplication UseDemoPage(this WebApplication app)
    {
        app.Use((http, next) =>
        {
            var path = http.Request.Path;
            if (path == "/" || path.Value?.EndsWith(".html", StringComparison.OrdinalIgnoreCase) == true)
            {
                http.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
                http.Response.Headers.XContentTypeOptions = "nosniff";
                http.Response.Headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
            }
            return next(http);
        });
        app.UseDefaultFiles();
        app.UseStaticFiles();
        return app;
    }
}
