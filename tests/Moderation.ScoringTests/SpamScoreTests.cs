using Moderation.Spam;

namespace Moderation.ScoringTests;

public class SpamScoreTests
{
    [Fact]
    public void Reason_names_the_words_first_even_when_metadata_pushed_harder()
    {
        var score = new SpamScore(0.97, "v", [
            new("no e-mail", false, 3.0), new("2 links", false, 2.5), new("casino", true, 0.4),
            new("the", true, -0.2), new("bonus code", true, 0.3), new("cheap", true, 0.1)]);

        Assert.Equal("model 0.97 ('casino', 'bonus code', no e-mail)", score.Reason);
    }

    [Fact]
    public void Reason_without_words_that_pushed_its_way_names_the_metadata()
    {
        var score = new SpamScore(0.03, "v", [new("no author URL", false, -2.0), new("casino", true, 0.4), new("40 characters", false, -0.5)]);

        Assert.Equal("model 0.03 (not spam-like: no author URL, 40 characters)", score.Reason);
    }
}
