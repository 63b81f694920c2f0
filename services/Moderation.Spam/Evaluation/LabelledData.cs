using System.Text.RegularExpressions;

namespace Moderation.Spam.Evaluation;

/// <summary>Helpers that keep evaluation honest: no text in both training and test, folds that keep the class balance.</summary>
public static partial class LabelledData
{
    /// <summary>
    /// Keeps the first comment of each text (compared case- and whitespace-insensitively). A repeated text
    /// would otherwise sit in training and test at once and flatter the figures.
    /// </summary>
    public static IReadOnlyList<LabelledComment> Deduplicate(IEnumerable<LabelledComment> comments)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return [.. comments.Where(c => seen.Add(Key(c.Input.Body)))];
    }

    public static string Key(string body) => Spaces().Replace(body.Trim().ToLowerInvariant(), " ");

    /// <summary>Fold number per comment: shuffled with the seed, then dealt round-robin within each class.</summary>
    public static int[] StratifiedFolds(IReadOnlyList<LabelledComment> comments, int folds, int seed)
    {
        var random = new Random(seed);
        var fold = new int[comments.Count];
        foreach (var cls in new[] { true, false })
        {
            var members = Enumerable.Range(0, comments.Count).Where(i => comments[i].IsSpam == cls).ToArray();
            random.Shuffle(members);
            for (var k = 0; k < members.Length; k++) fold[members[k]] = k % folds;
        }
        return fold;
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
