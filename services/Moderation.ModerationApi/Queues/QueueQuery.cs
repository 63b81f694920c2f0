using Microsoft.EntityFrameworkCore;
using Moderation.Data;
using Moderation.Data.Comments;
using Moderation.Data.Reviews;

namespace Moderation.ModerationApi.Queues;

/// <summary>
/// The queues as queries. Each is written so PostgreSQL can walk an existing index in sort order and stop
/// after one page: (SiteId, Status, SubmittedAt), (SiteId, Status, SpamScore), (Status, …) without a site,
/// (SiteId, ThreadId, Status, SubmittedAt, Id) for one thread, and (ReportCount, …) for the reported queue.
/// </summary>
public static class QueueQuery
{
    public static IQueryable<Comment> InQueue(this IQueryable<Comment> comments, QueueFilter f, DateTime now)
    {
        var q = f.Queue switch
        {
            QueueName.Held => comments.Where(c => c.Status == CommentStatus.Held),
            QueueName.Spam => comments.Where(c => c.Status == CommentStatus.Spam),
            QueueName.Reported => comments.Where(c => c.ReportCount > 0 && (c.Status == CommentStatus.Approved || c.Status == CommentStatus.Held)),
            _ => comments.Where(c => c.Status == CommentStatus.Approved && c.DecidedBy == null && c.SubmittedAt >= now - QueueFilter.RecentlyApproved),
        };
        if (f.Sites is [var site]) q = q.Where(c => c.SiteId == site);
        else if (f.Sites is { } sites) q = q.Where(c => sites.Contains(c.SiteId));
        if (f.ThreadId is { } thread) q = q.Where(c => c.ThreadId == thread);
        if (f.ReasonText is { } reason) q = q.Where(c => c.Reasons.Any(r => r.ToLower().Contains(reason)));
        if (f.MinScore is { } min) q = q.Where(c => c.SpamScore >= min);
        if (f.MaxScore is { } max) q = q.Where(c => c.SpamScore <= max);
        if (f.From is { } from) q = q.Where(c => c.SubmittedAt >= from);
        if (f.To is { } to) q = q.Where(c => c.SubmittedAt <= to);
        return q;
    }

    /// <summary>
    /// Sorted, and after the cursor. The keyset condition repeats the sort key alone (<c>t &lt;= x and (t &lt; x or id &lt; y)</c>)
    /// so that it is an index condition, not a filter over every row before the cursor.
    /// </summary>
    public static IQueryable<Comment> Sorted(this IQueryable<Comment> q, QueueSort sort, QueueCursor? after)
    {
        switch (sort)
        {
            case QueueSort.Oldest:
                if (after is { } o) q = q.Where(c => c.SubmittedAt >= o.Time && (c.SubmittedAt > o.Time || c.Id.CompareTo(o.Id) > 0));
                return q.OrderBy(c => c.SubmittedAt).ThenBy(c => c.Id);
            case QueueSort.Score:
                // Every comment in a queue was scored; the guard keeps NULL out of the key (the providers sort it differently).
                q = q.Where(c => c.SpamScore != null);
                if (after is { } s) q = q.Where(c => c.SpamScore <= s.Score && (c.SpamScore < s.Score || c.Id.CompareTo(s.Id) < 0));
                return q.OrderByDescending(c => c.SpamScore).ThenByDescending(c => c.Id);
            case QueueSort.ScoreAsc:
                q = q.Where(c => c.SpamScore != null);
                if (after is { } a) q = q.Where(c => c.SpamScore >= a.Score && (c.SpamScore > a.Score || c.Id.CompareTo(a.Id) > 0));
                return q.OrderBy(c => c.SpamScore).ThenBy(c => c.Id);
            default:
                if (after is { } n) q = q.Where(c => c.SubmittedAt <= n.Time && (c.SubmittedAt < n.Time || c.Id.CompareTo(n.Id) < 0));
                return q.OrderByDescending(c => c.SubmittedAt).ThenByDescending(c => c.Id);
        }
    }

    /// <summary>One page and the cursor for the next (null on the last page).</summary>
    public static async Task<QueuePage> PageAsync(ModerationDb db, QueueFilter filter, QueueSort sort, QueueCursor? after, int limit,
        DateTime now, CancellationToken ct)
    {
        var items = await db.Comments.AsNoTracking().InQueue(filter, now).Sorted(sort, after)
            .Take(limit + 1).Select(QueueItem.FromComment).ToListAsync(ct);
        string? next = null;
        if (items.Count > limit)
        {
            items.RemoveAt(limit);
            var last = items[^1];
            next = QueueCursor.After(sort, last.SubmittedAt, last.Score, last.Id).Encode();
        }
        return new QueuePage(await WithReportReasonsAsync(db, items, ct), next);
    }

    /// <summary>Fills in readers' report reasons for the reported items, in one grouped query for the page.</summary>
    public static async Task<List<QueueItem>> WithReportReasonsAsync(ModerationDb db, List<QueueItem> items, CancellationToken ct)
    {
        var reported = items.Where(i => i.ReportCount > 0).Select(i => i.Id).ToList();
        if (reported.Count == 0) return items;
        var counts = await db.Reports.AsNoTracking().Where(r => reported.Contains(r.CommentId))
            .GroupBy(r => new { r.CommentId, r.Reason }).Select(g => new { g.Key.CommentId, g.Key.Reason, Count = g.Count() })
            .ToListAsync(ct);
        var byComment = counts.GroupBy(c => c.CommentId)
            .ToDictionary(g => g.Key, g => (IReadOnlyDictionary<string, int>)g.ToDictionary(c => ReportReasons.Name(c.Reason), c => c.Count));
        return [.. items.Select(i => byComment.TryGetValue(i.Id, out var reasons) ? i with { ReportReasons = reasons } : i)];
    }

    /// <summary>
    /// How many comments wait in each queue (the approved one: the last 24 hours), in one round trip: one SELECT of
    /// four scalar subqueries, each the queue's own filter, so each still counts along the index its listing uses.
    /// </summary>
    public static async Task<QueueCounts> CountsAsync(ModerationDb db, IReadOnlyList<string>? sites, DateTime now, CancellationToken ct)
    {
        IQueryable<Comment> Queue(QueueName queue) => db.Comments.AsNoTracking().InQueue(new QueueFilter(queue, sites), now);
        var (held, reported, spam, approved) = (Queue(QueueName.Held), Queue(QueueName.Reported), Queue(QueueName.Spam), Queue(QueueName.Approved));
        // Any one row to select from (the first by key: no scan, and no warning about an unordered First);
        // no comment at all means no counts either.
        return await db.Comments.AsNoTracking().OrderBy(c => c.Id)
            .Select(_ => new QueueCounts(held.Count(), reported.Count(), spam.Count(), approved.Count()))
            .FirstOrDefaultAsync(ct) ?? new QueueCounts(0, 0, 0, 0);
    }
}

public sealed record QueuePage(IReadOnlyList<QueueItem> Items, string? NextCursor);

public sealed record QueueCounts(int Held, int Reported, int Spam, int Approved);
