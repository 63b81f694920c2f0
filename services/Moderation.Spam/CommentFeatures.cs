using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

using Moderation.Spam.Text;

namespace Moderation.Spam;

/// <summary>
/// Turns a comment into a <see cref="ModelRow"/>. Done in C# rather than as an ML.NET custom
/// mapping so a saved model loads without registering code, and so reasons can quote the input.
/// </summary>
public static partial class CommentFeatures
{
    /// <summary>Bump when the meaning of any column changes: models record it and refuse a mismatch.</summary>
    public const int SchemaVersion = 2;

    /// <summary>Names of the <see cref="ModelRow.Meta"/> slots, in order.</summary>
    public static readonly string[] MetaNames =
    [
        "links", "length", "capital letters", "digits", "author URL given", "exclamation marks", "emoji",
        "phone number", "e-mail address in the text", "money signs", "short comment with a link",
        "repeated characters", "author name with digits or a link",
    ];

    public const int MetaCount = 13;

    public const string Missing = "none";

    public static ModelRow Extract(SpamModelInput input, bool label = false)
    {
        var body = Plain(input.Body);
        var links = Links.Pattern().Matches(body);
        var withHosts = Links.Pattern().Replace(body, m => " link " + HostOf(m.Value) + " ");
        var lower = withHosts.ToLowerInvariant();
        var authorDomain = HostOf(input.AuthorUrl);
        return new ModelRow
        {
            Words = string.Join(' ', WordPattern().Matches(FoldDigits(lower)).Select(m => m.Value)),
            Chars = Whitespace().Replace(FoldDigits(lower), " ").Trim(),
            AuthorUrlDomain = authorDomain,
            AuthorUrlTld = authorDomain == Missing ? Missing : authorDomain[(authorDomain.LastIndexOf('.') + 1)..],
            EmailDomain = EmailDomainOf(input.AuthorEmail),
            ElapsedBucket = ElapsedBucketOf(input.ElapsedMs),
            Meta = Meta(body, links.Count, input),
            Label = label,
        };
    }

    private static float[] Meta(string body, int links, SpamModelInput input)
    {
        int letters = 0, upper = 0, digits = 0, visible = 0, bangs = 0, emoji = 0, money = 0;
        for (var i = 0; i < body.Length; i++)
        {
            var c = body[i];
            if (char.IsWhiteSpace(c)) continue;
            visible++;
            if (char.IsLetter(c)) { letters++; if (char.IsUpper(c)) upper++; }
            else if (char.IsDigit(c)) digits++;
            else if (c == '!') bangs++;
            else if (c is '$' or '€' or '£' or '₿') money++;
            else if (char.IsSurrogate(c) || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.OtherSymbol) emoji++;
        }
        var v = Math.Max(visible, 1);
        var name = input.AuthorName ?? "";
        return
        [
            Math.Min(links, 10),
            (float)Math.Log(1 + body.Length),
            letters >= 8 ? (float)upper / letters : 0,
            (float)digits / v,
            string.IsNullOrWhiteSpace(input.AuthorUrl) ? 0 : 1,
            Math.Min(1f, 10f * bangs / v),
            Math.Min(1f, 10f * emoji / v),
            PhonePattern().IsMatch(body) ? 1 : 0,
            EmailPattern().IsMatch(body) ? 1 : 0,
            Math.Min(money, 5),
            links > 0 && body.Length < 80 ? 1 : 0,
            RepeatPattern().IsMatch(body) ? 1 : 0,
            name.Any(char.IsDigit) || Links.Pattern().IsMatch(name) ? 1 : 0,
        ];
    }

    /// <summary>A short human reading of one metadata feature of this input, for reasons.</summary>
    public static string Describe(int metaIndex, SpamModelInput input) => metaIndex switch
    {
        0 => Links.Pattern().Count(Plain(input.Body)) switch { 1 => "1 link", var n => $"{n} links" },
        1 => $"{Plain(input.Body).Length} characters",
        _ => MetaNames[metaIndex],
    };

    /// <summary>
    /// The body with HTML entities decoded ("&amp;#39;" is an apostrophe) and invisible characters (byte-order mark,
    /// zero-width space and joiners) removed: text pasted from elsewhere should read like text typed here.
    /// Tags are left as they are: the widget posts plain text, so markup in a comment is itself worth seeing.
    /// Schema 2; under schema 1 "&amp;#39;" was a word and a zero-width space split n-grams.
    /// </summary>
    public static string Plain(string? body)
    {
        var s = body ?? "";
        if (s.Contains('&')) s = WebUtility.HtmlDecode(s);
        return Invisible().Replace(s, "");
    }

    public static string HostOf(string? url)
    {
        if (string.IsNullOrWhiteSpace(url)) return Missing;
        var s = url.Trim().ToLowerInvariant();
        var scheme = s.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0) s = s[(scheme + 3)..];
        var end = s.IndexOfAny(['/', '?', '#', ':', ' ']);
        if (end >= 0) s = s[..end];
        if (s.StartsWith("www.", StringComparison.Ordinal)) s = s[4..];
        s = s.TrimEnd('.', ',', ')', '!');
        return s.Length == 0 ? Missing : s;
    }

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

    private static string FoldDigits(string s)
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

    [GeneratedRegex(@"[\uFEFF\u200B-\u200D\u2060]")]
    private static partial Regex Invisible();
}
