namespace Moderation.Data.Reviews;

public enum ReportReason
{
    Spam,
    Abuse,
    OffTopic,
    Other,
}

/// <summary>A reader's report of a published comment. One per reader (by hashed IP) and comment.</summary>
public sealed class Report
{
    public Guid Id { get; set; }
    public Guid CommentId { get; set; }
    public required string SiteId { get; set; }
    public ReportReason Reason { get; set; }

    /// <summary>SHA-256 of the reporter's IP: enough to count one report per reader, not to find them.</summary>
    public required string ReporterHash { get; set; }
    public DateTime CreatedAt { get; set; }
}
