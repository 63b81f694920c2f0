using Moderation.Data.Comments;
using Moderation.Data.Sites;
using Moderation.Scoring.Scoring;

using Moderation.Spam;

namespace Moderation.UnitTests.Scoring;

public class AutomaticDecisionTests
{
    // A site at approve below 0.5, spam at 0.99 or above: thresholds with room on both sides of each.
    private static readonly Site Site = WithThresholds(SeedSite.Demo.ToSite(), 0.5, 0.99);

    private static Site WithThresholds(Site site, double approveBelow, double rejectAbove)
    {
        site.ApproveBelow = approveBelow;
        site.RejectAbove = rejectAbove;
        return site;
    }

    private static CommentStatus Decide(double score, RuleVerdict verdict = RuleVerdict.None) =>
        AutomaticDecision.Decide(new ScoreResult(score, "test", verdict, []), Site);

    [Fact]
    public void Demo_site_starts_at_the_default_thresholds()
    {
        var demo = SeedSite.Demo.ToSite();
        Assert.Equal(Site.DefaultApproveBelow, demo.ApproveBelow);
        Assert.Equal(Site.DefaultRejectAbove, demo.RejectAbove);
    }

    [Theory]
    [InlineData(0.0, CommentStatus.Approved)]
    [InlineData(0.49, CommentStatus.Approved)]
    [InlineData(0.5, CommentStatus.Held)]     // score == approveBelow is not below it
    [InlineData(0.98, CommentStatus.Held)]
    [InlineData(0.99, CommentStatus.Spam)]    // score == rejectAbove is spam
    [InlineData(1.0, CommentStatus.Spam)]
    public void Score_alone_is_compared_with_the_site_thresholds(double score, CommentStatus expected) =>
        Assert.Equal(expected, Decide(score));

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.49)]
    [InlineData(0.95)]
    public void Spam_verdict_is_spam_whatever_the_score(double score) =>
        Assert.Equal(CommentStatus.Spam, Decide(score, RuleVerdict.Spam));

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.49)]
    [InlineData(0.7)]
    public void Hold_verdict_holds_a_score_below_spam(double score) =>
        Assert.Equal(CommentStatus.Held, Decide(score, RuleVerdict.Hold));

    [Fact]
    public void Hold_verdict_with_a_spam_score_is_spam() =>
        Assert.Equal(CommentStatus.Spam, Decide(0.99, RuleVerdict.Hold));

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.5)]
    [InlineData(0.98)]
    public void Trusted_author_is_approved_unless_the_score_says_spam(double score) =>
        Assert.Equal(CommentStatus.Approved, Decide(score, RuleVerdict.Trusted));

    [Fact]
    public void Trusted_author_with_a_spam_score_is_spam() =>
        Assert.Equal(CommentStatus.Spam, Decide(0.99, RuleVerdict.Trusted));

    [Fact]
    public void Each_site_uses_its_own_thresholds()
    {
        var strict = WithThresholds(SeedSite.Demo.ToSite(), 0.1, 0.3);
        var result = new ScoreResult(0.2, "test", RuleVerdict.None, []);

        Assert.Equal(CommentStatus.Approved, AutomaticDecision.Decide(result, Site));
        Assert.Equal(CommentStatus.Held, AutomaticDecision.Decide(result, strict));
        Assert.Equal(CommentStatus.Spam, AutomaticDecision.Decide(result with { Score = 0.3 }, strict));
    }
}
