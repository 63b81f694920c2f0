using Microsoft.EntityFrameworkCore;
using Moderation.Data;
using Moderation.Data.Comments;
using Moderation.Data.Reviews;

namespace Moderation.ModerationApi.Queues;

/// <summary>
/// Everything stored about a comment, for the moderator who opens it: the queue item's fields plus private
/// fields, reports, the author's history and the parent.
/// </summary>
public sealed record CommentDetail : QueueItem
{
    public CommentDetail(QueueItem item) : base(item)
    {
    }

    public required string AuthorEmail { get; init; }
    public string? ClientIp { get; init; }
    public string? UserAgent { get; init; }
    public string? Referrer { get; init; }
    public string? Language { get; init; }
    public DateTime? ScoredAt { get; init; }
    public DateTime? PublishedAt { get; init; }
    public double? ApproveBelowUsed { get; init; }
    public double? RejectAboveUsed { get; init; }
    public string? DecidedBy { get; init; }
    public DateTime? DecidedAt { get; init; }
    public string? RejectReason { get; init; }
    public required IReadOnlyList<ReportView> Reports { get; init; }
    public required AuthorHistory History { get; init; }
    public QueueItem? Parent { get; init; }
}

public sealed record ReportView(string Reason, DateTime CreatedAt);

/// <summary>The author's other comments by status, found by email hash and by IP.</summary>
public sealed record AuthorHistory(StatusCounts ByEmail, StatusCounts ByIp);

public sealed record StatusCounts(int Approved, int Spam, int Rejected, int Held);

public static class CommentDetails
{
    public static async Task<CommentDetail?> LoadAsync(ModerationDb db, Guid id, IReadOnlyList<string>? sites, CancellationToken ct)
    {
        var c = await db.Comments.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (c is null) return null;
        var reports = await db.Reports.AsNoTracking().Where(r => r.CommentId == id).OrderBy(r => r.CreatedAt)
            .Select(r => new { r.Reason, r.CreatedAt }).ToListAsync(ct);
        QueueItem? parent = c.ParentId is { } parentId
            ? await db.Comments.AsNoTracking().Where(p => p.Id == parentId).Select(QueueItem.FromComment).FirstOrDefaultAsync(ct)
            : null;
        var history = new AuthorHistory(
            await HistoryAsync(db, sites, id, x => x.EmailHash == c.EmailHash, ct),
            c.ClientIp is { } ip ? await HistoryAsync(db, sites, id, x => x.ClientIp == ip, ct) : new StatusCounts(0, 0, 0, 0));

        return new CommentDetail(QueueItem.Of(c))
        {
            AuthorEmail = c.AuthorEmail,
            ClientIp = c.ClientIp,
            UserAgent = c.UserAgent,
            Referrer = c.Referrer,
            Language = c.Language,
            ScoredAt = c.ScoredAt,
            PublishedAt = c.PublishedAt,
            ApproveBelowUsed = c.ApproveBelowUsed,
            RejectAboveUsed = c.RejectAboveUsed,
            DecidedBy = c.DecidedBy,
            DecidedAt = c.DecidedAt,
            RejectReason = c.RejectReason,
            Reports = [.. reports.Select(r => new ReportView(ReportReasons.Name(r.Reason), r.CreatedAt))],
            // Always an object here (empty when nobody reported it), so the console need not check for null.
            ReportReasons = reports.GroupBy(r => ReportReasons.Name(r.Reason)).ToDictionary(g => g.Key, g => g.Count()),
            History = history,
            Parent = parent,
        };
    }

    /// <summary>The author's other comments on the sites the caller may see, counted by status in one grouped query.</summary>
    private static async Task<StatusCounts> HistoryAsync(ModerationDb db, IReadOnlyList<string>? sites, Guid except,
        System.Linq.Expressions.Expression<Func<Comment, bool>> sameAuthor, CancellationToken ct)
    {
        var q = db.Comments.AsNoTracking().Where(sameAuthor).Where(x => x.Id != except);
        if (sites is not null) q = q.Where(x => sites.Contains(x.SiteId));
        var counts = await q.GroupBy(x => x.Status).Select(g => new { Status = g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Status, g => g.Count, ct);
        return new StatusCounts(counts.GetValueOrDefault(CommentStatus.Approved), counts.GetValueOrDefault(CommentStatus.Spam),
            counts.GetValueOrDefault(CommentStatus.Rejected), counts.GetValueOrDefault(CommentStatus.Held));
    }
}
