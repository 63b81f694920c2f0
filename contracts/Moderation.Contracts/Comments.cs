namespace Moderation.Contracts;

// The namespace is the message identity on the broker: never rename it. Only add fields;
// a breaking change is a new type.

/// <summary>
/// A reader's comment, validated and accepted by ingestion, waiting to be scored.
/// Carries what the scorer needs and what the moderation side stores; the read side never sees it.
/// </summary>
public sealed record CommentSubmitted(
    Guid CommentId,
    string SiteId,
    string ThreadId,
    string? ThreadUrl,
    string? ThreadTitle,
    Guid? ParentId,
    string AuthorName,
    string AuthorEmail,
    string? AuthorUrl,
    string Body,
    DateTime SubmittedAt,
    string? ClientIp,
    string? UserAgent,
    string? Referrer,
    string? Language,
    bool HoneypotFilled,
    int? ElapsedMs);

/// <summary>
/// Submissions accepted in the same instant, sent to the scoring queue as one message: one broker write, one
/// confirm and one delivery for all of them instead of one each. Ingestion groups only what is waiting for the
/// broker anyway, so a lone submission travels alone, in a group of one.
/// </summary>
public sealed record CommentsSubmitted(IReadOnlyList<CommentSubmitted> Comments);

/// <summary>A comment approved for publication: all the read side needs, no personal data.</summary>
public sealed record CommentPublished(
    Guid CommentId,
    string SiteId,
    string ThreadId,
    Guid? ParentId,
    DateTime PublishedAt);

/// <summary>A comment held for a moderator.</summary>
public sealed record CommentHeld(
    Guid CommentId,
    string SiteId,
    string ThreadId,
    double Score,
    IReadOnlyList<string> Reasons);

/// <summary>A comment filed as spam.</summary>
public sealed record CommentMarkedSpam(
    Guid CommentId,
    string SiteId,
    string ThreadId,
    double Score,
    IReadOnlyList<string> Reasons);

/// <summary>A previously published comment taken down (rejected, spam or deleted by a moderator).</summary>
public sealed record CommentRemoved(
    Guid CommentId,
    string SiteId,
    string ThreadId,
    string Reason);

/// <summary>A site's settings changed: every instance reloads them.</summary>
public sealed record SiteSettingsChanged(string SiteId, DateTime ChangedAt);

/// <summary>A spam model version became the one to serve: every worker loads it.</summary>
public sealed record SpamModelPromoted(string Version, DateTime PromotedAt);
