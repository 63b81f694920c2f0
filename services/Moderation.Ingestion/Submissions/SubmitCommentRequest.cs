using System.Text.Json;
using System.Text.Json.Serialization;

namespace Moderation.Ingestion.Submissions;

/// <summary>What the widget posts. Everything is optional here so that validation, not the JSON reader,
/// names each missing field.</summary>
public sealed record SubmitCommentRequest
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

    /// <summary>A field hidden from people: anything in it was typed by a bot.</summary>
    public string? Honeypot { get; init; }

    /// <summary>Milliseconds between the form being shown and being sent.</summary>
    public int? ElapsedMs { get; init; }
}

public sealed record SubmitCommentResponse(Guid Id, string Status, string StatusUrl);

public sealed record CommentStatusResponse(Guid Id, string Status);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(SubmitCommentRequest))]
[JsonSerializable(typeof(SubmitCommentResponse))]
[JsonSerializable(typeof(CommentStatusResponse))]
[JsonSerializable(typeof(Moderation.Ingestion.Endpoints.ReportsApi.ReportRequest))]
internal sealed partial class IngestionJson : JsonSerializerContext;
