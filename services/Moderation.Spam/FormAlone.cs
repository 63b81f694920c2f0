namespace Moderation.Spam;

/// <summary>
/// A reader's own website and e-mail must not by themselves send a comment to the spam folder. Spammers fill in the
/// Website field far more often than readers do, so a model learns to weigh it, and a reader with a blog and an
/// e-mail on its domain scored as spam for that alone. A comment scored above <see cref="Ceiling"/> is scored again
/// without its website and e-mail; when its text alone stays below the ceiling, its score comes down to it: below a
/// spam threshold above it (the sites' default), so a moderator decides, and still far from being published.
/// </summary>
public static class FormAlone
{
    public const double Ceiling = 0.85;

    /// <summary>The text without the website and e-mail scores below this: it alone would not be called spam.</summary>
    public const double TextSpamLike = Ceiling;

    public static SpamModelInput WithoutForm(SpamModelInput input) => input with { AuthorUrl = null, AuthorEmail = null };

    /// <summary>Whether a comment must be scored again without its form fields to be judged.</summary>
    public static bool NeedsSecondLook(SpamModelInput input, double probability) =>
        probability > Ceiling && (!string.IsNullOrWhiteSpace(input.AuthorUrl) || !string.IsNullOrWhiteSpace(input.AuthorEmail));

    /// <summary>
    /// Lowers, in place, the probabilities that the website and e-mail alone carried past the ceiling.
    /// <paramref name="scoreWithoutForm"/> scores comments (stripped by <see cref="WithoutForm"/>) in one pass.
    /// Returns which comments were lowered.
    /// </summary>
    public static bool[] Apply(IReadOnlyList<SpamModelInput> inputs, double[] probabilities,
        Func<IReadOnlyList<SpamModelInput>, IReadOnlyList<double>> scoreWithoutForm)
    {
        var lowered = new bool[inputs.Count];
        var second = Enumerable.Range(0, inputs.Count).Where(i => NeedsSecondLook(inputs[i], probabilities[i])).ToArray();
        if (second.Length == 0) return lowered;
        var textAlone = scoreWithoutForm([.. second.Select(i => WithoutForm(inputs[i]))]);
        for (var k = 0; k < second.Length; k++)
        {
            if (textAlone[k] >= TextSpamLike) continue;
            probabilities[second[k]] = Ceiling;
            lowered[second[k]] = true;
        }
        return lowered;
    }
}
