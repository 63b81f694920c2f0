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

/// <summary>The words readers and moderators see for a report's reason (the widget sends these).</summary>
public static class ReportReasons
{
    private static readonly Dictionary<string, ReportReason> ByName = new(StringComparer.Ordinal)
    {
        ["spam"] = ReportReason.Spam,
        ["abuse"] = ReportReason.Abuse,
        ["off-topic"] = ReportReason.OffTopic,
        ["other"] = ReportReason.Other,
    };

    public static IReadOnlyCollection<string> Names => ByName.Keys;

    public static bool TryParse(string? name, out ReportReason reason) => ByName.TryGetValue(name ?? "", out reason);

    public static string Name(ReportReason reason) => reason == ReportReason.OffTopic ? "off-topic" : reason.ToString().ToLowerInvariant();
}
