using Microsoft.ML;
using Microsoft.ML.Data;

namespace Moderation.Scoring.Model;

/// <summary>
/// Maps the model's per-feature contributions back to things a moderator recognises: word n-grams
/// as phrases, character n-grams as the word of the comment they came from, metadata as "2 links".
/// </summary>
internal sealed class SpamExplainer
{
    private const int Kept = 10;
    private readonly string[] _slots;
    private readonly int _metaStart;

    private SpamExplainer(string[] slots, int metaStart)
    {
        _slots = slots;
        _metaStart = metaStart;
    }

    public static SpamExplainer For(MLContext ml, ITransformer transformer)
    {
        var schema = transformer.GetOutputSchema(ml.Data.LoadFromEnumerable(Array.Empty<ModelRow>()).Schema);
        VBuffer<ReadOnlyMemory<char>> names = default;
        schema["Features"].GetSlotNames(ref names);
        // The metadata vector has no slot names; it sits right after the two n-gram blocks.
        var metaStart = Size(schema["WordGrams"]) + Size(schema["CharGrams"]);
        return new SpamExplainer([.. names.DenseValues().Select(n => n.ToString())], metaStart);
    }

    private static int Size(DataViewSchema.Column column) => ((VectorDataViewType)column.Type).Size;

    public IReadOnlyList<Contribution> Explain(SpamModelInput input, ModelRow row, VBuffer<float> contributions)
    {
        var merged = new Dictionary<(string, bool), double>();
        foreach (var (index, weight) in contributions.Items())
        {
            if (weight == 0 || index >= _slots.Length) continue;
            if (Describe(index, input, row) is not var (feature, isText)) continue;
            merged[(feature, isText)] = merged.GetValueOrDefault((feature, isText)) + weight;
        }
        return [.. merged.OrderByDescending(kv => Math.Abs(kv.Value)).Take(Kept).Select(kv => new Contribution(kv.Key.Item1, kv.Key.Item2, kv.Value))];
    }

    private (string Feature, bool IsText)? Describe(int index, SpamModelInput input, ModelRow row)
    {
        if (index >= _metaStart && index < _metaStart + CommentFeatures.MetaCount)
            return (CommentFeatures.Describe(index - _metaStart, input), false);
        var slot = _slots[index];
        var dot = slot.IndexOf('.');
        if (dot < 0) return null;
        var (block, value) = (slot[..dot], slot[(dot + 1)..]);
        return block switch
        {
            "WordGrams" => (value.Replace('|', ' '), true),
            "CharGrams" => WordAround(row.Chars, CharGram(value)) is { } word ? (word, true) : null,
            nameof(ModelRow.AuthorUrlDomain) => (value == CommentFeatures.Missing ? "no author URL" : $"author URL domain {value}", false),
            nameof(ModelRow.AuthorUrlTld) => value == CommentFeatures.Missing ? null : ($"author URL ending .{value}", false),
            nameof(ModelRow.EmailDomain) => (value == CommentFeatures.Missing ? "no e-mail" : $"e-mail domain {value}", false),
            nameof(ModelRow.ElapsedBucket) => value == "unknown" ? null : ($"submitted in {value}", false),
            _ => null,
        };
    }

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
