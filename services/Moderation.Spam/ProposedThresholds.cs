namespace Moderation.Spam;

/// <summary>
/// The thresholds new sites start with, chosen by `moderation evaluate --choose-thresholds` on the worst written source
/// (docs/evaluation/corpus-leave-one-source-out.md): below <see cref="ApproveBelow"/> publish, at or above
/// <see cref="RejectAbove"/> file as spam, between them hold for a person.
/// </summary>
public static class ProposedThresholds
{
    public const double ApproveBelow = Data.Sites.Site.DefaultApproveBelow;
    public const double RejectAbove = Data.Sites.Site.DefaultRejectAbove;
}
