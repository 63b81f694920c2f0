using Moderation.Spam.Threads;

namespace Moderation.Spam.Evaluation;

/// <summary>What a site rule that reads the thread or the author's history did to a comment the thresholds decided.</summary>
public enum SiteRuleEffect
{
    None,

    /// <summary>Held by the rule for replies to comments nobody can see (<see cref="ReplyMention"/>), where it would have been published.</summary>
    HeldAsReplyToUnseen,

    /// <summary>Published because its address has an approved comment earlier in the file, where the thresholds would have held it.</summary>
    PublishedAsReturningAuthor,
}

/// <summary>
/// The scoring worker's rules that depend on what came before, replayed on labelled files, each file in its order and each
/// comment first decided by its score at the thresholds:
/// <list type="bullet">
/// <item>replies to comments nobody can see are held, where the files name their threads;</item>
/// <item>an address with an approved comment earlier in its file is published below the spam threshold (a site's
/// <c>TrustApprovedAuthors</c>, on for new sites), where the files give e-mails. Only comments published without a person
/// count as approved: the replay assumes no moderator.</item>
/// </list>
/// Who addresses whom and who wrote before is read once; any pair of thresholds is then replayed in one pass.
/// </summary>
public sealed class SiteRulesReplay
{
    private readonly IReadOnlyList<OutOfSample> _scored;
    private readonly int[]?[] _addressed;
    private readonly int[] _address;

    public SiteRulesReplay(IReadOnlyList<OutOfSample> scored)
    {
        _scored = scored;
        _addressed = new int[]?[scored.Count];
        _address = new int[scored.Count];
        var threads = new Dictionary<(string Source, string Thread), List<int>>();
        var addresses = new Dictionary<(string Source, string Email), int>();
        for (var i = 0; i < scored.Count; i++)
        {
            var comment = scored[i].Comment;
            // The same address as the worker reads it: trimmed, in lower case (Moderation.Data's CommentMapping.HashEmail).
            _address[i] = comment.Input.AuthorEmail is { } email && !string.IsNullOrWhiteSpace(email)
                ? AddressNumber(addresses, (comment.Source, email.Trim().ToLowerInvariant()))
                : -1;
            if (comment.Thread is null) continue;
            if (!threads.TryGetValue((comment.Source, comment.Thread), out var earlier)) threads[(comment.Source, comment.Thread)] = earlier = [];
            if (ReplyMention.In(comment.Input.Body) is { } mention
                && mention.Addressees(earlier, e => scored[e].Comment.Input.AuthorName ?? "") is { Count: > 0 } addressed)
                _addressed[i] = [.. addressed];
            earlier.Add(i);
        }
    }

    private static int AddressNumber(Dictionary<(string Source, string Email), int> addresses, (string Source, string Email) key) =>
        addresses.TryGetValue(key, out var n) ? n : addresses[key] = addresses.Count;

    /// <summary>
    /// What the rules did to each comment. A reply is held when it would be published and addresses
    /// (<see cref="ReplyMention"/>) authors of earlier comments in its thread, none of which a reader could have seen: a
    /// comment can be seen once published, or once held if it is a reader's (its moderator approves it before anyone can
    /// reply); held spam and spam never can. The hold wins over an address's trust, as in the worker.
    /// </summary>
    public SiteRuleEffect[] Effects(double approveBelow, double rejectAbove)
    {
        var effects = new SiteRuleEffect[_scored.Count];
        var seen = new bool[_scored.Count];
        var approved = new HashSet<int>();
        for (var i = 0; i < _scored.Count; i++)
        {
            var (comment, p) = (_scored[i].Comment, _scored[i].Probability);
            var byScore = p < approveBelow;
            var trusted = !byScore && p < rejectAbove && _address[i] >= 0 && approved.Contains(_address[i]);
            var published = byScore || trusted;
            if (published && approveBelow < rejectAbove && _addressed[i] is { } addressed && !addressed.Any(e => seen[e]))
            {
                effects[i] = SiteRuleEffect.HeldAsReplyToUnseen;
                published = false;
            }
            else if (trusted) effects[i] = SiteRuleEffect.PublishedAsReturningAuthor;
            if (published && _address[i] >= 0) approved.Add(_address[i]);
            seen[i] = published || (p < rejectAbove && !comment.IsSpam);
        }
        return effects;
    }

    /// <summary>
    /// The scores as the rules leave them: a comment held by a rule scores the approve threshold, the lowest a held one can;
    /// one published by a rule scores 0.
    /// </summary>
    public List<ScoredExample> WithRules(double approveBelow, double rejectAbove) => WithRules(Effects(approveBelow, rejectAbove), approveBelow);

    /// <inheritdoc cref="WithRules(double, double)"/>
    public List<ScoredExample> WithRules(SiteRuleEffect[] effects, double approveBelow) =>
        [.. _scored.Select((o, i) => effects[i] switch
        {
            SiteRuleEffect.HeldAsReplyToUnseen => new ScoredExample(o.Comment.IsSpam, approveBelow),
            SiteRuleEffect.PublishedAsReturningAuthor => new ScoredExample(o.Comment.IsSpam, 0),
            _ => o.Example,
        })];
}
