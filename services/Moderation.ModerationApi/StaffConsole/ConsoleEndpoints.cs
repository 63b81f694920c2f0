using System.Collections.Frozen;
using System.IO.Compression;
using System.Security.Cryptography;
using Microsoft.Net.Http.Headers;

namespace Moderation.ModerationApi.StaffConsole;

/// <summary>
/// The moderators' and admins' console at <c>/console/</c>: static files built into this assembly
/// (<c>StaffConsole/app/</c>, vanilla ES modules, no build step), served under a strict
/// Content-Security-Policy — scripts only from here, no inline script or style, requests only to this
/// origin (and the SSO provider's, when configured: <see cref="ConsoleConfig"/>), Trusted Types required.
/// The pages themselves need no credential; every API call they make does.
/// Files are revalidated by ETag on every load (a 304 costs no body), so a release is seen at once.
/// </summary>
public static class ConsoleEndpoints
{
    /// <summary>The policy without SSO: requests only to this origin.</summary>
    public static string ContentSecurityPolicy { get; } = ContentSecurityPolicyFor(null);

    /// <summary>The policy, letting the console also reach <paramref name="ssoOrigin"/> (discovery and token endpoints).</summary>
    public static string ContentSecurityPolicyFor(string? ssoOrigin) =>
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
        + $"connect-src 'self'{(ssoOrigin is null ? "" : " " + ssoOrigin)}; "
        + "font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; "
        + "require-trusted-types-for 'script'; trusted-types console";

    public const string CacheControl = "no-cache";
    private const string ResourcePrefix = "console/";

    public static ConsoleFiles Files { get; } = ConsoleFiles.Load();

    private static readonly string[] GetAndHead = [HttpMethods.Get, HttpMethods.Head];

    public static IEndpointRouteBuilder MapConsole(this IEndpointRouteBuilder app)
    {
        // Relative, so that it holds behind a reverse proxy's path prefix too.
        // Routing ignores a trailing slash: "/console/" lands here too, and is the page itself.
        app.MapMethods("/console", GetAndHead, (HttpContext http) =>
                http.Request.Path.Value!.EndsWith('/') ? Serve(http, null) : TypedResults.Redirect("console/"))
            .ExcludeFromDescription();
        // Read before sign-in, so anonymous; never cached, so a configuration change is seen on the next load.
        app.MapGet("/console/config.json", (HttpContext http, ConsoleConfig config) =>
        {
            http.Response.Headers.CacheControl = "no-store";
            http.Response.Headers.XContentTypeOptions = "nosniff";
            return TypedResults.Ok(config);
        }).ExcludeFromDescription();
        app.MapMethods("/console/{**path}", GetAndHead, Serve).ExcludeFromDescription();
        return app;
    }

    private static IResult Serve(HttpContext http, string? path)
    {
        if (!Files.TryGet(string.IsNullOrEmpty(path) ? "index.html" : path, out var file)) return TypedResults.NotFound();
        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy = http.RequestServices.GetRequiredService<ConsoleConfig>().ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.XFrameOptions = "DENY";
        headers.CacheControl = CacheControl;
        headers.Vary = HeaderNames.AcceptEncoding;

        var gzip = file.Gzipped is not null && http.Request.Headers.AcceptEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase);
        var etag = gzip ? $"\"{file.Hash}-gz\"" : $"\"{file.Hash}\"";
        headers.ETag = etag;
        if (http.Request.Headers.IfNoneMatch.ToString().Split(',').Any(t => t.Trim() == etag))
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        if (gzip) headers.ContentEncoding = "gzip";
        return TypedResults.Bytes(gzip ? file.Gzipped! : file.Plain, file.ContentType);
    }

    public sealed record ConsoleFile(byte[] Plain, byte[]? Gzipped, string Hash, string ContentType);

    /// <summary>Every console file, read once from the assembly's resources, with its hash and a gzipped copy.</summary>
    public sealed class ConsoleFiles(FrozenDictionary<string, ConsoleFile> files)
    {
        public IEnumerable<string> Paths => files.Keys;

        public bool TryGet(string path, out ConsoleFile file) => files.TryGetValue(path, out file!);

        public static ConsoleFiles Load()
        {
            var assembly = typeof(ConsoleFiles).Assembly;
            var files = new Dictionary<string, ConsoleFile>(StringComparer.Ordinal);
            foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
            {
                using var resource = assembly.GetManifestResourceStream(name)!;
                using var plain = new MemoryStream();
                resource.CopyTo(plain);
                var bytes = plain.ToArray();
                var type = ContentTypeOf(name);
                byte[]? gzipped = null;
                if (type.StartsWith("text/", StringComparison.Ordinal) || type.Contains("javascript", StringComparison.Ordinal))
                {
                    using var packed = new MemoryStream();
                    using (var gzip = new GZipStream(packed, CompressionLevel.SmallestSize)) gzip.Write(bytes);
                    gzipped = packed.ToArray();
                }
                files[name[ResourcePrefix.Length..]] = new ConsoleFile(bytes, gzipped, Convert.ToHexStringLower(SHA256.HashData(bytes))[..16], type);
            }
            if (!files.ContainsKey("index.html"))
                throw new InvalidOperationException("The console's index.html is missing from the build (StaffConsole/app/).");
            return new ConsoleFiles(files.ToFrozenDictionary(StringComparer.Ordinal));
        }

        private static string ContentTypeOf(string name) => Path.GetExtension(name) switch
        {
            ".html" => "text/html; charset=utf-8",
            ".js" => "text/javascript; charset=utf-8",
            ".css" => "text/css; charset=utf-8",
            ".svg" => "image/svg+xml",
            ".png" => "image/png",
            ".md" => "text/plain; charset=utf-8",
            _ => "application/octet-stream",
        };
    }
}
