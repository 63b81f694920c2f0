using Moderation.Contracts;
using Moderation.Data.Sites;
using Moderation.Scoring.Scoring;
using Moderation.UnitTests.Support;

using Moderation.Spam;

namespace Moderation.UnitTests.Scoring;

public class HeuristicScorerTests
{
    private static Site Demo() => SeedSite.Demo.ToSite();

    private static ValueTask<ScoreResult> Score(CommentSubmitted submission) =>
        new HeuristicScorer().ScoreAsync(submission, Demo(), CancellationToken.None);

    [Fact]
    public async Task Friendly_plain_comment_scores_below_the_demo_sites_approve_threshold()
    {
        var result = await Score(Submissions.Friendly());

        Assert.Equal(RuleVerdict.None, result.Verdict);
        Assert.True(result.Score < Demo().ApproveBelow, $"score {result.Score}");
        Assert.Equal(HeuristicScorer.Version, result.ModelVersion);
        Assert.Equal(["heuristic score 0.00"], result.Reasons);
    }

    [Fact]
    public async Task Short_comment_with_a_link_and_spam_phrases_scores_high_with_reasons()
    {
        var result = await Score(Submissions.Friendly() with { Body = "Click here https://x.example free money", AuthorUrl = "https://x.example" });

        Assert.True(result.Score >= Demo().ApproveBelow, $"score {result.Score}");
        Assert.Contains("a short comment with a link", result.Reasons);
        Assert.Contains(result.Reasons, r => r.StartsWith("spam phrases: ") && r.Contains("'click here'") && r.Contains("'free money'"));
    }

    [Fact]
    public async Task Shouting_is_a_reason()
    {
        var result = await Score(Submissions.Friendly() with { Body = "THIS IS THE WORST ARTICLE I HAVE EVER READ IN MY LIFE" });

        Assert.Contains("mostly capital letters", result.Reasons);
    }

    [Fact]
    public async Task Score_never_exceeds_one()
    {
        const string body = "click here buy now free money work from home earn money bitcoin crypto casino viagra loan https://x.example";

        Assert.Equal(1.0, (await Score(Submissions.Friendly() with { Body = body })).Score);
    }
}
