using System.Text.Json;
using System.Text.Json.Serialization;

namespace Moderation.ReadApi.Threads;

/// <summary>A published comment as the public sees it: never an email, IP or user agent.</summary>
public sealed record PublicComment(Guid Id, Guid? ParentId, string AuthorName, string? AuthorUrl, string Body, DateTime CreatedAt);

/// <summary>Approved comments of a thread, oldest first; replies carry their parent's id.</summary>
public sealed record ThreadPage(string SiteId, string ThreadId, int Count, IReadOnlyList<PublicComment> Comments, string? NextCursor);

public sealed record ThreadCounts(string SiteId, IReadOnlyDictionary<string, int> Counts);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ThreadPage))]
[JsonSerializable(typeof(ThreadCounts))]
internal sealed partial class ReadApiJson : JsonSerializerContext;
