using Moderation.Spam;

namespace Moderation.ScoringTests;

public class FormAloneTests
{
    private static readonly Lazy<SpamModel> Model = new(SpamModel.LoadDefault);

    // A reader of a local paper who fills in the form as a spammer would: a website on a casino-like domain and an
    // e-mail on it. The text is an ordinary reply; only the moderator can tell.
    private static readonly SpamModelInput ReaderWithSpammyForm = new(
        "Thanks for the update on the bridge repairs.",
        AuthorName: "Dale", AuthorUrl: "https://buy-cheap-viagra-online-pharmacy.top", AuthorEmail: "sales@buy-cheap-viagra-online-pharmacy.top");

    [Fact]
    public void Website_and_email_alone_hold_a_comment_rather_than_file_it_as_spam()
    {
        var withoutForm = Model.Value.Score(FormAlone.WithoutForm(ReaderWithSpammyForm));
        Assert.True(withoutForm.Probability < FormAlone.Ceiling, $"the text alone scored {withoutForm.Probability}");

        var score = Model.Value.Score(ReaderWithSpammyForm);

        Assert.Equal(FormAlone.Ceiling, score.Probability);
        Assert.True(score.Probability < ProposedThresholds.RejectAbove, "the default spam threshold must hold what the form alone flags");
        Assert.True(score.FormAloneLowered);
        Assert.Contains("the website and e-mail look like spam, the text does not", score.Reason);
        var batch = Model.Value.ScoreBatch([ReaderWithSpammyForm, ReaderWithSpammyForm with { AuthorUrl = null, AuthorEmail = null }]);
        Assert.Equal(score.Probability, batch[0].Probability);
        Assert.True(batch[0].FormAloneLowered);
        Assert.False(batch[1].FormAloneLowered);
    }

    [Fact]
    public void Spam_whose_text_is_spam_keeps_its_score()
    {
        var spam = new SpamModelInput(
            "Best online casino bonus 500 free spins, instant withdrawal, register now http://best-casino-bonus-slots.top/register",
            AuthorName: "Casino Bonus", AuthorUrl: "https://best-casino-bonus-slots.top", AuthorEmail: "info@best-casino-bonus-slots.top");

        var score = Model.Value.Score(spam);

        Assert.True(score.Probability > FormAlone.Ceiling, $"spam scored {score.Probability}");
        Assert.False(score.FormAloneLowered);
    }

    [Fact]
    public void Only_comments_above_the_ceiling_with_a_website_or_email_are_looked_at_again()
    {
        SpamModelInput[] inputs =
        [
            new("a", AuthorUrl: "https://a.example"),   // above the ceiling, text alone low: lowered
            new("b", AuthorEmail: "b@b.example"),       // above the ceiling, text alone high: kept
            new("c"),                                   // above the ceiling, nothing but text: not looked at again
            new("d", AuthorUrl: "https://d.example"),   // below the ceiling: not looked at again
        ];
        double[] probabilities = [0.99, 0.97, 0.98, 0.6];
        var textAlone = new Dictionary<string, double> { ["a"] = 0.3, ["b"] = 0.9 };
        var asked = new List<SpamModelInput>();

        var lowered = FormAlone.Apply(inputs, probabilities, stripped =>
        {
            asked.AddRange(stripped);
            return [.. stripped.Select(i => textAlone[i.Body])];
        });

        Assert.Equal([FormAlone.Ceiling, 0.97, 0.98, 0.6], probabilities);
        Assert.Equal([true, false, false, false], lowered);
        Assert.All(asked, i => Assert.True(i.AuthorUrl is null && i.AuthorEmail is null));
        Assert.Equal(["a", "b"], asked.Select(i => i.Body));
    }
}
