using Moderation.Data.Sites;

namespace Moderation.ModerationApi.Sites;

/// <summary>A site as the admin API shows it (and as the audit log records it before and after a change).</summary>
public sealed record SiteView(
    string Id, string Name, IReadOnlyList<string> AllowedOrigins, double ApproveBelow, double RejectAbove,
    int MaxLinks, IReadOnlyList<string> HoldWords, IReadOnlyList<string> BlockWords, bool PremoderateAll,
    bool TrustApprovedAuthors, bool HoldFirstComments, int? CloseAfterDays, int CommentsPerMinutePerIp, int ReportsToHold, DateTime UpdatedAt)
{
    public static SiteView Of(Site s) => new(s.Id, s.Name, [.. s.AllowedOrigins], s.ApproveBelow, s.RejectAbove, s.MaxLinks,
        [.. s.HoldWords], [.. s.BlockWords], s.PremoderateAll, s.TrustApprovedAuthors, s.HoldFirstComments, s.CloseAfterDays,
        s.CommentsPerMinutePerIp, s.ReportsToHold, s.UpdatedAt);
}
