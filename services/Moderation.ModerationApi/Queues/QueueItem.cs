using System.Linq.Expressions;
using System.Text.Json;
using System.Text.Json.Serialization;
using Moderation.Data.Comments;

namespace Moderation.ModerationApi.Queues;

/// <summary>A comment as a queue lists it: what a moderator decides on, without the author's private data.</summary>
public record QueueItem(
    Guid Id,
    string SiteId,
    string ThreadId,
    string? ThreadTitle,
    string? ThreadUrl,
    Guid? ParentId,
    string AuthorName,
    string? AuthorUrl,
    string Body,
    DateTime SubmittedAt,
    [property: JsonConverter(typeof(CamelCaseEnumConverter<CommentStatus>))] CommentStatus Status,
    double? Score,
    string? ModelVersion,
    List<string> Reasons,
    int ReportCount,
    int Revision)
{
    /// <summary>Readers' report reasons and how many gave each (null for a comment nobody reported).</summary>
    public IReadOnlyDictionary<string, int>? ReportReasons { get; init; }

    public static readonly Expression<Func<Comment, QueueItem>> FromComment = c => new QueueItem(
        c.Id, c.SiteId, c.ThreadId, c.ThreadTitle, c.ThreadUrl, c.ParentId, c.AuthorName, c.AuthorUrl, c.Body,
        c.SubmittedAt, c.Status, c.SpamScore, c.ModelVersion, c.Reasons, c.ReportCount, c.Revision);

    private static readonly Func<Comment, QueueItem> Compiled = FromComment.Compile();

    /// <summary>The same projection for a comment already in memory.</summary>
    public static QueueItem Of(Comment comment) => Compiled(comment);
}

/// <summary>Enum values as the API writes them: <c>held</c>, <c>notSpam</c>.</summary>
public sealed class CamelCaseEnumConverter<T>() : JsonStringEnumConverter<T>(JsonNamingPolicy.CamelCase, allowIntegerValues: false)
    where T : struct, Enum;
