using System.Security.Cryptography;
using System.Text;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Moderation.Contracts;
using Moderation.Data;
using Moderation.Data.Comments;
using Moderation.Data.Outbox;
using Moderation.Data.Reviews;
using Moderation.Data.Sites;
using Moderation.ServiceDefaults.Outbox;

namespace Moderation.Ingestion.Reports;

/// <summary>
/// Records readers' reports of a published comment: one per reader (a keyed hash of their IP, so the stored
/// value cannot be turned back into an address by trying all four billion), counted on the comment; at the
/// site's threshold the comment is held and the read side told to hide it (through the outbox, in the same transaction).
/// </summary>
public sealed class ReaderReports(ModerationDb db, OutboxDispatcher outbox, IOptions<IngestionOptions> options, TimeProvider clock)
{
    private readonly byte[] _key = Encoding.UTF8.GetBytes("reporter:" + options.Value.StatusTokenSecret);

    public sealed record Reported(int ReportCount, bool TakenDown);

    public async Task<Reported> ReportAsync(Guid commentId, string threadId, Site site, ReportReason reason, string ip, CancellationToken ct)
    {
        var reporter = Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(ip)));
        if (await db.Reports.AnyAsync(r => r.CommentId == commentId && r.ReporterHash == reporter, ct))
            return new Reported(await CountAsync(commentId, ct), false);

        var now = clock.GetUtcNow().UtcDateTime;
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            db.Reports.Add(new Report { Id = NewId.NextGuid(), CommentId = commentId, SiteId = site.Id, Reason = reason, ReporterHash = reporter, CreatedAt = now });
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                // The same reader's second click raced the first past the check above: it counts once.
                await transaction.RollbackAsync(ct);
                db.ChangeTracker.Clear();
                if (await db.Reports.AnyAsync(r => r.CommentId == commentId && r.ReporterHash == reporter, ct))
                    return new Reported(await CountAsync(commentId, ct), false);
                throw;
            }
            // Counted in the database, not read-modify-write: concurrent reports from different readers all count.
            await db.Comments.Where(c => c.Id == commentId).ExecuteUpdateAsync(s => s
                .SetProperty(c => c.ReportCount, c => c.ReportCount + 1)
                .SetProperty(c => c.LastReportedAt, now), ct);
            var threshold = site.ReportsToHold;
            var heldNow = await db.Comments
                .Where(c => c.Id == commentId && c.Status == CommentStatus.Approved && c.ReportCount >= threshold)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(c => c.Status, CommentStatus.Held)
                    .SetProperty(c => c.Revision, c => c.Revision + 1), ct) == 1;
            if (heldNow)
            {
                db.AddEvents([new CommentRemoved(commentId, site.Id, threadId, "reported")], now);
                await db.SaveChangesAsync(ct);
            }
            var count = await CountAsync(commentId, ct);
            await transaction.CommitAsync(ct);
            if (heldNow) outbox.Wake();
            return new Reported(count, heldNow);
        }
    }

    private Task<int> CountAsync(Guid commentId, CancellationToken ct) =>
        db.Comments.Where(c => c.Id == commentId).Select(c => c.ReportCount).FirstAsync(ct);
}
