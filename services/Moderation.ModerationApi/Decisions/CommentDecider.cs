using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Moderation.Contracts;
using Moderation.Data;
using Moderation.Data.Comments;
using Moderation.Data.Outbox;
using Moderation.Data.Reviews;
using Moderation.ModerationApi.Audit;
using Moderation.ModerationApi.Auth;
using Moderation.ModerationApi.Reputation;
using Moderation.ModerationApi.Queues;
using Moderation.ServiceDefaults.Outbox;

namespace Moderation.ModerationApi.Decisions;

/// <summary>
/// Applies one decision to many comments, set-based: one UPDATE per distinct revision among them (usually one),
/// the audit entries, labels and the read side's events (outbox rows) inserted in batches in the same transaction,
/// and the events published right after the commit. The revision in each UPDATE's WHERE is the optimistic lock:
/// a comment another decision (or a reader's report) changed in between is not touched, and is then reported
/// as unchanged (it already is what was asked) or as a conflict.
/// </summary>
public sealed class CommentDecider(ModerationDb db, AuditLog audit, OutboxDispatcher outbox, TimeProvider clock)
{
    /// <summary>The most comments one call takes: a bulk request's limit, and the size filter decisions are cut into.</summary>
    public const int MaxBatch = 1000;

    /// <summary>What a decision needs to know of a comment, read before it is changed.</summary>
    public sealed record Current(Guid Id, string SiteId, string ThreadId, Guid? ParentId, CommentStatus Status, int Revision,
        string? DecidedBy, int ReportCount, string? RejectReason, DateTime? PublishedAt, LabelKind? DomainVote);

    public Task<List<Current>> LoadAsync(IReadOnlyCollection<Guid> ids, CancellationToken ct) =>
        db.Comments.AsNoTracking().Where(c => ids.Contains(c.Id))
            .Select(c => new Current(c.Id, c.SiteId, c.ThreadId, c.ParentId, c.Status, c.Revision, c.DecidedBy, c.ReportCount, c.RejectReason, c.PublishedAt, c.DomainVote))
            .ToListAsync(ct);

    /// <summary>
    /// Decides on <paramref name="comments"/> (as <see cref="LoadAsync"/> read them). With <paramref name="expectedRevision"/>
    /// (a single decision) a comment at another revision is a conflict; without, a comment a person already
    /// decided differently is.
    /// </summary>
    public async Task<DecisionOutcome> ApplyAsync(Decision decision, IReadOnlyList<Current> comments, int? expectedRevision,
        ClaimsPrincipal user, CancellationToken ct)
    {
        var outcome = new DecisionOutcome();
        var candidates = new List<Current>();
        foreach (var c in comments)
        {
            if (IsAlready(decision, c.Status, c.DecidedBy, c.ReportCount, c.RejectReason)) outcome.Unchanged.Add(c.Id);
            else if (c.Status == CommentStatus.Pending) outcome.Conflicts.Add(c.Id); // the scorer has not spoken; it would overwrite us
            else if (expectedRevision is { } revision ? revision != c.Revision : c.DecidedBy is not null && c.Status != decision.Target)
                outcome.Conflicts.Add(c.Id);
            else candidates.Add(c);
        }
        if (candidates.Count == 0) return outcome;

        var actor = user.Actor();
        var at = Marker(clock.GetUtcNow().UtcDateTime);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        foreach (var group in candidates.GroupBy(c => c.Revision))
            await UpdateAsync(decision, [.. group.Select(c => c.Id)], group.Key, actor, at, ct);

        // Which rows this call changed: the ones carrying its actor and its (microsecond-exact) time.
        var candidateIds = candidates.Select(c => c.Id).ToList();
        var changed = (await db.Comments.Where(c => candidateIds.Contains(c.Id) && c.DecidedAt == at && c.DecidedBy == actor)
            .Select(c => c.Id).ToListAsync(ct)).ToHashSet();
        var applied = candidates.Where(c => changed.Contains(c.Id)).ToList();
        await ClassifyLosersAsync(decision, [.. candidateIds.Where(id => !changed.Contains(id))], outcome, ct);

        var events = Events(decision, applied, at);
        if (applied.Count > 0)
        {
            if (decision.Label is { } label) await UpsertLabelsAsync(applied, label, actor, at, ct);
            if (decision.DomainVote is { } vote) await DomainVotes.MoveAsync(db, [.. applied.Select(c => (c.Id, c.DomainVote))], vote, at, ct);
            await BatchInserts.AuditAsync(db, [.. applied.Select(c => audit.Entry(actor, decision.AuditAction, "comment", c.Id.ToString(), c.SiteId,
                new { status = QueueFilter.Name(c.Status), c.Revision, c.ReportCount, c.RejectReason },
                new { status = QueueFilter.Name(decision.Target), Revision = c.Revision + 1, ReportCount = decision.ClearsReports ? 0 : c.ReportCount, decision.RejectReason }))], ct);
            await db.InsertEventsAsync(events, at, ct);
            await db.SaveChangesAsync(ct);
        }
        await transaction.CommitAsync(ct);
        db.ChangeTracker.Clear();
        if (events.Count > 0) outbox.Wake();

        outcome.Applied.AddRange(applied.Select(c => c.Id));
        return outcome;
    }

    /// <summary>
    /// Already what the decision asks, and decided by a person: asking again changes nothing. A comment the
    /// scorer filed (no person yet) is still changed, so that the decision and its label are recorded.
    /// </summary>
    public static bool IsAlready(Decision d, CommentStatus status, string? decidedBy, int reportCount, string? rejectReason) =>
        status == d.Target && decidedBy is not null
        && !(d.ClearsReports && reportCount > 0)
        && (d.Kind != DecisionKind.Reject || rejectReason == d.RejectReason);

    private Task<int> UpdateAsync(Decision d, List<Guid> ids, int revision, string actor, DateTime at, CancellationToken ct) =>
        db.Comments.Where(c => ids.Contains(c.Id) && c.Revision == revision).ExecuteUpdateAsync(s =>
        {
            s.SetProperty(c => c.Status, d.Target)
                .SetProperty(c => c.Revision, revision + 1)
                .SetProperty(c => c.DecidedBy, actor)
                .SetProperty(c => c.DecidedAt, at)
                .SetProperty(c => c.RejectReason, d.RejectReason);
            if (d.ClearsReports) s.SetProperty(c => c.ReportCount, 0);
            if (d.DomainVote is { } vote) s.SetProperty(c => c.DomainVote, vote);
            if (d.Target == CommentStatus.Approved) s.SetProperty(c => c.PublishedAt, c => c.PublishedAt ?? at);
        }, ct);

    /// <summary>Comments another writer changed between our read and our update: unchanged if they are what was asked.</summary>
    private async Task ClassifyLosersAsync(Decision d, List<Guid> ids, DecisionOutcome outcome, CancellationToken ct)
    {
        if (ids.Count == 0) return;
        var now = await db.Comments.AsNoTracking().Where(c => ids.Contains(c.Id))
            .Select(c => new { c.Id, c.Status, c.DecidedBy, c.ReportCount, c.RejectReason }).ToListAsync(ct);
        foreach (var c in now)
            (IsAlready(d, c.Status, c.DecidedBy, c.ReportCount, c.RejectReason) ? outcome.Unchanged : outcome.Conflicts).Add(c.Id);
    }

    /// <summary>One label per comment: the latest person's verdict replaces an earlier one.</summary>
    private async Task UpsertLabelsAsync(List<Current> applied, LabelKind kind, string actor, DateTime at, CancellationToken ct)
    {
        var ids = applied.Select(c => c.Id).ToList();
        await db.Labels.Where(l => ids.Contains(l.CommentId)).ExecuteDeleteAsync(ct);
        await BatchInserts.LabelsAsync(db, [.. ids.Select(id => new Label { CommentId = id, Kind = kind, By = actor, CreatedAt = at })], ct);
    }

    /// <summary>What the read side must hear: what was approved appears, what left the approved state disappears.</summary>
    private static List<object> Events(Decision d, List<Current> applied, DateTime at) => d.Target == CommentStatus.Approved
        ? [.. applied.Where(c => c.Status != CommentStatus.Approved).Select(c => new CommentPublished(c.Id, c.SiteId, c.ThreadId, c.ParentId, c.PublishedAt ?? at))]
        : [.. applied.Where(c => c.Status == CommentStatus.Approved).Select(c => new CommentRemoved(c.Id, c.SiteId, c.ThreadId, Decision.Name(d.Kind)))];

    /// <summary>PostgreSQL keeps microseconds: a marker time with more would not compare equal once stored.</summary>
    private static DateTime Marker(DateTime now) => new(now.Ticks - now.Ticks % 10, DateTimeKind.Utc);
}

public sealed class DecisionOutcome
{
    public List<Guid> Applied { get; } = [];
    public List<Guid> Unchanged { get; } = [];
    public List<Guid> Conflicts { get; } = [];
}
