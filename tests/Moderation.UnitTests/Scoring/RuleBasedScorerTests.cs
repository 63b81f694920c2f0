using Moderation.Contracts;
using Moderation.Data.Sites;
using Moderation.Scoring.Scoring;
using Moderation.UnitTests.Support;

namespace Moderation.UnitTests.Scoring;

public class RuleBasedScorerTests
{
    private static Site Demo() => SeedSite.Demo.ToSite();

    private static ValueTask<ScoreResult> Score(CommentSubmitted submission, Site? site = null) =>
        new RuleBasedScorer().ScoreAsync(submission, site ?? Demo(), CancellationToken.None);

    [Fact]
    public async Task Friendly_plain_comment_scores_below_the_demo_sites_approve_threshold()
    {
        var result = await Score(Submissions.Friendly());

        Assert.Equal(RuleVerdict.None, result.Verdict);
        Assert.True(result.Score < Demo().ApproveBelow, $"score {result.Score}");
        Assert.Equal(RuleBasedScorer.Version, result.ModelVersion);
        Assert.Equal(["heuristic score 0.05"], result.Reasons);
    }

    [Fact]
    public async Task Filled_honeypot_is_spam_with_its_reason()
    {
        var result = await Score(Submissions.Friendly() with { HoneypotFilled = true });

        Assert.Equal(RuleVerdict.Spam, result.Verdict);
        Assert.Contains("hidden honeypot field filled in", result.Reasons);
    }

    [Fact]
    public async Task Comment_sent_faster_than_a_person_types_is_spam_with_its_reason()
    {
        var result = await Score(Submissions.Friendly() with { ElapsedMs = 1200 });

        Assert.Equal(RuleVerdict.Spam, result.Verdict);
        Assert.Contains("submitted 1.2 s after the form was shown", result.Reasons);
    }

    [Theory]
    [InlineData(3000)]
    [InlineData(null)]
    public async Task Comment_sent_after_three_seconds_or_without_timing_is_not_too_fast(int? elapsedMs)
    {
        var result = await Score(Submissions.Friendly() with { ElapsedMs = elapsedMs });

        Assert.Equal(RuleVerdict.None, result.Verdict);
        Assert.DoesNotContain(result.Reasons, r => r.StartsWith("submitted"));
    }

    [Theory]
    [InlineData("Great deals if you BUY FOLLOWERS today")]
    [InlineData("great deals if you buy followers today")]
    [InlineData("Great deals if you Buy Followers today")]
    public async Task Block_word_in_any_case_is_spam_with_its_reason(string body)
    {
        var result = await Score(Submissions.Friendly() with { Body = body });

        Assert.Equal(RuleVerdict.Spam, result.Verdict);
        Assert.Contains("contains blocked word 'buy followers'", result.Reasons);
    }

    [Theory]
    [InlineData("ÇASINO nights every Friday")]
    [InlineData("çasino nights every Friday")]
    [InlineData("ÇaSiNo nights every Friday")]
    public async Task Non_ascii_block_word_matches_in_any_case(string body)
    {
        var site = Demo();
        site.BlockWords = ["çasino"];

        var result = await Score(Submissions.Friendly() with { Body = body }, site);

        Assert.Equal(RuleVerdict.Spam, result.Verdict);
        Assert.Contains("contains blocked word 'çasino'", result.Reasons);
    }

    [Fact]
    public async Task Block_word_in_the_author_name_counts()
    {
        var result = await Score(Submissions.Friendly() with { AuthorName = "Buy Followers Fast" });

        Assert.Equal(RuleVerdict.Spam, result.Verdict);
        Assert.Contains("contains blocked word 'buy followers'", result.Reasons);
    }

    [Fact]
    public async Task Hold_word_holds_with_its_reason()
    {
        var result = await Score(Submissions.Friendly() with { Body = "Is the new Casino on the waterfront going ahead?" });

        Assert.Equal(RuleVerdict.Hold, result.Verdict);
        Assert.Contains("contains held word 'casino'", result.Reasons);
    }

    [Fact]
    public async Task Block_word_wins_over_hold_word()
    {
        var result = await Score(Submissions.Friendly() with { Body = "casino bonus, and buy followers here" });

        Assert.Equal(RuleVerdict.Spam, result.Verdict);
        Assert.Contains("contains held word 'casino'", result.Reasons);
        Assert.Contains("contains blocked word 'buy followers'", result.Reasons);
    }

    [Fact]
    public async Task More_links_than_the_site_allows_holds_with_its_reason()
    {
        const string body = "Sources: https://a.example/1 and https://b.example/2 and www.c.example/3 — read them all before replying.";

        var result = await Score(Submissions.Friendly() with { Body = body });

        Assert.Equal(RuleVerdict.Hold, result.Verdict);
        Assert.Contains("3 links (the site allows 2)", result.Reasons);
    }

    [Fact]
    public async Task As_many_links_as_the_site_allows_are_not_held()
    {
        const string body = "Sources: https://a.example/1 and https://b.example/2, both worth reading before replying here.";

        var result = await Score(Submissions.Friendly() with { Body = body });

        Assert.Equal(RuleVerdict.None, result.Verdict);
        Assert.DoesNotContain(result.Reasons, r => r.Contains("links ("));
    }

    [Fact]
    public async Task Premoderated_site_holds_every_comment_with_its_reason()
    {
        var site = Demo();
        site.PremoderateAll = true;

        var result = await Score(Submissions.Friendly(), site);

        Assert.Equal(RuleVerdict.Hold, result.Verdict);
        Assert.Contains("the site premoderates every comment", result.Reasons);
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
