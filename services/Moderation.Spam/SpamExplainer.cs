using System.Text.RegularExpressions;
using Microsoft.ML;
using Microsoft.ML.Data;
using Moderation.Spam.Training;

namespace Moderation.Spam;

/// <summary>
/// Maps the model's per-feature contributions back to things a moderator recognises: word n-grams
/// as phrases, character n-grams as the word of the comment they came from, metadata as "2 links".
/// </summary>
internal sealed partial class SpamExplainer
{
    private const int Kept = 10;
    private readonly string[] _slots;

    /// <summary>
    /// Each slot's name taken apart, on its first use: the same few hundred n-grams come up again and again. Threads
    /// that race on a slot store equal values, so the array needs no lock.
    /// </summary>
    private readonly Slot?[] _parsed;

    internal SpamExplainer(string[] slots) => (_slots, _parsed) = (slots, new Slot?[slots.Length]);

    /// <summary>"CharGrams.<␂>|f|r" as block "CharGrams", value "<␂>|f|r" and text "fr"; word n-grams' text is " free money ".</summary>
    private sealed record Slot(string Block, string Value, string Text);

    /// <summary>
    /// Reads the slot names of the column the explained learner was trained on: the selected features for trees,
    /// all features for the linear model (alone or as the explaining half of an ensemble).
    /// </summary>
    public static SpamExplainer For(MLContext ml, ITransformer transformer)
    {
        var schema = transformer.GetOutputSchema(ModelRows.Load(ml, []).Schema);
        var linearExplains = schema.GetColumnOrNull(SpamPipeline.LinearProbability) is not null;
        var column = (linearExplains ? null : schema.GetColumnOrNull(SpamPipeline.SelectedFeatures)) ?? schema["Features"];
        VBuffer<ReadOnlyMemory<char>> names = default;
        column.GetSlotNames(ref names);
        return new SpamExplainer([.. names.DenseValues().Select(n => n.ToString())]);
    }

    public IReadOnlyList<Contribution> Explain(SpamModelInput input, ModelRow row, VBuffer<float> contributions)
    {
        var merged = new Dictionary<(string, bool), double>();
        var words = $" {row.Words} "; // word n-grams are looked up as " phrase " in it
        foreach (var (index, weight) in contributions.Items())
        {
            if (weight == 0 || index >= _slots.Length) continue;
            if (Describe(index, input, row, words) is not var (feature, isText)) continue;
            merged[(feature, isText)] = merged.GetValueOrDefault((feature, isText)) + weight;
        }
        return [.. merged.OrderByDescending(kv => Math.Abs(kv.Value)).Take(Kept).Select(kv => new Contribution(kv.Key.Item1, kv.Key.Item2, kv.Value))];
    }

    private (string Feature, bool IsText)? Describe(int index, SpamModelInput input, ModelRow row, string paddedWords)
    {
        if ((_parsed[index] ??= Parse(_slots[index])) is not var (block, value, text) || block.Length == 0) return null;
        return block switch
        {
            SpamPipeline.MetaScaled => Array.IndexOf(CommentFeatures.MetaNames, value) is var meta and >= 0 && row.Meta[meta] != 0
                ? (CommentFeatures.Describe(meta, input), false) : null,
            SpamPipeline.WordGrams => !paddedWords.Contains(text, StringComparison.Ordinal) ? null
                // The features read links as "link <domain>": the lone placeholder is the comment's links, not a word of it.
                : text == " link " && !LinkWord().IsMatch(input.Body) ? (CommentFeatures.Describe(0, input), false)
                : (AsWritten(text.Trim(), input.Body), true),
            SpamPipeline.CharGrams => WordAround(row.Chars, text) is { } word ? (AsWritten(word, input.Body), true) : null,
            nameof(ModelRow.AuthorUrlDomain) when value == row.AuthorUrlDomain =>
                (value == CommentFeatures.Missing ? "no author URL" : $"author URL domain {value}", false),
            nameof(ModelRow.AuthorUrlTld) when value == row.AuthorUrlTld && value != CommentFeatures.Missing => ($"author URL ending .{value}", false),
            nameof(ModelRow.EmailDomain) when value == row.EmailDomain => (value == CommentFeatures.Missing ? "no e-mail" : $"e-mail domain {value}", false),
            nameof(ModelRow.ElapsedBucket) when value == row.ElapsedBucket && value != "unknown" => ($"submitted in {value}", false),
            _ => null,
        };
    }

    // Trees also credit features a comment lacks ("no 'the'" pushed it up); a moderator can only use what is there,
    // so each case below names a feature only when the comment has it.

    private static Slot Parse(string slot)
    {
        var dot = slot.IndexOf('.');
        if (dot < 0) return new Slot("", "", "");
        var (block, value) = (slot[..dot], slot[(dot + 1)..]);
        return new Slot(block, value, block switch
        {
            SpamPipeline.WordGrams => $" {value.Replace('|', ' ')} ",
            SpamPipeline.CharGrams => CharGram(value),
            _ => "",
        });
    }

    /// <summary>
    /// The words as the comment has them when the features folded only their digits ("seo0.xyz" is "seo4.xyz" in the
    /// comment): a moderator searches the text for what the reason names. Other folding (look-alikes, spacing) is kept,
    /// since it names the word the trick hid.
    /// </summary>
    private static string AsWritten(string named, string body)
    {
        if (!named.Contains('0')) return named;
        var folded = CommentFeatures.FoldDigits(body.ToLowerInvariant()); // the body's length: a digit is one character, lower-casing maps one to one
        var at = folded.IndexOf(named, StringComparison.Ordinal);
        return at < 0 ? named : body.Substring(at, named.Length);
    }

    [GeneratedRegex(@"\blink\b", RegexOptions.IgnoreCase)]
    private static partial Regex LinkWord();

    /// <summary>"<␂>|f|r" → "fr": ML.NET names character n-grams with '|' between characters and markers for start, end and space.</summary>
    private static string CharGram(string slot) =>
        slot.Replace("<␂>", "").Replace("<␃>", "").Replace("<␠>", " ").Replace("|", "");

    /// <summary>The whole word (or words, when the n-gram spans a space) of the comment that contains the fragment.</summary>
    private static string? WordAround(string text, string fragment)
    {
        if (fragment.Trim().Length == 0) return null;
        var at = text.IndexOf(fragment, StringComparison.Ordinal);
        if (at < 0) return null;
        int start = at, end = at + fragment.Length;
        while (start > 0 && !char.IsWhiteSpace(text[start - 1])) start--;
        while (end < text.Length && !char.IsWhiteSpace(text[end])) end++;
        var word = text[start..end].Trim().Trim('.', ',', '!', '?', ';', ':', '"', '\'', '(', ')');
        return word.Length == 0 ? null : word;
    }
}
