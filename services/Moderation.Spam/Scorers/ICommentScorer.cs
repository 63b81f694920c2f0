using Moderation.Contracts;
using Moderation.Data.Sites;

namespace Moderation.Spam;

/// <summary>What the rules say regardless of the score, weakest first: a stronger verdict wins.</summary>
public enum RuleVerdict
{
    None,
    /// <summary>A known good author: approve unless the score says spam.</summary>
    Trusted,
    /// <summary>A person must look (held word, too many links, premoderation, …).</summary>
    Hold,
    /// <summary>Certainly spam (block word, honeypot, banned, …).</summary>
    Spam,
}

/// <summary>A spam probability in [0, 1], who produced it, and reasons a moderator can read.</summary>
public sealed record ScoreResult(double Score, string ModelVersion, RuleVerdict Verdict, IReadOnlyList<string> Reasons);

/// <summary>
/// The model side of scoring: a spam probability for one submission, with reasons. Implementations are
/// singletons and thread-safe; the rules (the scoring worker's rule engine) are applied beside them.
/// </summary>
public interface ICommentScorer
{
    ValueTask<ScoreResult> ScoreAsync(CommentSubmitted submission, Site site, CancellationToken cancellationToken);

    /// <summary>Scores many at once (a model does it in one pass); the results are in the order of the inputs.</summary>
    async ValueTask<IReadOnlyList<ScoreResult>> ScoreBatchAsync(IReadOnlyList<(CommentSubmitted Submission, Site Site)> batch, CancellationToken cancellationToken)
    {
        var results = new List<ScoreResult>(batch.Count);
        foreach (var (submission, site) in batch) results.Add(await ScoreAsync(submission, site, cancellationToken));
        return results;
    }
}
