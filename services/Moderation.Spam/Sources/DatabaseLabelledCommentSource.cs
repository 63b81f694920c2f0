using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Moderation.Data;
using Moderation.Data.Reviews;

namespace Moderation.Spam.Sources;

/// <summary>
/// The moderators' decisions: every <c>labels</c> row joined to its comment, on PostgreSQL or SQLite alike
/// (whichever <see cref="ModerationDb"/> is registered). Oldest label first, so a caller can hold out the newest.
/// </summary>
public sealed class DatabaseLabelledCommentSource(ModerationDb db, string? siteId = null) : ILabelledCommentSource
{
    public string Name { get; } = siteId is null ? "labels" : $"labels of {siteId}";

    public async IAsyncEnumerable<LabelledComment> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var rows =
            from label in db.Labels.AsNoTracking()
            join comment in db.Comments.AsNoTracking() on label.CommentId equals comment.Id
            where siteId == null || comment.SiteId == siteId
            orderby label.CreatedAt, label.CommentId
            select new { comment.Body, comment.AuthorName, comment.AuthorUrl, comment.AuthorEmail, comment.ElapsedMs, label.Kind };
        await foreach (var r in rows.AsAsyncEnumerable().WithCancellation(cancellationToken))
            yield return new LabelledComment(new SpamModelInput(r.Body, r.AuthorName, r.AuthorUrl, r.AuthorEmail, r.ElapsedMs), r.Kind == LabelKind.Spam, Name);
    }
}
