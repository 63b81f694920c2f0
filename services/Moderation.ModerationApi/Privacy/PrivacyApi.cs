using System.Net.Mail;
using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Moderation.Contracts;
using Moderation.Data;
using Moderation.Data.Comments;
using Moderation.Data.Outbox;
using Moderation.Data.Reviews;
using Moderation.ModerationApi.Audit;
using Moderation.ModerationApi.AuditQueries;
using Moderation.ModerationApi.Auth;
using Moderation.ServiceDefaults.Outbox;

namespace Moderation.ModerationApi.Privacy;

/// <summary>
/// <c>/api/v1/admin/privacy</c>: everything stored for an email address, and erasing it. Comments are found by the
/// address's hash (<see cref="CommentMapping.HashEmail"/>: any casing, surrounding spaces ignored), as are bans. The audit
/// log records the hash, never the address. A person's data spans sites, so this needs a credential for every site.
/// </summary>
public static class PrivacyApi
{
    public sealed record EmailRequest(string? Email);

    public sealed record PersonalData(string EmailHash, IReadOnlyList<Comment> Comments, IReadOnlyList<ReportOnComment> Reports,
        IReadOnlyList<Label> Labels, IReadOnlyList<Ban> Bans, IReadOnlyList<AuditItem> Audit);

    /// <summary>A report against one of the person's comments, without the reporter's hash: that is another reader's data.</summary>
    public sealed record ReportOnComment(Guid Id, Guid CommentId, string SiteId, ReportReason Reason, DateTime CreatedAt);

    /// <summary>What was deleted, and <see cref="StorageNote"/>: where copies of it may still lie, and for how long.</summary>
    public sealed record Erased(int Comments, int Labels, int Reports, int Bans, int AuditEntriesRedacted, int Unpublished)
    {
        public string? StorageNote { get; init; }
    }

    public const string SqliteNote =
        "SQLite: the deleted rows were overwritten with zeros and the write-ahead log emptied; nothing readable remains in the "
        + "database files. Copies of the files made earlier (backups) still hold them.";

    public const string SqliteLogPendingNote =
        "SQLite: the deleted rows were overwritten with zeros, but readers kept the write-ahead log from being emptied now; "
        + "its older copies of the rows go at the next checkpoint. Copies of the files made earlier (backups) still hold them.";

    public const string PostgresNote =
        "PostgreSQL: the deleted rows stay readable in the table and index files as dead tuples until autovacuum reclaims "
        + "their space (usually minutes to hours), in the write-ahead log until it is recycled, and in base backups and archived "
        + "WAL until their retention expires.";

    /// <summary>Statuses and kinds as words: the export is read by the person it is about.</summary>
    private static readonly JsonSerializerOptions ExportJson = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>What erased comments' audit entries keep instead of their before and after.</summary>
    public const string ErasedMarker = """{"erased":true}""";

    public static RouteGroupBuilder MapPrivacyApi(this RouteGroupBuilder admin)
    {
        var privacy = admin.MapGroup("/privacy");
        privacy.MapPost("/export", ExportAsync)
            .WithSummary("Everything stored for an email address: its comments (with IP and user agent), reports against them (not who reported), labels, bans on it, audit entries about its comments.");
        privacy.MapPost("/erase", EraseAsync)
            .WithSummary("Deletes everything stored for an email address: its comments (with their labels and reports), bans on it; published ones leave the read side. storageNote says what still holds copies, and for how long.");
        return admin;
    }

    private static async Task<IResult> ExportAsync(EmailRequest request, ModerationDb db, AuditLog audit, ClaimsPrincipal user, CancellationToken ct)
    {
        if (Validate(request) is { } invalid) return invalid;
        if (!user.ActsOnEverySite()) return AdminScope.ForbiddenAcrossSites("a person's data");
        var hash = CommentMapping.HashEmail(request.Email!);
        var comments = await db.Comments.AsNoTracking().Where(c => c.EmailHash == hash).OrderBy(c => c.SubmittedAt).ToListAsync(ct);
        var ids = comments.Select(c => c.Id).ToList();
        var targetIds = ids.Select(id => id.ToString()).ToList();
        var data = new PersonalData(hash, comments,
            await db.Reports.AsNoTracking().Where(r => ids.Contains(r.CommentId)).OrderBy(r => r.CreatedAt)
                .Select(r => new ReportOnComment(r.Id, r.CommentId, r.SiteId, r.Reason, r.CreatedAt)).ToListAsync(ct),
            await db.Labels.AsNoTracking().Where(l => ids.Contains(l.CommentId)).ToListAsync(ct),
            await db.Bans.AsNoTracking().Where(b => b.Kind == BanKind.Email && b.Value == hash).ToListAsync(ct),
            [.. (await db.Audit.AsNoTracking().Where(a => a.TargetType == "comment" && targetIds.Contains(a.TargetId)).OrderBy(a => a.Id).ToListAsync(ct))
                .Select(AuditItem.Of)]);
        audit.Record(db, user, "privacy.export", "email", hash, null, null, new { emailHash = hash, comments = comments.Count });
        await db.SaveChangesAsync(ct);
        return TypedResults.Json(data, ExportJson);
    }

    private static async Task<IResult> EraseAsync(EmailRequest request, ModerationDb db, AuditLog audit, OutboxDispatcher outbox,
        ClaimsPrincipal user, TimeProvider clock, CancellationToken ct)
    {
        if (Validate(request) is { } invalid) return invalid;
        if (!user.ActsOnEverySite()) return AdminScope.ForbiddenAcrossSites("a person's data");
        var hash = CommentMapping.HashEmail(request.Email!);

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var comments = await db.Comments.AsNoTracking().Where(c => c.EmailHash == hash)
            .Select(c => new { c.Id, c.SiteId, c.ThreadId, c.Status }).ToListAsync(ct);
        var ids = comments.Select(c => c.Id).ToList();
        var targetIds = ids.Select(id => id.ToString()).ToList();
        var labels = await db.Labels.CountAsync(l => ids.Contains(l.CommentId), ct);
        var reports = await db.Reports.CountAsync(r => ids.Contains(r.CommentId), ct);
        // Who decided what stays; the snapshots of the comment (text, address) go.
        var redacted = await db.Audit.Where(a => a.TargetType == "comment" && targetIds.Contains(a.TargetId))
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.Before, a => a.Before == null ? null : ErasedMarker)
                .SetProperty(a => a.After, a => a.After == null ? null : ErasedMarker), ct);
        await db.Comments.Where(c => c.EmailHash == hash).ExecuteDeleteAsync(ct); // labels and reports cascade
        var bans = await db.Bans.Where(b => b.Kind == BanKind.Email && b.Value == hash).ExecuteDeleteAsync(ct);
        var published = comments.Where(c => c.Status == CommentStatus.Approved).ToList();
        var result = new Erased(comments.Count, labels, reports, bans, redacted, published.Count);
        audit.Record(db, user, "privacy.erase", "email", hash, null, null, new { emailHash = hash, result });
        await db.InsertEventsAsync([.. published.Select(c => new CommentRemoved(c.Id, c.SiteId, c.ThreadId, "erased"))], clock.GetUtcNow().UtcDateTime, ct);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        if (published.Count > 0) outbox.Wake();
        var note = db is not SqliteModerationDb ? PostgresNote
            : await SqliteErasure.EmptyWriteAheadLogAsync(db, ct) ? SqliteNote : SqliteLogPendingNote;
        return TypedResults.Ok(result with { StorageNote = note });
    }

    private static IResult? Validate(EmailRequest request)
    {
        var email = request.Email?.Trim();
        var valid = email is { Length: > 0 and <= FieldLimits.AuthorEmail } && MailAddress.TryCreate(email, out var parsed) && parsed.Address == email;
        return valid ? null : TypedResults.ValidationProblem(
            new Dictionary<string, string[]> { ["email"] = ["An email address is required."] }, title: "The request has invalid fields.");
    }
}
