using System.Text.RegularExpressions;

using Moderation.Spam.Text;

namespace Moderation.Scoring.Rules;

/// <summary>
/// A site's block or hold words, matched as whole words or phrases (so "ass" does not catch "class", as
/// WordPress's substring match does), case-insensitively, on text folded as <see cref="TextNormalizer.ForMatching"/>
/// folds it. A word is folded the same way, so a Russian word still finds Russian text; it is reported as the site
/// wrote it (a moderator would not recognise "kaзиho", the folded form of "казино").
/// </summary>
public sealed class WordList
{
    private readonly (string Word, Regex Pattern)[] _words;

    public WordList(IEnumerable<string> words) =>
        _words = words.Select(w => (Word: w.Trim(), Folded: TextNormalizer.ForMatching(w))).Where(w => w.Folded.Length > 0)
            .DistinctBy(w => w.Folded)
            .Select(w => (w.Word, new Regex($@"(?<![\p{{L}}\p{{N}}]){Regex.Escape(w.Folded)}(?![\p{{L}}\p{{N}}])", RegexOptions.CultureInvariant)))
            .ToArray();

    /// <summary>The words found in any of the normalised texts.</summary>
    public IEnumerable<string> FoundIn(IReadOnlyList<string> normalisedTexts) =>
        _words.Where(w => normalisedTexts.Any(t => w.Pattern.IsMatch(t))).Select(w => w.Word);
}
