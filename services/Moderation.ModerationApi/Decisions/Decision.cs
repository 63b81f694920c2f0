using Moderation.Data.Comments;
using Moderation.Data.Reviews;

namespace Moderation.ModerationApi.Decisions;

public enum DecisionKind
{
    Approve,
    Reject,
    Spam,
    NotSpam,
    Delete,
}

/// <summary>What a moderator decided, and what that means for the comment.</summary>
public sealed record Decision(DecisionKind Kind, string? RejectReason)
{
    public static readonly string[] RejectReasons = ["offTopic", "abusive", "personalAttack", "spam", "legal", "other"];

    public CommentStatus Target => Kind switch
    {
        DecisionKind.Approve or DecisionKind.NotSpam => CommentStatus.Approved,
        DecisionKind.Spam => CommentStatus.Spam,
        DecisionKind.Reject => CommentStatus.Rejected,
        _ => CommentStatus.Deleted,
    };

    /// <summary>A moderator who publishes a reported comment has answered the reports (they stay recorded).</summary>
    public bool ClearsReports => Target == CommentStatus.Approved;

    /// <summary>Spam and not-spam are the training set's labels; the other decisions say nothing about spam.</summary>
    public LabelKind? Label => Kind switch
    {
        DecisionKind.Spam => LabelKind.Spam,
        DecisionKind.NotSpam => LabelKind.Ham,
        _ => null,
    };

    /// <summary>
    /// What the decision says of the domains the comment links (see <c>Comment.DomainVote</c>): approving is a vote for
    /// them, spam against; reject and delete say nothing about spam, so they leave the comment's vote as it was.
    /// </summary>
    public LabelKind? DomainVote => Kind switch
    {
        DecisionKind.Spam => LabelKind.Spam,
        DecisionKind.Approve or DecisionKind.NotSpam => LabelKind.Ham,
        _ => null,
    };

    /// <summary><c>comment.approve</c>, <c>comment.notSpam</c>, … in the audit log.</summary>
    public string AuditAction => "comment." + Name(Kind);

    public static string Name(DecisionKind kind) => kind == DecisionKind.NotSpam ? "notSpam" : kind.ToString().ToLowerInvariant();

    /// <summary>Reads a request's decision and reason code, or says what is wrong with them.</summary>
    public static Decision? Parse(string? decision, string? reason, Dictionary<string, string[]> errors)
    {
        DecisionKind? kind = Enum.GetValues<DecisionKind>().Cast<DecisionKind?>().FirstOrDefault(k => Name(k!.Value) == decision);
        if (kind is null)
        {
            errors["decision"] = ["decision must be one of approve, reject, spam, notSpam, delete."];
            return null;
        }
        if (kind == DecisionKind.Reject)
        {
            if (reason is null || !RejectReasons.Contains(reason))
            {
                errors["reason"] = [$"A reject needs a reason code: {string.Join(", ", RejectReasons)}."];
                return null;
            }
            return new Decision(DecisionKind.Reject, reason);
        }
        // Other decisions take no reason code; one sent along is ignored, not an error.
        return new Decision(kind.Value, null);
    }
}
