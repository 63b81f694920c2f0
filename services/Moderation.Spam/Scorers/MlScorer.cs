using Moderation.Contracts;
using Moderation.Data.Sites;

namespace Moderation.Spam;

/// <summary>
/// The spam model behind <see cref="ICommentScorer"/>: the model's probability, version and reason, and no
/// rule verdict; combining it with the site's rules is the decision's job.
/// </summary>
public sealed class MlScorer(SpamModel model) : ICommentScorer
{
    public SpamModel Model => model;

    public ValueTask<ScoreResult> ScoreAsync(CommentSubmitted submission, Site site, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Score(submission));

    // No ScoreBatchAsync of its own: the worker's batches (up to 50) are scored one by one (the compiled model, or
    // ML.NET's pooled prediction engines), because each ML.NET ScoreBatch call builds its data view and row accessors
    // anew (emitted code, finalized later), which cost the worker more CPU per comment than the engines
    // (docs/scoring.md, "Throughput" and "Serving").

    public ScoreResult Score(CommentSubmitted submission) => ToResult(model.Score(ToInput(submission)));

    /// <summary>Scores many at once through one pipeline pass (re-scoring a backlog, evaluation).</summary>
    public IReadOnlyList<ScoreResult> ScoreBatch(IReadOnlyList<CommentSubmitted> submissions) =>
        [.. model.ScoreBatch([.. submissions.Select(ToInput)]).Select(ToResult)];

    public static SpamModelInput ToInput(CommentSubmitted s) =>
        new(s.Body, s.AuthorName, s.AuthorUrl, s.AuthorEmail, s.ElapsedMs);

    private static ScoreResult ToResult(SpamScore score) =>
        new(score.Probability, score.ModelVersion, RuleVerdict.None, [score.Reason]);
}
