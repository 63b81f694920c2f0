using MassTransit;
using Microsoft.EntityFrameworkCore;
using Moderation.Contracts;
using Moderation.Data;
using Moderation.Data.Comments;
using Moderation.Data.Sites;
using Moderation.ServiceDefaults;
using Prometheus;

using Moderation.Spam;

namespace Moderation.Scoring.Scoring;

/// <summary>
/// Scores submissions, stores the decisions, and announces them: a batch at a time, with one query for what is
/// already stored, one model pass, the rules batched, one insert and the announcements published
/// concurrently. Safe to run twice for one comment.
/// </summary>
public sealed partial class CommentScoringService(
    ModerationDb db,
    ISiteRegistry sites,
    ICommentScorer scorer,
    Rules.RuleEngine rules,
    IPublishEndpoint publish,
    ILogger<CommentScoringService> logger)
{
    public Task ScoreAsync(CommentSubmitted submission, CancellationToken ct) => ScoreBatchAsync([submission], ct);

    /// <summary>All or nothing: if it throws, none of the batch's decisions were stored.</summary>
    public async Task ScoreBatchAsync(IReadOnlyList<CommentSubmitted> batch, CancellationToken ct)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        db.ChangeTracker.Clear(); // a failed earlier call on this scope leaves nothing behind
        var submissions = batch.DistinctBy(s => s.CommentId).ToList(); // one delivery twice in a batch: scored once
        Guid[] ids = [.. submissions.Select(s => s.CommentId)];
        // Tracked: a pending comment the standalone host stored before its 202 is updated in place.
        var stored = await StoredComments.For(db)(db, ids).ToDictionaryAsync(c => c.Id, cancellationToken: ct);

        var decided = new List<Comment>();
        var toScore = new List<(CommentSubmitted Submission, Site Site)>();
        foreach (var submission in submissions)
        {
            if (stored.GetValueOrDefault(submission.CommentId) is { Status: not CommentStatus.Pending } comment)
            {
                // Redelivered after it was stored: the decision may not have been announced yet, so announce it again.
                LogAlreadyScored(logger, comment.Id, comment.Status);
                decided.Add(comment);
            }
            else toScore.Add((submission, await SiteAsync(submission.SiteId, ct)));
        }

        if (toScore.Count > 0) decided.AddRange(await ScoreAndStoreAsync(toScore, stored, ct));

        await Task.WhenAll(decided.Select(c => PublishDecisionAsync(c, ct)));
        var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds;
        foreach (var _ in submissions) ModerationMetrics.ScoringSeconds.Observe(elapsed);
    }

    private async Task<List<Comment>> ScoreAndStoreAsync(List<(CommentSubmitted Submission, Site Site)> toScore, Dictionary<Guid, Comment> stored, CancellationToken ct)
    {
        var models = await scorer.ScoreBatchAsync(toScore, ct);
        var outcomes = await rules.EvaluateBatchAsync(toScore, ct);
        var scored = new List<Comment>(toScore.Count);
        var fresh = new List<Comment>(toScore.Count);
        for (var i = 0; i < toScore.Count; i++)
        {
            var (submission, site) = toScore[i];
            var result = models[i] with { Verdict = outcomes[i].Verdict, Reasons = [.. outcomes[i].Reasons, .. models[i].Reasons] };
            if (!stored.TryGetValue(submission.CommentId, out var comment))
            {
                comment = submission.ToPendingComment();
                fresh.Add(comment);
            }
            comment.Status = AutomaticDecision.Decide(result, site);
            comment.SpamScore = result.Score;
            comment.ModelVersion = result.ModelVersion;
            comment.ApproveBelowUsed = site.ApproveBelow;
            comment.RejectAboveUsed = site.RejectAbove;
            comment.Reasons = [.. result.Reasons];
            comment.ScoredAt = DateTime.UtcNow;
            if (comment.Status == CommentStatus.Approved) comment.PublishedAt = comment.ScoredAt;
            scored.Add(comment);
        }

        var complete = false;
        DbUpdateException? conflict = null;
        try
        {
            complete = await StoreAsync(fresh, ct);
        }
        catch (DbUpdateException ex) when (!TransientFailures.IsTransient(ex))
        {
            conflict = ex;
        }
        if (!complete)
        {
            // Another worker stored some first (the same message delivered twice at once): keep theirs.
            db.ChangeTracker.Clear();
            Guid[] ids = [.. scored.Select(c => c.Id)];
            scored = await StoredComments.For(db)(db, ids).ToListAsync(ct);
            if (scored.Count < ids.Length || scored.Any(c => c.Status == CommentStatus.Pending))
                throw new InvalidOperationException("The batch's comments could not all be stored, and not all of them are decided.", conflict);
        }

        foreach (var c in scored)
        {
            LogScored(logger, c.Id, c.Status, c.SpamScore ?? 0);
            ModerationMetrics.CommentsScored.WithLabels(c.SiteId, c.Status.ToString()).Inc();
        }
        return scored;
    }

    /// <summary>
    /// New comments inserted in one statement on PostgreSQL (tracked and saved by EF elsewhere), and a pending comment
    /// stored before its 202 (the standalone host) updated by SaveChanges; in one transaction when there are both.
    /// False when some new ones were already stored.
    /// </summary>
    private async Task<bool> StoreAsync(List<Comment> fresh, CancellationToken ct)
    {
        await using var transaction = fresh.Count > 0 && db is PostgresModerationDb && db.ChangeTracker.HasChanges()
            ? await db.Database.BeginTransactionAsync(ct)
            : null;
        var (written, inserted) = await db.InsertAsync(fresh, ct);
        await db.SaveChangesAsync(ct);
        if (transaction is not null) await transaction.CommitAsync(ct);
        return !written || inserted == fresh.Count;
    }

    // Compiled once, as it runs for every batch (see RuleEngine's bans query).
    private static readonly CompiledPerModel<Func<ModerationDb, Guid[], IAsyncEnumerable<Comment>>> StoredComments = new(() =>
        EF.CompileAsyncQuery((ModerationDb db, Guid[] ids) => db.Comments.Where(c => ids.Contains(c.Id))));

    private async Task<Site> SiteAsync(string siteId, CancellationToken ct)
    {
        if (sites.Find(siteId) is { } site) return site;
        await sites.ReloadAsync(ct);
        return sites.Find(siteId) ?? throw new InvalidOperationException($"Unknown site '{siteId}'.");
    }

    private Task PublishDecisionAsync(Comment c, CancellationToken ct) => c.Status switch
    {
        CommentStatus.Approved => publish.Publish(new CommentPublished(c.Id, c.SiteId, c.ThreadId, c.ParentId, c.PublishedAt ?? c.SubmittedAt), ct),
        CommentStatus.Held => publish.Publish(new CommentHeld(c.Id, c.SiteId, c.ThreadId, c.SpamScore ?? 0, c.Reasons), ct),
        CommentStatus.Spam => publish.Publish(new CommentMarkedSpam(c.Id, c.SiteId, c.ThreadId, c.SpamScore ?? 0, c.Reasons), ct),
        _ => Task.CompletedTask,
    };

    [LoggerMessage(LogLevel.Debug, "Scored {CommentId} {Score:0.000}: {Status}")]
    private static partial void LogScored(ILogger logger, Guid commentId, CommentStatus status, double score);

    [LoggerMessage(LogLevel.Information, "{CommentId} already scored ({Status}); announcing the decision again")]
    private static partial void LogAlreadyScored(ILogger logger, Guid commentId, CommentStatus status);
}
