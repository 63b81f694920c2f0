using Moderation.Contracts;
using Moderation.Data.Sites;

namespace Moderation.Scoring.Scoring;

/// <summary>What the rules say regardless of the score.</summary>
public enum RuleVerdict
{
    None,
    /// <summary>A person must look (held word, too many links, premoderation, …).</summary>
    Hold,
    /// <summary>Certainly spam (block word, honeypot, banned, …).</summary>
    Spam,
    /// <summary>A known good author: approve unless the score says spam.</summary>
    Trusted,
}

/// <summary>A spam probability in [0, 1], who produced it, and reasons a moderator can read.</summary>
public sealed record ScoreResult(double Score, string ModelVersion, RuleVerdict Verdict, IReadOnlyList<string> Reasons);

/// <summary>Scores one submission for one site. Implementations are singletons and thread-safe.</summary>
public interface ICommentScorer
{
    ValueTask<ScoreResult> ScoreAsync(CommentSubmitted submission, Site site, CancellationToken cancellationToken);
}
