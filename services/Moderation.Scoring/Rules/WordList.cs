using System.Text.RegularExpressions;

using Moderation.Spam.Text;

namespace Moderation.Scoring.Rules;

/// <summary>
/// A site's block or hold words, matched as whole words or phrases (so "ass" does not catch "class", as
/// WordPress's substring match does), case-insensitively, on Unicode-folded text.
/// </summary>
public sealed class WordList
{
    private readonly (string Word, Regex Pattern)[] _words;

    public WordList(IEnumerable<string> words) =>
        _words = words.Select(w => TextNormalizer.ForMatching(w).Trim()).Where(w => w.Length > 0).Distinct()
            .Select(w => (w, new Regex($@"(?<![\p{{L}}\p{{N}}]){Regex.Escape(w)}(?![\p{{L}}\p{{N}}])", RegexOptions.CultureInvariant)))
            .ToArray();

    /// <summary>The words found in any of the normalised texts.</summary>
    public IEnumerable<string> FoundIn(IReadOnlyList<string> normalisedTexts) =>
        _words.Where(w => normalisedTexts.Any(t => w.Pattern.IsMatch(t))).Select(w => w.Word);
}
