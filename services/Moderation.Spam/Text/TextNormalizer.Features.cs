using System.Text;
using System.Text.RegularExpressions;

using Moderation.Spam.Text.Unicode;

namespace Moderation.Spam.Text;

public static partial class TextNormalizer
{
    /// <summary>
    /// Text as the model reads it: folded as the rules fold it (NFKC, so full-width and styled letters become plain ones;
    /// invisible characters removed; lower case; look-alike letters read as Latin ones), and spaced-out or dotted words
    /// joined ("c a s i n o", "v.i.a.g.r.a"). Markup is kept: tags in a comment are evidence too. Shouting is read off
    /// the text as posted (<see cref="CommentFeatures"/>).
    /// </summary>
    public static string ForFeatures(string? text) => string.IsNullOrEmpty(text) ? "" : ForFeaturesFromNfkc(Nfkc(text));

    /// <summary><see cref="ForFeatures"/> of text already in NFKC (<see cref="Nfkc"/>), so a caller that needs both normalises once.</summary>
    public static string ForFeaturesFromNfkc(string nfkc)
    {
        var folded = Fold(nfkc, again: false);
        return Obfuscation.SpacedLetterRun().Replace(folded, m => Obfuscation.Separators().Replace(m.Value, ""));
    }

    /// <summary>
    /// NFKC of any string a reader can send. .NET's normaliser refuses lone surrogates and noncharacters (U+FFFE, U+FFFF,
    /// U+FDD0…), which JSON lets through: those read as U+FFFD first, so a stray one cannot stop a comment being scored.
    /// </summary>
    public static string Nfkc(string text)
    {
        try
        {
            return text.Normalize(NormalizationForm.FormKC);
        }
        catch (ArgumentException)
        {
            var sb = new StringBuilder(text.Length);
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                {
                    var codePoint = char.ConvertToUtf32(c, text[++i]);
                    sb.Append((codePoint & 0xFFFE) == 0xFFFE ? "\uFFFD" : char.ConvertFromUtf32(codePoint));
                }
                else sb.Append(char.IsSurrogate(c) || c is '\uFFFE' or '\uFFFF' or (>= '\uFDD0' and <= '\uFDEF') ? '\uFFFD' : c);
            }
            return sb.ToString().Normalize(NormalizationForm.FormKC);
        }
    }
}

/// <summary>Signs that a text was written to get past a filter. Read on the text as posted, before folding.</summary>
public sealed partial record Obfuscation(bool LookAlikeLetters, bool InvisibleCharacters, bool FullWidthLetters, bool SpacedLetters, bool MixedScripts)
{
    /// <param name="text">The text as posted.</param>
    /// <param name="nfkc">The same text through <see cref="TextNormalizer.Nfkc"/>.</param>
    public static Obfuscation Of(string text, string nfkc)
    {
        bool invisible = false, fullWidth = false, lookAlike = false;
        bool wordLatin = false, wordOther = false;
        var letters = new Dictionary<string, int>();
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var codePoint = char.IsHighSurrogate(c) && i + 1 < text.Length ? char.ConvertToUtf32(c, text[i + 1]) : c;
            var isInvisible = UnicodeFolding.IsDefaultIgnorable(codePoint);
            if (isInvisible && !IsJoinerInScript(text, i)) invisible = true;
            if (c is (>= '\uFF21' and <= '\uFF3A') or (>= '\uFF41' and <= '\uFF5A')
                || codePoint is >= 0x1D400 and <= 0x1D7FF)
                fullWidth = true;
            if (char.IsLetter(c))
            {
                var script = ScriptOf(c);
                letters[script] = letters.GetValueOrDefault(script) + 1;
                if (script == "Latin") wordLatin = true;
                else if (script is "Cyrillic" or "Greek" or "Armenian") wordOther = true;
                if (wordLatin && wordOther) lookAlike = true;
            }
            else if (!isInvisible) (wordLatin, wordOther) = (false, false);
        }
        var spaced = SpacedLetterRun().IsMatch(nfkc);
        return new Obfuscation(lookAlike, invisible, fullWidth, spaced, letters.Count(kv => kv.Value >= 3) >= 2);
    }

    // Zero-width joiners and non-joiners belong in emoji sequences and in Arabic, Persian and Indic writing.
    private static bool IsJoinerInScript(string text, int i) =>
        text[i] is '\u200C' or '\u200D' && i > 0 && !char.IsAsciiLetter(text[i - 1]);

    private static string ScriptOf(char c) => c switch
    {
        <= '\u024F' or (>= '\u1E00' and <= '\u1EFF') => "Latin",
        >= '\u0370' and <= '\u03FF' or (>= '\u1F00' and <= '\u1FFF') => "Greek",
        >= '\u0400' and <= '\u052F' => "Cyrillic",
        >= '\u0530' and <= '\u058F' => "Armenian",
        >= '\u0590' and <= '\u05FF' => "Hebrew",
        >= '\u0600' and <= '\u06FF' or (>= '\u0750' and <= '\u077F') => "Arabic",
        >= '\u0900' and <= '\u0DFF' => "Indic",
        >= '\u0E00' and <= '\u0E7F' => "Thai",
        >= '\u3040' and <= '\u30FF' or (>= '\u3400' and <= '\u9FFF') or (>= '\uAC00' and <= '\uD7AF') => "CJK",
        _ => "Other",
    };

    /// <summary>Four or more single letters each followed by one separator: "c a s i n o", "v.i.a.g.r.a", "f-r-e-e".</summary>
    [GeneratedRegex(@"(?<!\p{L})(?:\p{L}[ .\-_*·•]){3,}\p{L}(?!\p{L})")]
    internal static partial Regex SpacedLetterRun();

    [GeneratedRegex(@"[ .\-_*·•]")]
    internal static partial Regex Separators();
}
