using Moderation.Spam.Threads;

namespace Moderation.Spam.Evaluation;

/// <summary>
/// The scoring worker's rule for replies to comments nobody can see, replayed on labelled files: each file's threads in the
/// file's order, each comment decided by its score at the thresholds, then by the rule.
/// </summary>
public static class ReplyReplay
{
    /// <summary>
    /// Whether the rule holds each comment: one the thresholds would publish that opens by addressing (<see cref="ReplyMention"/>)
    /// authors of earlier comments in its thread, none of which a reader could have seen. A comment can be seen once
    /// published, or once held if it is a reader's (its moderator approves it before anyone can reply); held spam and spam
    /// never can.
    /// </summary>
    public static bool[] HeldByRule(IReadOnlyList<OutOfSample> scored, double approveBelow, double rejectAbove)
    {
        var held = new bool[scored.Count];
        var threads = new Dictionary<(string Source, string Thread), List<(string Author, bool Visible)>>();
        for (var i = 0; i < scored.Count; i++)
        {
            var (comment, p) = (scored[i].Comment, scored[i].Probability);
            if (comment.Thread is null) continue;
            var published = p < approveBelow;
            if (!threads.TryGetValue((comment.Source, comment.Thread), out var earlier)) threads[(comment.Source, comment.Thread)] = earlier = [];
            if (published && approveBelow < rejectAbove && ReplyMention.In(comment.Input.Body) is { } mention
                && mention.Addressees(earlier, e => e.Author) is { Count: > 0 } addressed && !addressed.Any(e => e.Visible))
            {
                held[i] = true;
                published = false;
            }
            var heldBack = !published && p < rejectAbove;
            earlier.Add((comment.Input.AuthorName ?? "", published || (heldBack && !comment.IsSpam)));
        }
        return held;
    }

    /// <summary>The scores as the rule leaves them: a comment it holds scores the approve threshold, the lowest a held one can.</summary>
    public static List<ScoredExample> WithRule(IReadOnlyList<OutOfSample> scored, bool[] held, double approveBelow) =>
        [.. scored.Select((o, i) => held[i] ? new ScoredExample(o.Comment.IsSpam, approveBelow) : o.Example)];
}
