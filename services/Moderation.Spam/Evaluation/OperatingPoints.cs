namespace Moderation.Spam.Evaluation;

/// <summary>
/// What a pair of site thresholds does with these scores: below approveBelow is published, at or above
/// rejectAbove goes to spam, the rest waits for a person. Rates are shares of ham or of spam.
/// </summary>
public sealed record OperatingPoint(
    double ApproveBelow, double RejectAbove,
    double HamApproved, double HamHeld, double HamToSpam,
    double SpamLeaked, double SpamHeld, double SpamCaught,
    double Held)
{
    public static readonly double[] CandidateApproveBelow = [0.02, 0.05, 0.1, 0.2, 0.3, 0.5];
    public static readonly double[] CandidateRejectAbove = [0.7, 0.8, 0.9, 0.95, 0.98, 0.99];

    public static OperatingPoint At(IReadOnlyList<ScoredExample> examples, double approveBelow, double rejectAbove)
    {
        var ham = examples.Where(e => !e.IsSpam).Select(e => e.Probability).ToArray();
        var spam = examples.Where(e => e.IsSpam).Select(e => e.Probability).ToArray();
        double Share(double[] xs, Func<double, bool> p) => xs.Length == 0 ? 0 : (double)xs.Count(p) / xs.Length;
        bool Approved(double p) => p < approveBelow;
        bool Rejected(double p) => p >= rejectAbove;
        bool HeldBack(double p) => !Approved(p) && !Rejected(p);
        return new OperatingPoint(approveBelow, rejectAbove,
            Share(ham, Approved), Share(ham, HeldBack), Share(ham, Rejected),
            Share(spam, Approved), Share(spam, HeldBack), Share(spam, Rejected),
            examples.Count == 0 ? 0 : (double)examples.Count(e => HeldBack(e.Probability)) / examples.Count);
    }

    public static IReadOnlyList<OperatingPoint> Table(IReadOnlyList<ScoredExample> examples) =>
        [.. from a in CandidateApproveBelow from r in CandidateRejectAbove where a < r select At(examples, a, r)];

    /// <summary>Whether this point meets the project's goals: ≤ 3 % spam published, ≤ 0.5 % ham to spam, ≥ 90 % ham published.</summary>
    public bool MeetsGoals => SpamLeaked <= 0.03 && HamToSpam <= 0.005 && HamApproved >= 0.90;

    /// <summary>How far this point is from the goals, each goal's miss relative to its size (0 when all are met).</summary>
    public double Shortfall =>
        Math.Max(0, SpamLeaked - 0.03) / 0.03 + Math.Max(0, HamToSpam - 0.005) / 0.005 + Math.Max(0, 0.90 - HamApproved) / 0.10;

    /// <summary>
    /// The thresholds for new sites, chosen on the worst of several held-out sources, with the worker's rules that read the
    /// thread and the author's history replayed as a new site has them (<see cref="SiteRulesReplay"/>): of the pairs on a
    /// fine grid that meet the goals on every source, the one that publishes most of the worst source's readers (then holds
    /// fewest); when none does, the pair closest to the goals on its worst source.
    /// </summary>
    public static ThresholdChoice Choose(IReadOnlyDictionary<string, IReadOnlyList<OutOfSample>> perSource)
    {
        var replays = perSource.ToDictionary(kv => kv.Key, kv => new SiteRulesReplay(kv.Value));
        var candidates =
            from a in Enumerable.Range(1, 14).Select(i => Math.Round(0.05 * i, 2))
            from r in Enumerable.Range(50, 50).Select(i => Math.Round(0.01 * i, 2))
            where a < r
            let points = replays.ToDictionary(kv => kv.Key, kv => At(kv.Value.WithRules(a, r), a, r))
            select new ThresholdChoice(a, r, points.Values.All(p => p.MeetsGoals), points);
        return candidates
            .OrderByDescending(c => c.MeetsGoalsEverywhere)
            .ThenBy(c => c.PerSource.Values.Max(p => p.Shortfall))
            .ThenByDescending(c => c.PerSource.Values.Min(p => p.HamApproved))
            .ThenBy(c => c.PerSource.Values.Average(p => p.Held))
            .First();
    }
}

/// <summary>A pair of thresholds and what it does on each held-out source.</summary>
public sealed record ThresholdChoice(double ApproveBelow, double RejectAbove, bool MeetsGoalsEverywhere, IReadOnlyDictionary<string, OperatingPoint> PerSource);
