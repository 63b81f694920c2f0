using Moderation.Spam.Sources;

namespace Moderation.Spam;

/// <summary>
/// Comments a compiled model must score as ML.NET does before it serves (<see cref="SpamModel"/>): an eighth of the
/// seed corpus, for the n-grams a model knows, and inputs at the edges of the featurisation.
/// </summary>
internal static class ProbeComments
{
    private static readonly SpamModelInput[] Edges =
    [
        new(""),
        new("   "),
        new("a"),
        new("zzqxv florble wugga"), // words no model knows
        new("great post great post great post"),
        new("CHECK THIS OUT!!! https://bit.ly/abc?x=1 and www.example.com/page", "Win4Cash", "http://cheap-pills.example.ru/", "x@mail.ru", 800),
        new("Call +1 (800) 555-0199 now for support, or write to help@example.com $$$ €€ ££"),
        new("a|b||c | d ||| e", "Name", null, "nobody@", 45_000),
        new("nul \0 and \uffff and \ufffe characters"),
        new("🚀🚀🚀 to the moon 🌕 — 😂😂"),
        new("Ça coûte 10 € ? Nein, das ist zu teuer. Это неправда. هذا غير صحيح. 这是假的。"),
        new("tab\tand\nnew\r\nlines   and    runs of spaces"),
        new("soooooo goooood!!!!! 1111 2222", "", "ftp://odd.example", "a@b.c", 1_000_000),
        new("&amp;#39;quoted&#39; and <b>markup</b> <script>alert(1)</script>", null, null, null, 2_999),
        new(string.Concat(Enumerable.Repeat("long comment with many words and links https://example.org/a ", 60))),
    ];

    public static readonly Lazy<IReadOnlyList<ModelRow>> Rows = new(() =>
        [.. SeedCorpus.Source().ReadAsync().ToBlockingEnumerable().Where((_, i) => i % 8 == 0).Select(c => c.Input).Concat(Edges)
            .Select(i => CommentFeatures.Extract(i))]);
}
