using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

using Moderation.Spam.Text;

namespace Moderation.Spam;

/// <summary>
/// Turns a comment into a <see cref="ModelRow"/>: every field of the form as evidence (text, website, e-mail, name,
/// time to submit). Done in C# rather than as an ML.NET custom mapping so a saved model loads without registering
/// code, and so reasons can quote the input.
/// </summary>
public static partial class CommentFeatures
{
    /// <summary>Bump when the meaning of any column changes: models record it and refuse a mismatch.</summary>
    public const int SchemaVersion = 4;

    /// <summary>Names of the <see cref="ModelRow.Meta"/> slots, in order; <see cref="Describe"/> words them for one comment.</summary>
    public static readonly string[] MetaNames =
    [
        "links", "length", "capital letters", "digits", "author URL given", "exclamation marks", "emoji",
        "phone number", "e-mail address in the text", "money signs", "short comment with a link",
        "repeated characters", "author name with digits or a link",
        // Schema 3: the other fields of the form, and text made to get past filters.
        "links to several domains", "website on a link shortener", "website on a free host", "website unrelated to the name",
        "website with a path or query", "link shortener in the text", "free-hosted link in the text", "messenger contact",
        "link markup", "disposable e-mail address", "webmail address", "e-mail on the website's domain",
        "digits in the e-mail address", "look-alike letters", "invisible characters", "full-width letters",
        "spaced-out or dotted letters", "mixed scripts",
        // Schema 4: readers who fill in their own site write more than the link droppers who fill in a client's.
        "words of a comment with a website",
    ];

    public const int MetaCount = 32;

    public const string Missing = "none";

    /// <summary>Beyond this many words a comment with a website counts as fully written: the slot saturates.</summary>
    private const int WordsOfAFullComment = 80;

    public static ModelRow Extract(SpamModelInput input, bool label = false)
    {
        var body = Plain(input.Body);
        var nfkc = TextNormalizer.Nfkc(body); // once: the folded text, shouting and the obfuscation signs all start from it
        var lower = TextNormalizer.ForFeaturesFromNfkc(nfkc);
        var links = Links.Pattern().Matches(lower);
        var withHosts = Links.Pattern().Replace(lower, m => " link " + RegistrableOf(m.Value) + " ");
        var digitsFolded = FoldDigits(withHosts);
        var website = Website.Of(input.AuthorUrl);
        return new ModelRow
        {
            Words = string.Join(' ', WordPattern().Matches(digitsFolded).Select(m => m.Value)),
            // The website's own name joins the text's character n-grams: "best-casino-sites" shares "casino" with a body.
            Chars = Whitespace().Replace(website is null ? digitsFolded : digitsFolded + " " + website.NameWords, " ").Trim(),
            AuthorUrlDomain = website?.Registrable ?? Missing,
            AuthorUrlTld = website is null ? Missing : Domains.PublicSuffix(website.Host),
            EmailDomain = EmailDomainOf(input.AuthorEmail),
            ElapsedBucket = ElapsedBucketOf(input.ElapsedMs),
            Meta = Meta(body, nfkc, lower, links, website, input),
            Label = label,
        };
    }

    private static float[] Meta(string body, string nfkc, string folded, MatchCollection links, Website? website, SpamModelInput input)
    {
        int digits = 0, visible = 0, bangs = 0, emoji = 0, money = 0;
        foreach (var c in folded)
        {
            if (char.IsWhiteSpace(c)) continue;
            visible++;
            if (char.IsDigit(c)) digits++;
            else if (c == '!') bangs++;
            else if (c is '$' or '€' or '£' or '₿' or '₹' or '₽') money++;
            else if (char.IsSurrogate(c) || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.OtherSymbol) emoji++;
        }
        var v = Math.Max(visible, 1);
        var (cased, upper) = (nfkc.Count(char.IsLetter), nfkc.Count(char.IsUpper));
        var name = input.AuthorName ?? "";
        var linkHosts = links.Select(m => Domains.HostOf(m.Value)).OfType<string>().ToList();
        var emailDomain = EmailDomainOf(input.AuthorEmail);
        var obfuscation = Obfuscation.Of(body, nfkc);
        return
        [
            Math.Min(links.Count, 10),
            (float)Math.Log(1 + folded.Length),
            cased >= 8 ? (float)upper / cased : 0,
            (float)digits / v,
            website is null ? 0 : 1,
            Math.Min(1f, 10f * bangs / v),
            Math.Min(1f, 10f * emoji / v),
            PhonePattern().IsMatch(folded) ? 1 : 0,
            EmailPattern().IsMatch(folded) ? 1 : 0,
            Math.Min(money, 5),
            links.Count > 0 && folded.Length < 80 ? 1 : 0,
            RepeatPattern().IsMatch(folded) ? 1 : 0,
            name.Any(char.IsDigit) || Links.Pattern().IsMatch(name) ? 1 : 0,
            Math.Min(linkHosts.Select(Domains.RegistrableDomain).Distinct().Count(), 5) >= 2 ? 1 : 0,
            website?.Kind == HostKind.Shortener ? 1 : 0,
            website?.Kind == HostKind.FreeHost ? 1 : 0,
            website is not null && website.Kind != HostKind.Shortener && !website.RelatesTo(name, input.AuthorEmail) ? 1 : 0,
            website?.HasPathOrQuery == true ? 1 : 0,
            linkHosts.Any(h => Domains.KindOf(h) == HostKind.Shortener) ? 1 : 0,
            linkHosts.Any(h => Domains.KindOf(h) == HostKind.FreeHost) ? 1 : 0,
            MessengerPattern().IsMatch(folded) || linkHosts.Any(h => Domains.KindOf(h) == HostKind.Messenger) ? 1 : 0,
            LinkMarkupPattern().IsMatch(body) ? 1 : 0,
            Domains.IsDisposableEmailDomain(emailDomain) ? 1 : 0,
            Domains.KindOf(emailDomain) == HostKind.Webmail ? 1 : 0,
            website is not null && emailDomain != Missing && Domains.RegistrableDomain(emailDomain) == website.Registrable ? 1 : 0,
            EmailDigitsPattern().IsMatch(input.AuthorEmail ?? "") ? 1 : 0,
            obfuscation.LookAlikeLetters ? 1 : 0,
            obfuscation.InvisibleCharacters ? 1 : 0,
            obfuscation.FullWidthLetters ? 1 : 0,
            obfuscation.SpacedLetters ? 1 : 0,
            obfuscation.MixedScripts ? 1 : 0,
            website is null ? 0 : Math.Min(WordCount(folded), WordsOfAFullComment) / (float)WordsOfAFullComment,
        ];
    }

    /// <summary>A short human reading of one metadata feature of this input, for reasons.</summary>
    public static string Describe(int metaIndex, SpamModelInput input)
    {
        var website = Website.Of(input.AuthorUrl);
        return metaIndex switch
        {
            0 => Links.Pattern().Count(TextNormalizer.ForFeatures(Plain(input.Body))) switch { 1 => "1 link", var n => $"{n} links" },
            1 => $"{Plain(input.Body).Length} characters",
            14 => $"website on a link shortener ({website?.Host})",
            15 => $"website on a free host ({website?.Host})",
            16 => $"website {website?.Registrable} unrelated to the name",
            22 => $"disposable e-mail address ({EmailDomainOf(input.AuthorEmail)})",
            24 => $"e-mail on the website's domain ({website?.Registrable})",
            31 => $"a website and {WordCount(TextNormalizer.ForFeatures(Plain(input.Body)))} words", // counted as the slot counts them
            _ => MetaNames[metaIndex],
        };
    }

    /// <summary>
    /// The body with HTML entities decoded ("&amp;#39;" is an apostrophe). Tags are left as they are: the widget posts
    /// plain text, so markup in a comment is itself worth seeing.
    /// </summary>
    public static string Plain(string? body)
    {
        var s = body ?? "";
        return s.Contains('&') ? WebUtility.HtmlDecode(s) : s;
    }

    /// <summary>The registrable domain of a URL's host ("shop.example.co.uk" → "example.co.uk"), or <see cref="Missing"/>.</summary>
    public static string RegistrableOf(string? url) => Domains.HostOf(url) is { } host ? Domains.RegistrableDomain(host) : Missing;

    public static string EmailDomainOf(string? email)
    {
        var at = email?.LastIndexOf('@') ?? -1;
        return at < 0 || at == email!.Length - 1 ? Missing : email[(at + 1)..].Trim().ToLowerInvariant();
    }

    public static string ElapsedBucketOf(int? elapsedMs) => elapsedMs switch
    {
        null => "unknown",
        < 3_000 => "under 3 s",
        < 10_000 => "3-10 s",
        < 30_000 => "10-30 s",
        < 120_000 => "30 s-2 min",
        _ => "over 2 min",
    };

    /// <summary>The author's Website field, taken apart.</summary>
    private sealed record Website(string Host, string Registrable, HostKind Kind, bool HasPathOrQuery)
    {
        public static Website? Of(string? url)
        {
            if (Domains.HostOf(url) is not { } host) return null;
            var afterHost = url!.Trim();
            var scheme = afterHost.IndexOf("://", StringComparison.Ordinal);
            if (scheme >= 0) afterHost = afterHost[(scheme + 3)..];
            var slash = afterHost.IndexOfAny(['/', '?']);
            var rest = slash < 0 ? "" : afterHost[slash..].TrimEnd('/');
            return new Website(host, Domains.RegistrableDomain(host), Domains.KindOf(host), rest.Length > 0);
        }

        /// <summary>The words a registrant chose, "best casino sites" of "best-casino-sites.com" (the site's name on a free host).</summary>
        public string NameWords => Domains.NameLabel(Registrable).Replace('-', ' ');

        /// <summary>
        /// Whether the site's name shares a word with the author's name or e-mail ("Ada Lovelace", adalovelace.net;
        /// ada.l@… and ada-writes.blog): readers link their own pages, link droppers a client's.
        /// </summary>
        public bool RelatesTo(string name, string? email)
        {
            var label = Domains.NameLabel(Registrable).Replace("-", "");
            var local = email?.Split('@')[0] ?? "";
            return NameParts().Matches(TextNormalizer.ForFeatures(name + " " + local))
                .Any(m => m.Value.Length >= 3 && label.Contains(m.Value, StringComparison.Ordinal));
        }
    }

    /// <summary>Runs of non-space characters, counted without splitting (this runs on every comment scored).</summary>
    private static int WordCount(string text)
    {
        var (words, inWord) = (0, false);
        foreach (var c in text)
        {
            var space = char.IsWhiteSpace(c);
            if (!space && !inWord) words++;
            inWord = !space;
        }
        return words;
    }

    /// <summary>Every ASCII digit as '0' (phone numbers and amounts look alike); the length is kept.</summary>
    internal static string FoldDigits(string s)
    {
        if (!s.Any(char.IsAsciiDigit)) return s;
        var b = new StringBuilder(s);
        for (var i = 0; i < b.Length; i++) if (char.IsAsciiDigit(b[i])) b[i] = '0';
        return b.ToString();
    }

    [GeneratedRegex(@"link [^\s]+|[\p{L}\p{N}]+(?:['’.\-][\p{L}\p{N}]+)*|[!?$€£%@]")]
    private static partial Regex WordPattern();

    [GeneratedRegex(@"(?:\+?\d[\s\-.()]*){9,}")]
    private static partial Regex PhonePattern();

    [GeneratedRegex(@"[\w.+\-]+@[\w\-]+\.[\w.\-]+")]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"(.)\1{3,}")]
    private static partial Regex RepeatPattern();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"\b(?:whats\s?app|watsapp|whatsap|telegram|telegrm|viber|wechat|we chat|signal app|kik|snapchat|wickr|line id|skype)\b|\bwa\.me\b|\bt\.me/")]
    private static partial Regex MessengerPattern();

    [GeneratedRegex(@"<a\s[^>]*href|\[url[=\]]", RegexOptions.IgnoreCase)]
    private static partial Regex LinkMarkupPattern();

    [GeneratedRegex(@"\d{3,}[^@]*@")]
    private static partial Regex EmailDigitsPattern();

    [GeneratedRegex(@"[a-z0-9]+")]
    private static partial Regex NameParts();
}
