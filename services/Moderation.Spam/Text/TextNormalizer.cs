using System.Buffers;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Moderation.Spam.Text.Unicode;

namespace Moderation.Spam.Text;

/// <summary>
/// Text as the rules compare it: markup stripped, entities decoded, Unicode folded (NFKC: full-width and other
/// compatibility forms become plain letters), invisible characters dropped (so "fol\u200Blowers" is "followers"),
/// lower case, letters of other scripts that look like Latin ones read as those (Cyrillic "саsino" is "casino"),
/// white space single. Block and hold words go through the same folding, so a Russian or Greek word still matches
/// Russian or Greek text: both sides fold alike. See <see cref="UnicodeFolding"/> for what is dropped and folded.
/// </summary>
public static partial class TextNormalizer
{
    public static string ForMatching(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var withoutMarkup = WebUtility.HtmlDecode(Markup().Replace(text, " "));
        return Fold(Nfkc(withoutMarkup), again: false);
    }

    /// <summary>Letters and digits only, single-spaced: what stays the same when a campaign varies punctuation.</summary>
    public static string ForFingerprint(string? text)
    {
        var matching = ForMatching(text);
        var sb = new StringBuilder(matching.Length);
        var space = true;
        foreach (var c in matching)
        {
            if (char.IsLetterOrDigit(c)) { sb.Append(c); space = false; }
            else if (!space) { sb.Append(' '); space = true; }
        }
        return sb.ToString().TrimEnd();
    }

    /// <summary>
    /// One pass over NFKC text: default-ignorable characters dropped, lower case, look-alike letters folded, white
    /// space single and trimmed. Text with nothing to change is returned as it is, without allocating.
    /// </summary>
    private static string Fold(string text, bool again)
    {
        if (IsFolded(text)) return text;
        // Lower case keeps a character's length in UTF-16, and a fold is at most MaxLatinLength ASCII letters.
        var buffer = ArrayPool<char>.Shared.Rent(text.Length * Math.Max(UnicodeFolding.MaxLatinLength, 1));
        var n = 0;
        var pendingSpace = false;
        var previousChanged = false;
        var renormalise = false;
        foreach (var rune in text.EnumerateRunes())
        {
            if (Rune.IsWhiteSpace(rune))
            {
                pendingSpace = n > 0;
                continue;
            }
            if (rune.IsAscii)
            {
                if (pendingSpace) { buffer[n++] = ' '; pendingSpace = false; }
                var c = (char)rune.Value;
                buffer[n++] = char.ToLowerInvariant(c);
                previousChanged = c is >= 'A' and <= 'Z';
                continue;
            }
            if (UnicodeFolding.IsDefaultIgnorable(rune.Value))
            {
                // Dropped: the letters either side join, as a reader sees them.
                previousChanged = true;
                continue;
            }
            if (previousChanged && IsCombining(rune)) renormalise = true;
            if (pendingSpace) { buffer[n++] = ' '; pendingSpace = false; }
            var lower = Rune.ToLowerInvariant(rune);
            if (UnicodeFolding.LatinLookAlike(lower.Value) is { } latin)
            {
                latin.CopyTo(buffer.AsSpan(n));
                n += latin.Length;
                previousChanged = true;
            }
            else
            {
                n += lower.EncodeToUtf16(buffer.AsSpan(n));
                previousChanged = lower != rune;
            }
        }
        var folded = new string(buffer, 0, n);
        ArrayPool<char>.Shared.Return(buffer);
        // A dropped or changed character before a combining mark may leave a pair NFKC composes ("e", U+200B,
        // U+0301 is "e" and U+0301, which is "é"): normalise again, and fold what that makes.
        return renormalise && !again ? Fold(Nfkc(folded), again: true) : folded;
    }

    /// <summary>Whether the text has nothing for <see cref="Fold"/> to change (checked without allocating).</summary>
    private static bool IsFolded(string text)
    {
        var afterSpace = true; // a space at the start would be leading
        foreach (var c in text)
        {
            if (c == ' ')
            {
                if (afterSpace) return false;
                afterSpace = true;
                continue;
            }
            afterSpace = false;
            if (c < 0x80)
            {
                if (c is >= 'A' and <= 'Z' || char.IsWhiteSpace(c)) return false;
            }
            else if (char.IsSurrogate(c) || char.IsWhiteSpace(c) || UnicodeFolding.MayFold(c) || char.ToLowerInvariant(c) != c)
            {
                return false;
            }
        }
        return !afterSpace || text.Length == 0;
    }

    private static bool IsCombining(Rune rune) =>
        Rune.GetUnicodeCategory(rune) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark
        || rune.Value is >= 0x1160 and <= 0x11FF; // Hangul vowel and final jamo, which compose with what precedes them

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Markup();
}
