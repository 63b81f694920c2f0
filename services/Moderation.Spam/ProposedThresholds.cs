namespace Moderation.Spam;

/// <summary>
/// The thresholds proposed as site defaults, read off the operating-point table in
/// docs/evaluation (see docs/scoring.md): below <see cref="ApproveBelow"/> publish, at or above
/// <see cref="RejectAbove"/> file as spam, between them hold for a person.
/// </summary>
public static class ProposedThresholds
{
    public const double ApproveBelow = 0.02;
    public const double RejectAbove = 0.99;
}
