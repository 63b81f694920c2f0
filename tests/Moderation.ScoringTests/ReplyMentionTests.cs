using Moderation.Spam;
using Moderation.Spam.Evaluation;
using Moderation.Spam.Threads;

namespace Moderation.ScoringTests;

/// <summary>Who a comment opening with "@Name" addresses, and the reply rule replayed on a labelled thread.</summary>
public class ReplyMentionTests
{
    [Theory]
    [InlineData("@Jessie yes, they came out in 40 minutes.", "Jessie", null)]
    [InlineData("  @Jack Morrow Castleford did ours as well.", "Jack", "Jack Morrow")]
    [InlineData("@Roy Pickles agreed, I got one for my mother.", "Roy", "Roy Pickles")]
    [InlineData("@Gillian, yes ShieldGuard is brilliant.", "Gillian", null)]
    [InlineData("@Seán Ó Briain a fair point.", "Seán", "Seán Ó")]
    [InlineData("@mary-jo same here", "mary-jo", null)]
    [InlineData("@Zoë: thanks!", "Zoë", null)]
    [InlineData("@Jessie's right, they came out in 40 minutes.", "Jessie", null)]
    [InlineData("@Jessie’s right too.", "Jessie", null)]
    [InlineData("@Jack Morrow's advice worked for us.", "Jack", "Jack Morrow")]
    [InlineData("@Ann O'Neill agreed.", "Ann", "Ann O'Neill")]
    public void A_comment_opening_with_at_a_name_addresses_it(string body, string first, string? full)
    {
        Assert.Equal(new ReplyMention(first, full), ReplyMention.In(body));
    }

    [Theory]
    [InlineData("Agreed with @Jessie on this.")] // not at the start
    [InlineData("@ Jessie yes")]
    [InlineData("@")]
    [InlineData("email me at @home")] // not at the start either
    [InlineData("")]
    public void Anything_else_addresses_no_one(string body)
    {
        Assert.Null(ReplyMention.In(body));
    }

    [Fact]
    public void The_full_name_is_preferred_and_the_first_name_is_the_fallback()
    {
        string[] authors = ["Jack Morrow", "Jack Lee", "jack", "Margaret Hollis", "Jackie Brown"];

        Assert.Equal(["Jack Morrow"], ReplyMention.In("@JACK MORROW thanks")!.Addressees(authors, a => a));
        Assert.Equal(["Jack Morrow", "Jack Lee", "jack"], ReplyMention.In("@Jack Claimwise did mine")!.Addressees(authors, a => a));
        Assert.Equal(["Jack Morrow", "Jack Lee", "jack"], ReplyMention.In("@jack agreed")!.Addressees(authors, a => a));
        Assert.Empty(ReplyMention.In("@Dorothy agreed")!.Addressees(authors, a => a));
    }

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

        var replay = new ReplyReplay(scored);
        var held = replay.HeldByRule(approveBelow: 0.1, rejectAbove: 0.9);

        Assert.Equal([false, true, false, false, true, false, false, false], held);
        var withRule = replay.WithRule(0.1, 0.9);
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
}
