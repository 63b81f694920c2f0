using Moderation.Data.Comments;
using Moderation.Data.Sites;

using Moderation.Spam;

namespace Moderation.Scoring.Scoring;

/// <summary>The decision made without a person: rules and score combined with the site's thresholds into approve, hold or spam.</summary>
public static class AutomaticDecision
{
    public static CommentStatus Decide(ScoreResult result, Site site)
    {
        if (result.Verdict == RuleVerdict.Spam || result.Score >= site.RejectAbove) return CommentStatus.Spam;
        if (result.Verdict == RuleVerdict.Hold) return CommentStatus.Held;
        if (result.Verdict == RuleVerdict.Trusted || result.Score < site.ApproveBelow) return CommentStatus.Approved;
        return CommentStatus.Held;
    }
}
