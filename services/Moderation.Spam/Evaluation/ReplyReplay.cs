using Moderation.Spam.Threads;

namespace Moderation.Spam.Evaluation;

/// <summary>
/// The scoring worker's rule for replies to comments nobody can see, replayed on labelled files: each file's threads in the
/// file's order, each comment decided by its score at the thresholds, then by the rule. Who addresses whom is read once;
/// any pair of thresholds is then replayed in one pass.
/// </summary>
public sealed class ReplyReplay
{
    private readonly IReadOnlyList<OutOfSample> _scored;
    private readonly int[]?[] _addressed;

    public ReplyReplay(IReadOnlyList<OutOfSample> scored)
    {
        _scored = scored;
        _addressed = new int[]?[scored.Count];
        var threads = new Dictionary<(string Source, string Thread), List<int>>();
        for (var i = 0; i < scored.Count; i++)
        {
            var comment = scored[i].Comment;
            if (comment.Thread is null) continue;
            if (!threads.TryGetValue((comment.Source, comment.Thread), out var earlier)) threads[(comment.Source, comment.Thread)] = earlier = [];
            if (ReplyMention.In(comment.Input.Body) is { } mention
                && mention.Addressees(earlier, e => scored[e].Comment.Input.AuthorName ?? "") is { Count: > 0 } addressed)
                _addressed[i] = [.. addressed];
            earlier.Add(i);
        }
    }

    /// <summary>
    /// Whether the rule holds each comment: one the thresholds would publish that opens by addressing (<see cref="ReplyMention"/>)
    /// authors of earlier comments in its thread, none of which a reader could have seen. A comment can be seen once
    /// published, or once held if it is a reader's (its moderator approves it before anyone can reply); held spam and spam
    /// never can.
    /// </summary>
    public bool[] HeldByRule(double approveBelow, double rejectAbove)
    {
        var held = new bool[_scored.Count];
        var seen = new bool[_scored.Count];
        for (var i = 0; i < _scored.Count; i++)
        {
            var (comment, p) = (_scored[i].Comment, _scored[i].Probability);
            var published = p < approveBelow;
            if (published && approveBelow < rejectAbove && _addressed[i] is { } addressed && !addressed.Any(e => seen[e]))
            {
                held[i] = true;
                published = false;
            }
            seen[i] = published || (p < rejectAbove && !comment.IsSpam);
        }
        return held;
    }

    /// <summary>The scores as the rule leaves them: a comment it holds scores the approve threshold, the lowest a held one can.</summary>
    public List<ScoredExample> WithRule(double approveBelow, double rejectAbove) => WithRule(HeldByRule(approveBelow, rejectAbove), approveBelow);

    /// <inheritdoc cref="WithRule(double, double)"/>
    public List<ScoredExample> WithRule(bool[] held, double approveBelow) =>
        [.. _scored.Select((o, i) => held[i] ? new ScoredExample(o.Comment.IsSpam, approveBelow) : o.Example)];
}
