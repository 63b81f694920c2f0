using System.Collections.Frozen;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace Moderation.Spam.Text;

/// <summary>What a host is to the spam engine: a kind from <c>Lists/hosts.txt</c>, or none.</summary>
public enum HostKind { None, Shortener, FreeHost, Webmail, Messenger }

/// <summary>
/// Hosts and domains as evidence: the registrable domain of a host by the Public Suffix List
/// (<c>shop.example.co.uk</c> is registered as <c>example.co.uk</c>), its public suffix, the kind of host it is, and
/// whether an e-mail domain is a disposable one. The lists are embedded (Lists/README.md says where they come from
/// and how to update them) and read once, on first use.
/// </summary>
public static class Domains
{
    private static readonly IdnMapping Idn = new();
    private static readonly Lazy<PublicSuffixList> Suffixes = new(() => new PublicSuffixList(ReadLines("public_suffix_list.dat")));
    private static readonly Lazy<FrozenDictionary<string, HostKind>> Kinds = new(ReadKinds);
    private static readonly Lazy<FrozenSet<string>> Disposable = new(() => ReadLines("disposable-email-domains.txt")
        .Select(l => l.Trim()).Where(l => l.Length > 0 && l[0] != '#').ToFrozenSet(StringComparer.Ordinal));

    /// <summary>The host of a URL or bare domain, lower case, without "www." or a port; null when there is none.</summary>
    public static string? HostOf(string? url)
    {
        if (string.IsNullOrWhiteSpace(url)) return null;
        var s = url.Trim().ToLowerInvariant();
        var scheme = s.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0) s = s[(scheme + 3)..];
        var end = s.IndexOfAny(['/', '?', '#', ' ']);
        if (end >= 0) s = s[..end];
        var at = s.LastIndexOf('@'); // user info: https://paypal.com@evil.example/ goes to evil.example
        if (at >= 0) s = s[(at + 1)..];
        var port = s.LastIndexOf(':');
        if (port >= 0) s = s[..port];
        if (s.StartsWith("www.", StringComparison.Ordinal)) s = s[4..];
        s = s.TrimEnd('.', ',', ')', '!');
        return s.Length == 0 ? null : s;
    }

    /// <summary>The domain a registrant owns: one label more than its public suffix (or the host itself when it is one).</summary>
    public static string RegistrableDomain(string host)
    {
        var suffix = PublicSuffix(host);
        if (suffix.Length >= host.Length) return host;
        var start = host.LastIndexOf('.', host.Length - suffix.Length - 2);
        return host[(start + 1)..];
    }

    /// <summary>The public suffix of a host: "co.uk", "com", "blogspot.com" (an entry of the list's private section).</summary>
    public static string PublicSuffix(string host) => Suffixes.Value.SuffixOf(host);

    /// <summary>The kind of host, matching the host itself or a parent domain listed in Lists/hosts.txt.</summary>
    public static HostKind KindOf(string? host)
    {
        for (var h = host; !string.IsNullOrEmpty(h); h = h.IndexOf('.') is var dot and >= 0 ? h[(dot + 1)..] : null)
            if (Kinds.Value.TryGetValue(h, out var kind)) return kind;
        return HostKind.None;
    }

    /// <summary>Whether the e-mail domain (or a parent of it) is on the disposable-address blocklist.</summary>
    public static bool IsDisposableEmailDomain(string? domain)
    {
        for (var d = domain; !string.IsNullOrEmpty(d) && d.Contains('.'); d = d[(d.IndexOf('.') + 1)..])
            if (Disposable.Value.Contains(d)) return true;
        return false;
    }

    /// <summary>
    /// The registrable domains a comment links, for their reputation: its Website field's, then every link's in its
    /// text (found as the model finds them, in the folded text), each once, in order; see <see cref="ForReputation"/>.
    /// </summary>
    public static IReadOnlyList<string> Linked(string? body, string? authorUrl)
    {
        var found = new List<string>(2);
        void Add(string? url)
        {
            if (HostOf(url) is { } host && ForReputation(host) is { } domain && !found.Contains(domain)) found.Add(domain);
        }
        Add(authorUrl);
        if (!string.IsNullOrEmpty(body))
        {
            var text = TextNormalizer.ForFeatures(CommentFeatures.Plain(body));
            foreach (Match link in Links.Pattern().Matches(text)) Add(link.Value);
        }
        return found;
    }

    /// <summary>
    /// The domain whose reputation a link to <paramref name="host"/> counts for: its registrable domain in ASCII, or null
    /// where a reputation would be everyone's rather than one registrant's: link shorteners, webmail and messengers
    /// (bit.ly, gmail.com, t.me), a free host's shared domain (telegra.ph, sites.google.com; a blog of its own,
    /// someone.blogspot.com, is its registrant's), a public suffix, an IP address or a name without a dot.
    /// </summary>
    public static string? ForReputation(string host)
    {
        if (host.Length == 0 || host.StartsWith('[') || IPAddress.TryParse(host, out _)) return null;
        string ascii;
        try { ascii = host.All(char.IsAscii) ? host.ToLowerInvariant() : Idn.GetAscii(host).ToLowerInvariant(); }
        catch (ArgumentException) { return null; }
        if (!ascii.Contains('.')) return null;
        var kind = KindOf(ascii);
        if (kind is HostKind.Shortener or HostKind.Webmail or HostKind.Messenger) return null;
        var registrable = RegistrableDomain(ascii);
        if (registrable == PublicSuffix(ascii)) return null;
        if (kind == HostKind.FreeHost && KindOf(registrable[(registrable.IndexOf('.') + 1)..]) != HostKind.FreeHost) return null;
        return registrable;
    }

    /// <summary>The label a registrant chose: "best-casino-sites" of "best-casino-sites.co.uk".</summary>
    public static string NameLabel(string registrable) =>
        registrable.IndexOf('.') is var dot and > 0 ? registrable[..dot] : registrable;

    private static FrozenDictionary<string, HostKind> ReadKinds()
    {
        var kinds = new Dictionary<string, HostKind>(StringComparer.Ordinal);
        foreach (var line in ReadLines("hosts.txt"))
        {
            if (line.Length == 0 || line[0] == '#') continue;
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            kinds[parts[1]] = parts[0] switch
            {
                "shortener" => HostKind.Shortener,
                "free-host" => HostKind.FreeHost,
                "webmail" => HostKind.Webmail,
                "messenger" => HostKind.Messenger,
                var other => throw new FormatException($"Lists/hosts.txt: unknown kind '{other}'."),
            };
        }
        return kinds.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static IEnumerable<string> ReadLines(string file)
    {
        using var stream = typeof(Domains).Assembly.GetManifestResourceStream("Moderation.Spam.Lists." + file)
            ?? throw new InvalidOperationException($"The list {file} is not embedded in this build.");
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line) yield return line.Trim();
    }

    /// <summary>The Public Suffix List's rules (plain, wildcard "*.ck" and exception "!www.ck"), both sections.</summary>
    private sealed class PublicSuffixList
    {
        private readonly FrozenSet<string> _rules, _wildcards, _exceptions;
        private static readonly IdnMapping Idn = new();

        public PublicSuffixList(IEnumerable<string> lines)
        {
            HashSet<string> rules = [], wildcards = [], exceptions = [];
            foreach (var raw in lines)
            {
                if (raw.Length == 0 || raw.StartsWith("//", StringComparison.Ordinal)) continue;
                var rule = Ascii(raw.Split(' ')[0]);
                if (rule.StartsWith('!')) exceptions.Add(rule[1..]);
                else if (rule.StartsWith("*.", StringComparison.Ordinal)) wildcards.Add(rule[2..]);
                else rules.Add(rule);
            }
            (_rules, _wildcards, _exceptions) = (rules.ToFrozenSet(), wildcards.ToFrozenSet(), exceptions.ToFrozenSet());
        }

        // The longest matching rule wins; an exception rule's suffix is its parent; no rule at all means the last label.
        public string SuffixOf(string host)
        {
            host = Ascii(host);
            for (var i = 0; ; )
            {
                var candidate = host[i..];
                if (_exceptions.Contains(candidate)) return candidate[(candidate.IndexOf('.') + 1)..];
                if (_rules.Contains(candidate)) return candidate;
                var dot = candidate.IndexOf('.');
                if (dot < 0) return candidate;
                if (_wildcards.Contains(candidate[(dot + 1)..])) return candidate;
                i += dot + 1;
            }
        }

        private static string Ascii(string s)
        {
            if (s.All(char.IsAscii)) return s;
            try { return Idn.GetAscii(s); } catch (ArgumentException) { return s; }
        }
    }
}
