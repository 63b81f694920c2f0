using Moderation.Spam;
using Moderation.Spam.Evaluation;

namespace Moderation.ScoringTests;

/// <summary>The worker's rules that read the thread and the author's history, replayed on labelled files.</summary>
public class SiteRulesReplayTests
{
    [Fact]
    public void Replayed_on_a_thread_the_rule_holds_only_what_would_be_published_in_reply_to_what_nobody_saw()
    {
        OutOfSample C(string author, string body, double p, bool spam, string thread = "t") =>
            new(new LabelledComment(new SpamModelInput(body, author), spam, "f.csv", Thread: thread), p, "f.csv");
        OutOfSample[] scored =
        [
            C("Barry", "Anyone know a good boiler firm?", 0.5, spam: true),         // held spam: never seen
            C("Olive", "@Barry yes, Castleford Heating, ring them.", 0.02, spam: true), // published but for the rule
            C("Jessie", "My battery died in the car park.", 0.3, spam: false),       // a held reader: approved, then seen
            C("Ron", "@Jessie same thing happened to me.", 0.02, spam: false),
            C("Gwen", "@Olive agreed!", 0.01, spam: true),                           // Olive's reply was held by the rule
            C("Ann", "@Barry different thread.", 0.02, spam: false, thread: "u"),    // no Barry there
            C("Ned", "@Barry this one goes to spam anyway.", 0.95, spam: true),
            C("Kay", "@Barry held anyway.", 0.4, spam: false),
        ];

        var replay = new SiteRulesReplay(scored);
        var held = replay.Effects(approveBelow: 0.1, rejectAbove: 0.9).Select(e => e == SiteRuleEffect.HeldAsReplyToUnseen);

        Assert.Equal([false, true, false, false, true, false, false, false], held);
        var withRule = replay.WithRules(0.1, 0.9);
        Assert.Equal(0.1, withRule[1].Probability);
        Assert.Equal(0.02, withRule[3].Probability);
        Assert.Equal(0, OperatingPoint.At(withRule, 0.1, 0.9).SpamLeaked);
    }

    [Fact]
    public void Thresholds_are_chosen_with_the_reply_rule_replayed()
    {
        // Readers published at any bar; ten planted questions scored 0.6 and their vouching replies 0.03.
        List<OutOfSample> Source(bool threads)
        {
            OutOfSample C(string author, string body, double p, bool spam) =>
                new(new LabelledComment(new SpamModelInput(body, author), spam, "s.csv", Thread: threads ? "t" : null), p, "s.csv");
            return
            [
                .. Enumerable.Range(0, 100).Select(i => C($"Reader {i}", $"A reader's comment {i}.", 0.01, spam: false)),
                .. Enumerable.Range(0, 10).SelectMany(i => new[]
                {
                    C($"Asker{i} Smith", $"Does anyone know a good firm for job {i}?", 0.6, spam: true),
                    C($"Puppet{i} Jones", $"@Asker{i} Smith yes, Castleford did mine, ring them.", 0.03, spam: true),
                }),
            ];
        }

        var withThreads = OperatingPoint.Choose(new Dictionary<string, IReadOnlyList<OutOfSample>> { ["s.csv"] = Source(threads: true) });
        var withoutThreads = OperatingPoint.Choose(new Dictionary<string, IReadOnlyList<OutOfSample>> { ["s.csv"] = Source(threads: false) });

        Assert.True(withThreads.MeetsGoalsEverywhere);
        Assert.Equal(0, withThreads.PerSource["s.csv"].SpamLeaked);
        Assert.False(withoutThreads.MeetsGoalsEverywhere); // the replies are published at every bar above 0.03
        Assert.Equal(0.5, withoutThreads.PerSource["s.csv"].SpamLeaked);
    }

    [Fact]
    public void An_address_with_a_comment_published_earlier_in_the_file_is_published_below_the_spam_threshold()
    {
        OutOfSample C(string email, double p, bool spam = false, string source = "f.csv") =>
            new(new LabelledComment(new SpamModelInput("A comment.", "Someone", AuthorEmail: email), spam, source), p, source);
        OutOfSample[] scored =
        [
            C("ada@example.com", 0.3),                   // held: nothing published from her yet
            C("ada@example.com", 0.02),                  // published by its score
            C(" ADA@example.com", 0.5),                  // the same address: published as a returning author
            C("ada@example.com", 0.95),                  // at the spam threshold trust stops
            C("ada@example.com", 0.5, source: "g.csv"),  // another site has not published her
            C("ben@example.com", 0.5),                   // held; a held comment is not approved (no moderator assumed)
            C("ben@example.com", 0.5),
            C("spam@example.com", 0.05, spam: true),     // published spam earns trust too, as in the worker
            C("spam@example.com", 0.6, spam: true),
        ];

        var effects = new SiteRulesReplay(scored).Effects(approveBelow: 0.1, rejectAbove: 0.9);

        var trusted = SiteRuleEffect.PublishedAsReturningAuthor;
        Assert.Equal([SiteRuleEffect.None, SiteRuleEffect.None, trusted, SiteRuleEffect.None, SiteRuleEffect.None, SiteRuleEffect.None, SiteRuleEffect.None, SiteRuleEffect.None, trusted], effects);
        var withRules = new SiteRulesReplay(scored).WithRules(0.1, 0.9);
        Assert.Equal(0, withRules[2].Probability);
        Assert.Equal(0.95, withRules[3].Probability);
    }

    [Fact]
    public void A_reply_to_comments_nobody_saw_is_held_even_from_a_returning_author()
    {
        OutOfSample C(string author, string body, double p, bool spam) =>
            new(new LabelledComment(new SpamModelInput(body, author, AuthorEmail: author + "@example.com"), spam, "f.csv", Thread: "t"), p, "f.csv");
        OutOfSample[] scored =
        [
            C("Olive", "Lovely day for it.", 0.02, spam: true),                  // published: Olive is now trusted
            C("Barry", "Anyone know a good boiler firm?", 0.5, spam: true),       // held spam: never seen
            C("Olive", "@Barry yes, Castleford Heating, ring them.", 0.5, spam: true),
        ];

        var effects = new SiteRulesReplay(scored).Effects(approveBelow: 0.1, rejectAbove: 0.9);

        Assert.Equal(SiteRuleEffect.HeldAsReplyToUnseen, effects[2]);
    }
}
