using Microsoft.EntityFrameworkCore;
using Moderation.Data;
using Moderation.Data.Audit;
using Moderation.Data.Reviews;

namespace Moderation.ModerationApi.Decisions;

/// <summary>
/// The rows a bulk decision adds (an audit entry and maybe a label per comment). On PostgreSQL each kind is one
/// <c>INSERT … SELECT FROM unnest(arrays)</c>: a thousand rows in one statement, without the change tracker,
/// which is what keeps a 1000-item decision well under a second. SQLite (standalone, small) takes the tracked
/// path and is saved with the caller's SaveChanges.
/// </summary>
internal static class BatchInserts
{
    public static async Task AuditAsync(ModerationDb db, IReadOnlyList<AuditEntry> entries, CancellationToken ct)
    {
        if (db is not PostgresModerationDb)
        {
            db.Audit.AddRange(entries);
            return;
        }
        var at = entries.Select(e => e.At).ToArray();
        var actor = entries.Select(e => e.Actor).ToArray();
        var action = entries.Select(e => e.Action).ToArray();
        var targetType = entries.Select(e => e.TargetType).ToArray();
        var targetId = entries.Select(e => e.TargetId).ToArray();
        var siteId = entries.Select(e => e.SiteId).ToArray();
        var before = entries.Select(e => e.Before).ToArray();
        var after = entries.Select(e => e.After).ToArray();
        await db.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO audit_log ("At", "Actor", "Action", "TargetType", "TargetId", "SiteId", "Before", "After")
            SELECT * FROM unnest({at}, {actor}, {action}, {targetType}, {targetId}, {siteId}, {before}, {after})
            """, ct);
    }

    public static async Task LabelsAsync(ModerationDb db, IReadOnlyList<Label> labels, CancellationToken ct)
    {
        if (db is not PostgresModerationDb)
        {
            db.Labels.AddRange(labels);
            return;
        }
        var commentId = labels.Select(l => l.CommentId).ToArray();
        var kind = labels.Select(l => l.Kind.ToString()).ToArray();
        var by = labels.Select(l => l.By).ToArray();
        var createdAt = labels.Select(l => l.CreatedAt).ToArray();
        await db.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO labels ("CommentId", "Kind", "By", "CreatedAt")
            SELECT * FROM unnest({commentId}, {kind}, {by}, {createdAt})
            """, ct);
    }
}
