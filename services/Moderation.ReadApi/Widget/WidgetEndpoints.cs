using System.IO.Compression;
using System.Security.Cryptography;
using Microsoft.Net.Http.Headers;

namespace Moderation.ReadApi.Widget;

/// <summary>
/// The embeddable widget. <c>/widget.js</c> is what news sites paste into their pages: it is cached for
/// five minutes and then revalidated by ETag (a 304 costs no body), so a new release reaches every page
/// within minutes without anyone editing their snippet. <c>/widget/{version}/widget.js</c> names one
/// exact build by its content hash and is cached for a year as immutable, for sites that pin a version
/// (and may add a subresource-integrity hash); <c>/widget.js</c> names it in <c>Content-Location</c>.
/// An outdated version redirects to the current one rather than serving different bytes under an
/// immutable URL.
/// </summary>
public static class WidgetEndpoints
{
    public const string ShortCache = "public, max-age=300, stale-while-revalidate=86400";
    public const string ImmutableCache = "public, max-age=31536000, immutable";

    private static readonly string[] GetAndHead = [HttpMethods.Get, HttpMethods.Head];

    public static WidgetScript Script { get; } = WidgetScript.Load();

    public static IEndpointRouteBuilder MapWidget(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/widget.js", GetAndHead, GetWidget)
            .WithName("GetWidget")
            .WithSummary("The embeddable comment widget, short-cached; its versioned URL is in Content-Location.")
            .ExcludeFromDescription();
        app.MapMethods("/widget/{version}/widget.js", GetAndHead, GetVersionedWidget)
            .WithName("GetVersionedWidget")
            .ExcludeFromDescription();
        return app;
    }

    public static IResult GetWidget(HttpContext http)
    {
        http.Response.Headers.ContentLocation = Script.VersionedPath.TrimStart('/');
        return Script.Serve(http, ShortCache);
    }

    public static IResult GetVersionedWidget(HttpContext http, string version)
    {
        if (version == Script.Version) return Script.Serve(http, ImmutableCache);
        http.Response.Headers.CacheControl = "no-cache";
        // Relative, so that it holds behind a reverse proxy's path prefix too.
        return TypedResults.Redirect($"../{Script.Version}/widget.js");
    }
}

/// <summary>widget.js as built into this assembly, with its content hash and a gzipped copy made once.</summary>
public sealed class WidgetScript(byte[] plain, byte[] gzipped, string version)
{
    public const string ResourceName = "Moderation.ReadApi.Widget.widget.js";

    public byte[] Plain { get; } = plain;
    public byte[] Gzipped { get; } = gzipped;
    public string Version { get; } = version;
    public string VersionedPath => $"/widget/{Version}/widget.js";

    public static WidgetScript Load()
    {
        using var resource = typeof(WidgetScript).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing from the build.");
        using var plain = new MemoryStream();
        resource.CopyTo(plain);
        using var gzipped = new MemoryStream();
        using (var gzip = new GZipStream(gzipped, CompressionLevel.SmallestSize)) gzip.Write(plain.GetBuffer(), 0, (int)plain.Length);
        var bytes = plain.ToArray();
        return new WidgetScript(bytes, gzipped.ToArray(), Convert.ToHexStringLower(SHA256.HashData(bytes))[..16]);
    }

    public IResult Serve(HttpContext http, string cacheControl)
    {
        var headers = http.Response.Headers;
        var gzip = AcceptsGzip(http.Request);
        var etag = gzip ? $"\"{Version}-gz\"" : $"\"{Version}\"";
        headers.CacheControl = cacheControl;
        headers.ETag = etag;
        headers.Vary = HeaderNames.AcceptEncoding;
        headers.XContentTypeOptions = "nosniff";
        if (http.Request.Headers.IfNoneMatch.Contains(etag)) return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        if (!gzip) return TypedResults.Bytes(Plain, "text/javascript; charset=utf-8");
        headers.ContentEncoding = "gzip";
        return TypedResults.Bytes(Gzipped, "text/javascript; charset=utf-8");
    }

    private static bool AcceptsGzip(HttpRequest request) =>
        request.Headers.AcceptEncoding.Any(v => v is not null && v.Contains("gzip", StringComparison.OrdinalIgnoreCase));
}
