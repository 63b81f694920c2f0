using Moderation.Contracts;
using Moderation.Data.Sites;
using Moderation.Spam;
using Moderation.Scoring.Scoring;

namespace Moderation.ScoringTests;

public class MlScorerTests
{
    [Fact]
    public async Task Scorer_returns_the_model_probability_version_no_verdict_and_a_model_reason()
    {
        var model = SpamModel.LoadDefault();
        var scorer = new MlScorer(model);
        var submission = new CommentSubmitted(Guid.NewGuid(), "site", "thread", null, null, null, "Promo Team", "deals@offers.example",
            "https://cheap-pills-now.shop", "Buy cheap pills online, no prescription, fast delivery www.cheap-pills-now.shop",
            DateTime.UtcNow, null, null, null, null, false, 1800);

        var result = await scorer.ScoreAsync(submission, new Site { Id = "site", Name = "Site" }, CancellationToken.None);

        Assert.Equal(model.Score(MlScorer.ToInput(submission)).Probability, result.Score);
        Assert.Equal(model.Version, result.ModelVersion);
        Assert.Equal(RuleVerdict.None, result.Verdict);
        Assert.StartsWith("model ", Assert.Single(result.Reasons));
        Assert.True(result.Score > 0.5);
    }
}
