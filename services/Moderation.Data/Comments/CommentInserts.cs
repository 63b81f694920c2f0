using System.Text.Json;
using Microsoft.EntityFrameworkCore;

namespace Moderation.Data.Comments;

/// <summary>
/// New comments, many at once. On PostgreSQL one <c>INSERT … SELECT FROM unnest(arrays) ON CONFLICT DO NOTHING</c>,
/// without the change tracker: the scoring worker stores every comment this way, and EF's tracked inserts were
/// its largest cost after the model (see benchmarks/README.md). Elsewhere (SQLite, the standalone host) the
/// comments are tracked, to be saved by the caller's SaveChanges.
/// </summary>
public static class CommentInserts
{
    /// <summary>
    /// <c>Written</c> is true when the rows went to the database (PostgreSQL) and false when they are only tracked.
    /// Written rows whose id is already stored are left out; <c>Inserted</c> says how many went in.
    /// </summary>
    public static async Task<(bool Written, int Inserted)> InsertAsync(this ModerationDb db, IReadOnlyList<Comment> comments, CancellationToken ct)
    {
        if (db is not PostgresModerationDb)
        {
            db.Comments.AddRange(comments);
            return (false, 0);
        }
        if (comments.Count == 0) return (true, 0);

        T[] Column<T>(Func<Comment, T> value) => [.. comments.Select(value)];
        var id = Column(c => c.Id);
        var siteId = Column(c => c.SiteId);
        var threadId = Column(c => c.ThreadId);
        var threadUrl = Column(c => c.ThreadUrl);
        var threadTitle = Column(c => c.ThreadTitle);
        var parentId = Column(c => c.ParentId);
        var authorName = Column(c => c.AuthorName);
        var authorEmail = Column(c => c.AuthorEmail);
        var emailHash = Column(c => c.EmailHash);
        var authorUrl = Column(c => c.AuthorUrl);
        var body = Column(c => c.Body);
        var clientIp = Column(c => c.ClientIp);
        var userAgent = Column(c => c.UserAgent);
        var referrer = Column(c => c.Referrer);
        var language = Column(c => c.Language);
        var honeypot = Column(c => c.HoneypotFilled);
        var elapsedMs = Column(c => c.ElapsedMs);
        var submittedAt = Column(c => c.SubmittedAt);
        var scoredAt = Column(c => c.ScoredAt);
        var publishedAt = Column(c => c.PublishedAt);
        var status = Column(c => c.Status.ToString());
        var spamScore = Column(c => c.SpamScore);
        var modelVersion = Column(c => c.ModelVersion);
        var approveBelow = Column(c => c.ApproveBelowUsed);
        var rejectAbove = Column(c => c.RejectAboveUsed);
        // A text[] per row cannot be unnested from a two-dimensional array: each row's list travels as JSON.
        var reasons = Column(c => JsonSerializer.Serialize(c.Reasons));
        var reportCount = Column(c => c.ReportCount);
        var lastReportedAt = Column(c => c.LastReportedAt);
        var decidedBy = Column(c => c.DecidedBy);
        var decidedAt = Column(c => c.DecidedAt);
        var rejectReason = Column(c => c.RejectReason);
        var revision = Column(c => c.Revision);

        var inserted = await db.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO comments ("Id", "SiteId", "ThreadId", "ThreadUrl", "ThreadTitle", "ParentId", "AuthorName",
                "AuthorEmail", "EmailHash", "AuthorUrl", "Body", "ClientIp", "UserAgent", "Referrer", "Language",
                "HoneypotFilled", "ElapsedMs", "SubmittedAt", "ScoredAt", "PublishedAt", "Status", "SpamScore",
                "ModelVersion", "ApproveBelowUsed", "RejectAboveUsed", "Reasons", "ReportCount", "LastReportedAt",
                "DecidedBy", "DecidedAt", "RejectReason", "Revision")
            SELECT u.id, u.site, u.thread, u.thread_url, u.thread_title, u.parent, u.author_name, u.author_email,
                u.email_hash, u.author_url, u.body, u.ip, u.agent, u.referrer, u.lang, u.honeypot, u.elapsed,
                u.submitted, u.scored, u.published, u.status, u.score, u.model, u.approve_below, u.reject_above,
                ARRAY(SELECT jsonb_array_elements_text(u.reasons::jsonb)), u.reports, u.last_reported, u.decided_by,
                u.decided_at, u.reject_reason, u.revision
            FROM unnest({id}, {siteId}, {threadId}, {threadUrl}, {threadTitle}, {parentId}, {authorName},
                {authorEmail}, {emailHash}, {authorUrl}, {body}, {clientIp}, {userAgent}, {referrer}, {language},
                {honeypot}, {elapsedMs}, {submittedAt}, {scoredAt}, {publishedAt}, {status}, {spamScore},
                {modelVersion}, {approveBelow}, {rejectAbove}, {reasons}, {reportCount}, {lastReportedAt}, {decidedBy}, {decidedAt}, {rejectReason},
                {revision})
                AS u(id, site, thread, thread_url, thread_title, parent, author_name, author_email, email_hash,
                     author_url, body, ip, agent, referrer, lang, honeypot, elapsed, submitted, scored, published,
                     status, score, model, approve_below, reject_above, reasons, reports, last_reported, decided_by,
                     decided_at, reject_reason, revision)
            ON CONFLICT ("Id") DO NOTHING
            """, ct);
        return (true, inserted);
    }
}
