using System.Globalization;

namespace Moderation.Spam;

/// <summary>A feature of this comment and how far it pushed the score (log-odds; positive = towards spam).</summary>
public sealed record Contribution(string Feature, bool IsText, double Weight);

/// <summary>The model's spam probability for one comment and what drove it.</summary>
public sealed record SpamScore(double Probability, string ModelVersion, IReadOnlyList<Contribution> Contributions)
{
    /// <summary>The website and e-mail alone made the comment spam-like, not its text: lowered to <see cref="Spam.FormAlone.Ceiling"/>.</summary>
    public bool FormAloneLowered { get; init; }

    /// <summary>How many features a reason names.</summary>
    public const int FeaturesInReason = 3;

    /// <summary>How many of those are words at most, when the comment has words that pushed the score its way.</summary>
    public const int WordsInReason = 2;

    /// <summary>
    /// "model 0.93 ('free', 'subscribe', 2 links)": the features that pushed the score the way it went. The words
    /// (quoted) that pushed it most come first even when metadata pushed harder (a moderator can check a word in the
    /// text; "no e-mail" alone says little), then the strongest of the rest.
    /// </summary>
    public string Reason
    {
        get
        {
            var towardsSpam = Probability >= 0.5;
            var pushing = Contributions
                .Where(c => towardsSpam ? c.Weight > 0 : c.Weight < 0)
                .OrderByDescending(c => Math.Abs(c.Weight))
                .ToList();
            var words = pushing.Where(c => c.IsText).Take(WordsInReason).ToList();
            var drivers = words.Concat(pushing.Except(words).Take(FeaturesInReason - words.Count))
                .Select(c => c.IsText ? $"'{c.Feature}'" : c.Feature)
                .ToList();
            var score = Probability.ToString("0.00", CultureInfo.InvariantCulture);
            if (drivers.Count == 0) return $"model {score}";
            if (FormAloneLowered) return $"model {score} (the website and e-mail look like spam, the text does not: {string.Join(", ", drivers)})";
            return towardsSpam ? $"model {score} ({string.Join(", ", drivers)})" : $"model {score} (not spam-like: {string.Join(", ", drivers)})";
        }
    }
}
