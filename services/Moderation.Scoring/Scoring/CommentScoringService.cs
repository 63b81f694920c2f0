using MassTransit;
using Microsoft.EntityFrameworkCore;
using Moderation.Contracts;
using Moderation.Data;
using Moderation.Data.Comments;
using Moderation.Data.Sites;
using Moderation.ServiceDefaults;
using Prometheus;

namespace Moderation.Scoring.Scoring;

/// <summary>Scores a submission, stores the decision, and announces it. Safe to run twice for one comment.</summary>
public sealed partial class CommentScoringService(
    ModerationDb db,
    ISiteRegistry sites,
    ICommentScorer scorer,
    Rules.RuleEngine rules,
    IPublishEndpoint publish,
    ILogger<CommentScoringService> logger)
{
    public async Task ScoreAsync(CommentSubmitted submission, CancellationToken ct)
    {
        using var timer = ModerationMetrics.ScoringSeconds.NewTimer();
        var comment = await StoredComment(db, submission.CommentId, ct);
        if (comment is { Status: not CommentStatus.Pending })
        {
            // Redelivered after it was stored: the decision may not have been announced yet, so announce it again.
            LogAlreadyScored(logger, comment.Status);
            await PublishDecisionAsync(comment, ct);
            return;
        }

        var site = sites.Find(submission.SiteId);
        if (site is null)
        {
            await sites.ReloadAsync(ct);
            site = sites.Find(submission.SiteId) ?? throw new InvalidOperationException($"Unknown site '{submission.SiteId}'.");
        }

        var model = await scorer.ScoreAsync(submission, site, ct);
        var outcome = await rules.EvaluateAsync(submission, site, ct);
        var result = model with { Verdict = outcome.Verdict, Reasons = [.. outcome.Reasons, .. model.Reasons] };
        if (comment is null)
        {
            comment = submission.ToPendingComment();
            db.Comments.Add(comment);
        }
        comment.Status = Decision.Decide(result, site);
        comment.SpamScore = result.Score;
        comment.ModelVersion = result.ModelVersion;
        comment.ApproveBelowUsed = site.ApproveBelow;
        comment.RejectAboveUsed = site.RejectAbove;
        comment.Reasons = [.. result.Reasons];
        comment.ScoredAt = DateTime.UtcNow;
        if (comment.Status == CommentStatus.Approved) comment.PublishedAt = comment.ScoredAt;

        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (!TransientFailures.IsTransient(ex))
        {
            // Another worker stored it first (the same message delivered twice at once): keep theirs.
            db.ChangeTracker.Clear();
            comment = await db.Comments.AsNoTracking().FirstOrDefaultAsync(c => c.Id == submission.CommentId, ct);
            if (comment is null || comment.Status == CommentStatus.Pending) throw;
        }

        LogScored(logger, comment.Status, result.Score);
        ModerationMetrics.CommentsScored.WithLabels(comment.SiteId, comment.Status.ToString()).Inc();
        await PublishDecisionAsync(comment, ct);
    }

    // Compiled once (tracked: a pending comment the standalone host stored before its 202 is updated in place).
    private static readonly Func<ModerationDb, Guid, CancellationToken, Task<Comment?>> StoredComment =
        EF.CompileAsyncQuery((ModerationDb db, Guid id, CancellationToken ct) => db.Comments.FirstOrDefault(c => c.Id == id));

    private Task PublishDecisionAsync(Comment c, CancellationToken ct) => c.Status switch
    {
        CommentStatus.Approved => publish.Publish(new CommentPublished(c.Id, c.SiteId, c.ThreadId, c.ParentId, c.PublishedAt ?? c.SubmittedAt), ct),
        CommentStatus.Held => publish.Publish(new CommentHeld(c.Id, c.SiteId, c.ThreadId, c.SpamScore ?? 0, c.Reasons), ct),
        CommentStatus.Spam => publish.Publish(new CommentMarkedSpam(c.Id, c.SiteId, c.ThreadId, c.SpamScore ?? 0, c.Reasons), ct),
        _ => Task.CompletedTask,
    };

    [LoggerMessage(LogLevel.Debug, "Scored {Score:0.000}: {Status}")]
    private static partial void LogScored(ILogger logger, CommentStatus status, double score);

    [LoggerMessage(LogLevel.Information, "Already scored ({Status}); announcing the decision again")]
    private static partial void LogAlreadyScored(ILogger logger, CommentStatus status);
}
