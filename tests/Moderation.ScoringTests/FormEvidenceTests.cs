using Moderation.Spam;
using Moderation.Spam.Text;

namespace Moderation.ScoringTests;

/// <summary>Every field of the form as evidence: the website, the e-mail, contacts, and text written to get past filters.</summary>
public class FormEvidenceTests
{
    [Theory]
    [InlineData("shop.example.co.uk", "example.co.uk", "co.uk")]
    [InlineData("www.best-casino-sites.com", "best-casino-sites.com", "com")]
    [InlineData("janedoe.blogspot.com", "janedoe.blogspot.com", "blogspot.com")] // the list's private section: each blog is its own site
    [InlineData("news.bbc.co.uk", "bbc.co.uk", "co.uk")]
    [InlineData("localhost", "localhost", "localhost")]
    [InlineData("münchen.de", "münchen.de", "de")]
    public void Registrable_domains_follow_the_public_suffix_list(string host, string registrable, string suffix)
    {
        Assert.Equal(registrable, Domains.RegistrableDomain(host));
        Assert.Equal(suffix, Domains.PublicSuffix(host));
    }

    [Theory]
    [InlineData("https://paypal.com@evil.example/login", "evil.example")]
    [InlineData("HTTP://WWW.Example.org:8080/path?q=1", "example.org")]
    [InlineData("bit.ly/3xQ9", "bit.ly")]
    [InlineData("  ", null)]
    public void The_host_of_a_url_is_where_it_goes(string url, string? host) => Assert.Equal(host, Domains.HostOf(url));

    [Theory]
    [InlineData("bit.ly", HostKind.Shortener)]
    [InlineData("someone.wixsite.com", HostKind.FreeHost)]
    [InlineData("gmail.com", HostKind.Webmail)]
    [InlineData("t.me", HostKind.Messenger)]
    [InlineData("example.org", HostKind.None)]
    public void Hosts_are_known_by_kind(string host, HostKind kind) => Assert.Equal(kind, Domains.KindOf(host));

    [Fact]
    public void Disposable_mail_domains_come_from_the_maintained_list()
    {
        Assert.True(Domains.IsDisposableEmailDomain("mailinator.com"));
        Assert.True(Domains.IsDisposableEmailDomain("inbox.mailinator.com"));
        Assert.False(Domains.IsDisposableEmailDomain("gmail.com"));
        Assert.False(Domains.IsDisposableEmailDomain(CommentFeatures.Missing));
    }

    [Fact]
    public void A_website_is_related_to_its_author_or_not()
    {
        Assert.Equal(0, Meta(new SpamModelInput("Nice.", "Ada Lovelace", "https://adalovelace.net"), "website unrelated to the name"));
        Assert.Equal(0, Meta(new SpamModelInput("Nice.", "A. L.", "https://ada-writes.blog", "ada.l@gmail.com"), "website unrelated to the name"));
        Assert.Equal(1, Meta(new SpamModelInput("Nice.", "Maria", "https://cheap-loans-now.biz/apply?ref=7"), "website unrelated to the name"));
        Assert.Equal(1, Meta(new SpamModelInput("Nice.", "Maria", "https://cheap-loans-now.biz/apply?ref=7"), "website with a path or query"));
        Assert.Equal(1, Meta(new SpamModelInput("Nice.", "Maria", "https://bit.ly/x1"), "website on a link shortener"));
        Assert.Equal(1, Meta(new SpamModelInput("Nice.", "Shop", "https://shop.example.com", "sales@example.com"), "e-mail on the website's domain"));
    }

    [Fact]
    public void A_website_weighs_with_how_much_its_author_wrote()
    {
        const string feature = "words of a comment with a website";
        Assert.Equal(0, Meta(new SpamModelInput("Great post, thanks.", "Maria"), feature));
        Assert.Equal(3 / 80f, Meta(new SpamModelInput("Great post, thanks.", "Maria", "https://mariaplumbing.co.uk"), feature));
        Assert.Equal(1, Meta(new SpamModelInput(string.Join(' ', Enumerable.Repeat("word", 200)), "Maria", "https://maria.blog"), feature)); // saturates
        Assert.Equal("a website and 3 words", CommentFeatures.Describe(Array.IndexOf(CommentFeatures.MetaNames, feature),
            new SpamModelInput("Great post, thanks.", "Maria", "https://mariaplumbing.co.uk")));
    }

    [Fact]
    public void The_e_mail_address_is_evidence()
    {
        Assert.Equal(1, Meta(new SpamModelInput("Hi", AuthorEmail: "x@mailinator.com"), "disposable e-mail address"));
        Assert.Equal(1, Meta(new SpamModelInput("Hi", AuthorEmail: "anne.k@gmail.com"), "webmail address"));
        Assert.Equal(1, Meta(new SpamModelInput("Hi", AuthorEmail: "greta988@fastmail.com"), "digits in the e-mail address"));
        Assert.Equal(0, Meta(new SpamModelInput("Hi", AuthorEmail: "anne.k@gmail.com"), "digits in the e-mail address"));
    }

    [Theory]
    [InlineData("Message me on WhatsApp for the details", "messenger contact")]
    [InlineData("Join t.me/quickprofits today", "messenger contact")]
    [InlineData("Best <a href=\"http://x.top\">casino</a> here", "link markup")]
    [InlineData("Visit bit.ly/abc and tinyurl.com/xyz", "link shortener in the text")]
    [InlineData("Free spins at lucky.wixsite.com/win", "free-hosted link in the text")]
    [InlineData("Great c\u0430sino bonus", "look-alike letters")] // Cyrillic а
    [InlineData("buy fol\u200Blowers", "invisible characters")]
    [InlineData("ＣＡＳＩＮＯ bonus", "full-width letters")]
    [InlineData("best c a s i n o in town", "spaced-out or dotted letters")]
    [InlineData("cheap v.i.a.g.r.a here", "spaced-out or dotted letters")]
    [InlineData("Отличная статья, visit our casino now", "mixed scripts")]
    public void Text_written_to_get_past_filters_is_seen(string body, string feature) =>
        Assert.Equal(1, Meta(new SpamModelInput(body), feature));

    [Theory]
    [InlineData("Agreed, the U.S. budget is a mess.")]
    [InlineData("Family photo 👨\u200D👩\u200D👧 from the fair")]
    [InlineData("Отличная статья, спасибо автору.")]
    [InlineData("I read it at www.example.org last week.")]
    public void Ordinary_readers_raise_no_obfuscation_signs(string body)
    {
        foreach (var feature in new[] { "look-alike letters", "invisible characters", "full-width letters", "spaced-out or dotted letters", "mixed scripts" })
            Assert.Equal(0, Meta(new SpamModelInput(body), feature));
    }

    [Fact]
    public void Folded_text_reads_the_word_behind_the_tricks()
    {
        var row = CommentFeatures.Extract(new SpamModelInput("Best c a s i n o and fol\u200Blowers at ＳＨＯＰ"));
        Assert.Contains("casino", row.Words);
        Assert.Contains("followers", row.Words);
        Assert.Contains("shop", row.Words);
    }

    [Fact]
    public void Every_metadata_feature_has_a_name_a_reader_can_use()
    {
        Assert.Equal(CommentFeatures.MetaCount, CommentFeatures.MetaNames.Length);
        var input = new SpamModelInput("Hi", "Maria", "https://bit.ly/x1", "x@mailinator.com");
        for (var i = 0; i < CommentFeatures.MetaCount; i++)
            Assert.False(string.IsNullOrWhiteSpace(CommentFeatures.Describe(i, input)));
        Assert.Equal("website on a link shortener (bit.ly)", CommentFeatures.Describe(Array.IndexOf(CommentFeatures.MetaNames, "website on a link shortener"), input));
        Assert.Equal("disposable e-mail address (mailinator.com)", CommentFeatures.Describe(Array.IndexOf(CommentFeatures.MetaNames, "disposable e-mail address"), input));
    }

    private static float Meta(SpamModelInput input, string feature)
    {
        var index = Array.IndexOf(CommentFeatures.MetaNames, feature);
        Assert.True(index >= 0, $"no feature '{feature}'");
        return CommentFeatures.Extract(input).Meta[index];
    }
}

public class UnreadableTextTests
{
    [Theory]
    [InlineData("lone \uD800 surrogate")]
    [InlineData("noncharacters \uFFFF and \uFFFE and \uFDD0")]
    [InlineData("reversed pair \uDC00\uD800 here")]
    public void Text_nfkc_refuses_is_read_with_replacement_characters(string body)
    {
        var row = CommentFeatures.Extract(new SpamModelInput(body, "Name", "https://example.org", "a@example.org"));
        Assert.Contains('\uFFFD', TextNormalizer.ForMatching(body));
        Assert.NotEmpty(row.Words);
    }
}
