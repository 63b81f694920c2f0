using System.Text;
using System.Text.RegularExpressions;
using Moderation.Spam.Sources;

namespace Moderation.Cli.SeedCorpus;

/// <summary>
/// Expands templates.txt into the labelled seed corpus. Deterministic for a seed: the same file and seed
/// give the same CSV byte for byte. Author fields and time to submit are drawn from assumed distributions
/// (spam: shop-like names, spam domains in the website field, fast submissions), stated in docs/scoring.md.
/// </summary>
internal sealed partial class SeedCorpusGenerator(TemplateFile templates, int seed)
{
    public const string Header = "text,label,author,url,email,elapsed_ms,kind";

    private static readonly string[] SpamAuthors =
        ["Crypto Queen", "SEO Expert", "Best Pharmacy", "Linda Trades", "Mark Recovery", "Casino Bonus", "Web Traffic Pro",
         "Dr Helen", "Loan Agent", "Daily Profit", "Fitness Guru", "Cheap Meds"];
    private static readonly string[] Webmail = ["gmail.com", "outlook.com", "yahoo.com", "hotmail.com", "icloud.com", "proton.me", "gmx.de", "orange.fr", "web.de", "uol.com.br"];
    private static readonly string[] OtherMail = ["cityschools.org", "univ-example.edu", "northmail.net", "harbourlaw.co.uk", "telefonica.net", "free.fr", "t-online.de", "sapo.pt"];
    private static readonly string[] SpamMail = ["inboxmail.top", "fastmail24.xyz", "promo-sender.biz", "mailbox-now.site", "quickmail.online", "bulk-offers.info"];
    private static readonly string[] HamSites = ["{0}-writes.blogspot.com", "www.linkedin.com/in/{0}", "{0}photography.net", "github.com/{0}", "{0}.substack.com"];
    private static readonly string[] Emoji = [" 😍", " 🔥", " 💯", " 👍", " 🙏", " ✅", " 💰"];

    private readonly Random _random = new(seed);

    public IEnumerable<string> Lines()
    {
        yield return Header;
        foreach (var section in templates.Sections)
            foreach (var body in Bodies(section))
                yield return Row(body, section);
    }

    private IEnumerable<string> Bodies(TemplateSection section)
    {
        if (section.Count is null)
        {
            foreach (var t in section.Templates) yield return Expand(t, 0);
            yield break;
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var tries = 0; seen.Count < section.Count && tries < section.Count * 40; tries++)
        {
            var body = Perturb(Expand(Pick(section.Templates), 0), section.IsSpam);
            if (seen.Add(body)) yield return body;
        }
    }

    private string Row(string body, TemplateSection section)
    {
        var first = Pick(templates.Slots["first"]);
        var login = Login(first);
        var spam = section.IsSpam;
        var author = spam
            ? Chance(0.4) ? Pick(SpamAuthors) : Chance(0.5) ? $"{first} {LastInitial()}" : $"{login}{_random.Next(10, 9999)}"
            : Chance(0.6) ? $"{first} {LastInitial()}." : Chance(0.7) ? first : $"{login}_{_random.Next(60, 99)}";
        var bodyHasLink = LinkLike().IsMatch(body);
        string? url = spam
            ? Chance(bodyHasLink ? 0.25 : 0.5) ? "https://" + Expand(Pick(templates.Slots["spamsite"]), 0) : null
            : Chance(0.1) ? "https://" + string.Format(System.Globalization.CultureInfo.InvariantCulture, Pick(HamSites), login) : null;
        var mailDomain = spam ? (Chance(0.45) ? Pick(SpamMail) : Pick(Webmail)) : (Chance(0.75) ? Pick(Webmail) : Pick(OtherMail));
        var email = Chance(0.9) ? $"{login}{_random.Next(1, 999)}@{mailDomain}" : null;
        int? elapsed = Chance(0.6)
            ? (int)Math.Exp(spam ? Uniform(Math.Log(1_500), Math.Log(25_000)) : Uniform(Math.Log(9_000), Math.Log(900_000)))
            : null;
        return CsvTable.Line(body, spam ? "spam" : "ham", author, url, email, elapsed?.ToString(System.Globalization.CultureInfo.InvariantCulture), section.Kind);
    }

    /// <summary>Campaigns paste the same text with small changes; readers type casually. Both, sometimes.</summary>
    private string Perturb(string body, bool spam)
    {
        if (!Chance(spam ? 0.35 : 0.15)) return body;
        return (spam ? _random.Next(5) : 5 + _random.Next(3)) switch
        {
            0 => body.ToUpperInvariant(),
            1 => body + Pick(Emoji),
            2 => "Hi everyone, " + char.ToLowerInvariant(body[0]) + body[1..],
            3 => ReplaceOnce(body, 'o', '0'),
            4 => body.TrimEnd('.', '!') + "!!!",
            5 => body.ToLowerInvariant(),
            6 => body.TrimEnd('.'),
            _ => SwapLetters(body),
        };
    }

    private string Expand(string template, int depth) =>
        depth > 4 ? template : Slot().Replace(template, m => Expand(Pick(templates.Slots[m.Groups[1].Value]), depth + 1));

    private string SwapLetters(string s)
    {
        if (s.Length < 12) return s;
        var i = _random.Next(3, s.Length - 3);
        if (!char.IsLetter(s[i]) || !char.IsLetter(s[i + 1])) return s;
        var b = new StringBuilder(s);
        (b[i], b[i + 1]) = (b[i + 1], b[i]);
        return b.ToString();
    }

    private static string ReplaceOnce(string s, char from, char to)
    {
        var i = s.IndexOf(from);
        return i < 0 ? s : s[..i] + to + s[(i + 1)..];
    }

    /// <summary>"Tomás" → "tomas": logins and e-mail addresses are ASCII.</summary>
    private static string Login(string name) =>
        new([.. name.ToLowerInvariant().Select(c => c switch { 'á' => 'a', 'é' => 'e', 'í' => 'i', 'ó' => 'o', 'ú' => 'u', 'ñ' => 'n', _ => c })]);

    private string LastInitial() => ((char)('A' + _random.Next(26))).ToString();
    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];
    private bool Chance(double p) => _random.NextDouble() < p;
    private double Uniform(double a, double b) => a + (b - a) * _random.NextDouble();

    [GeneratedRegex(@"\{(\w+)\}")]
    private static partial Regex Slot();

    [GeneratedRegex(@"https?://|www\.|\.(com|top|xyz|online|site|shop|bet|win|me|club|biz|io|store|ly)\b")]
    private static partial Regex LinkLike();
}
