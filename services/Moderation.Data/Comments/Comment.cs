namespace Moderation.Data.Comments;

public enum CommentStatus
{
    /// <summary>Accepted, not yet scored.</summary>
    Pending,
    Approved,
    Held,
    Spam,
    Rejected,
    Deleted,
}

/// <summary>A comment as stored: everything the moderators see. The public read side projects a safe subset.</summary>
public sealed class Comment
{
    public Guid Id { get; set; }
    public required string SiteId { get; set; }
    public required string ThreadId { get; set; }
    public string? ThreadUrl { get; set; }
    public string? ThreadTitle { get; set; }
    public Guid? ParentId { get; set; }

    public required string AuthorName { get; set; }
    public required string AuthorEmail { get; set; }

    /// <summary>SHA-256 of the normalised email, for reputation without reading addresses.</summary>
    public required string EmailHash { get; set; }
    public string? AuthorUrl { get; set; }
    public required string Body { get; set; }

    public string? ClientIp { get; set; }
    public string? UserAgent { get; set; }
    public string? Referrer { get; set; }
    public string? Language { get; set; }
    public bool HoneypotFilled { get; set; }
    public int? ElapsedMs { get; set; }

    public DateTime SubmittedAt { get; set; }
    public DateTime? ScoredAt { get; set; }
    public DateTime? PublishedAt { get; set; }

    public CommentStatus Status { get; set; }
    public double? SpamScore { get; set; }
    public string? ModelVersion { get; set; }
    public double? ApproveBelowUsed { get; set; }
    public double? RejectAboveUsed { get; set; }
    public List<string> Reasons { get; set; } = [];

    /// <summary>Readers' reports (see <c>Report</c>); a published comment with reports is in the reported queue.</summary>
    public int ReportCount { get; set; }
    public DateTime? LastReportedAt { get; set; }

    /// <summary>The person who last decided, when, and a reject's reason code.</summary>
    public string? DecidedBy { get; set; }
    public DateTime? DecidedAt { get; set; }
    public string? RejectReason { get; set; }

    /// <summary>Bumped by every decision: a moderator who decided on an older revision gets a conflict.</summary>
    public int Revision { get; set; }

    /// <summary>
    /// What this comment adds to the reputation of the domains it links: spam (a moderator marked it spam, or banned its
    /// author from it), ham (approved or not spam by a person), or nothing. A later decision moves its domains' counts
    /// from the old vote to the new one, so a comment counts once however often it is decided.
    /// </summary>
    public Reviews.LabelKind? DomainVote { get; set; }
}
