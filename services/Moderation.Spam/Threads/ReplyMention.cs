namespace Moderation.Spam.Threads;

/// <summary>
/// A reply written as "@Name …" at the start of a comment, as readers reply on forms without reply buttons: the first word
/// of the name, and the first two when the second is capitalised ("@Jack Morrow did ours" addresses Jack Morrow), without a
/// possessive ("@Jessie's right" addresses Jessie).
/// </summary>
public sealed record ReplyMention(string First, string? Full)
{
    /// <summary>The name a comment opens by addressing, or null when it opens otherwise.</summary>
    public static ReplyMention? In(string body)
    {
        var text = body.AsSpan().TrimStart();
        if (text.Length < 2 || text[0] != '@') return null;
        var word = NameWord(text[1..]);
        var first = WithoutPossessive(word);
        if (first.Length == 0) return null;
        var rest = text[(1 + word.Length)..];
        // A possessive ends the name: "@Jessie's right" addresses Jessie.
        var second = first.Length == word.Length && rest.Length > 1 && rest[0] == ' ' && char.IsUpper(rest[1])
            ? WithoutPossessive(NameWord(rest[1..]))
            : [];
        return new ReplyMention(first.ToString(), second.Length == 0 ? null : $"{first} {second}");
    }

    /// <summary>
    /// The earlier comments this mention addresses: those whose author has the full name when any has, else those whose
    /// author's name or first name is the mention's first word. Case is ignored.
    /// </summary>
    public IReadOnlyList<T> Addressees<T>(IEnumerable<T> earlier, Func<T, string> author)
    {
        var candidates = earlier as IReadOnlyCollection<T> ?? [.. earlier];
        if (Full is not null && candidates.Where(c => Same(author(c), Full)).ToList() is { Count: > 0 } named) return named;
        return [.. candidates.Where(c => Same(FirstWord(author(c)), First))];
    }

    private static ReadOnlySpan<char> NameWord(ReadOnlySpan<char> s)
    {
        var n = 0;
        while (n < s.Length && (char.IsLetterOrDigit(s[n]) || s[n] is '_' or '-' or '\'' || char.GetUnicodeCategory(s[n]) is System.Globalization.UnicodeCategory.NonSpacingMark)) n++;
        return s[..n].TrimEnd("-'");
    }

    private static ReadOnlySpan<char> WithoutPossessive(ReadOnlySpan<char> word) =>
        word.EndsWith("'s", StringComparison.OrdinalIgnoreCase) ? word[..^2] : word;

    private static string FirstWord(string name) => name.Trim().Split(' ', 2)[0];

    private static bool Same(string a, string b) => string.Equals(a.Trim(), b, StringComparison.OrdinalIgnoreCase);
}
