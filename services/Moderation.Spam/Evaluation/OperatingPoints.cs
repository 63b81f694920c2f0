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

    /// <summary>Whether this point meets the project's goals: ≤ 1 % spam published, ≤ 0.5 % ham to spam, ≥ 75 % ham published.</summary>
    public bool MeetsGoals => SpamLeaked <= 0.01 && HamToSpam <= 0.005 && HamApproved >= 0.75;
}
