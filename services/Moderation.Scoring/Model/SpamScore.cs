using System.Globalization;

namespace Moderation.Scoring.Model;

/// <summary>A feature of this comment and how far it pushed the score (log-odds; positive = towards spam).</summary>
public sealed record Contribution(string Feature, bool IsText, double Weight);

/// <summary>The model's spam probability for one comment and what drove it.</summary>
public sealed record SpamScore(double Probability, string ModelVersion, IReadOnlyList<Contribution> Contributions)
{
    /// <summary>How many features a reason names.</summary>
    public const int FeaturesInReason = 3;

    /// <summary>
    /// "model 0.93 ('free', 'subscribe', 'check out my')": the features that pushed the score the way it went,
    /// strongest first. Text is quoted; metadata ("2 links") is not.
    /// </summary>
    public string Reason
    {
        get
        {
            var towardsSpam = Probability >= 0.5;
            var drivers = Contributions
                .Where(c => towardsSpam ? c.Weight > 0 : c.Weight < 0)
                .OrderByDescending(c => Math.Abs(c.Weight))
                .Take(FeaturesInReason)
                .Select(c => c.IsText ? $"'{c.Feature}'" : c.Feature)
                .ToList();
            var score = Probability.ToString("0.00", CultureInfo.InvariantCulture);
            if (drivers.Count == 0) return $"model {score}";
            return towardsSpam ? $"model {score} ({string.Join(", ", drivers)})" : $"model {score} (not spam-like: {string.Join(", ", drivers)})";
        }
    }
}
