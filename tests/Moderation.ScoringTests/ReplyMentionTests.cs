using Moderation.Spam;
using Moderation.Spam.Threads;

namespace Moderation.ScoringTests;

/// <summary>Who a comment opening with "@Name" addresses.</summary>
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
}
