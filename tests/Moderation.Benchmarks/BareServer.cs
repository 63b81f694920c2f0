using System.Text.Json;
using System.Text.Json.Serialization;

namespace Moderation.Benchmarks;

/// <summary>
/// The baselines for the HTTP services: a bare ASP.NET Core minimal API on Kestrel, run as its own process
/// (<c>dotnet Moderation.Benchmarks.dll --bare-server PORT</c>), with no logging, database or broker.
/// POST parses the same JSON as ingestion and answers 202; GET returns the thread page bytes it was given.
/// </summary>
public static class BareServer
{
    public static void Run(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, BareJson.Default));
        var app = builder.Build();

        byte[] thread = "{}"u8.ToArray();
        app.MapPost("/api/v1/comments", async (HttpContext http) =>
        {
            var request = await JsonSerializer.DeserializeAsync(http.Request.Body, BareJson.Default.BareComment, http.RequestAborted);
            if (request?.SiteId is null || request.Body is null) return Results.BadRequest();
            var id = Guid.NewGuid();
            var statusUrl = $"/api/v1/comments/{id}/status?token=bare";
            return Results.Accepted(statusUrl, new BareAccepted(id, "pending", statusUrl));
        });
        app.MapGet("/api/v1/comments", () => Results.Bytes(thread, "application/json; charset=utf-8"));
        app.MapPut("/bare/thread", async (HttpContext http) =>
        {
            using var buffer = new MemoryStream();
            await http.Request.Body.CopyToAsync(buffer);
            thread = buffer.ToArray();
            return Results.NoContent();
        });
        app.MapGet("/health/ready", () => "ok");
        app.Run();
    }
}

public sealed record BareComment
{
    public string? SiteId { get; init; }
    public string? ThreadId { get; init; }
    public string? ThreadUrl { get; init; }
    public string? ThreadTitle { get; init; }
    public Guid? ParentId { get; init; }
    public string? AuthorName { get; init; }
    public string? AuthorEmail { get; init; }
    public string? AuthorUrl { get; init; }
    public string? Body { get; init; }
    public string? Honeypot { get; init; }
    public int? ElapsedMs { get; init; }
}

public sealed record BareAccepted(Guid Id, string Status, string StatusUrl);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(BareComment))]
[JsonSerializable(typeof(BareAccepted))]
internal sealed partial class BareJson : JsonSerializerContext;
