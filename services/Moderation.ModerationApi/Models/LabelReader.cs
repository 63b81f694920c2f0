using Microsoft.EntityFrameworkCore;
using Moderation.Data;
using Moderation.Data.Reviews;
using Moderation.Scoring.Model;
using Moderation.Scoring.Model.Evaluation;

namespace Moderation.ModerationApi.Models;

/// <summary>The moderators' labels as training data, oldest first, and the split every retrain and evaluation uses.</summary>
public static class LabelReader
{
    public const string SourceName = "labels";

    /// <summary>Every label joined to its comment's text, oldest label first, repeated texts kept once.</summary>
    public static async Task<IReadOnlyList<LabelledComment>> ReadAsync(ModerationDb db, CancellationToken ct)
    {
        var rows = await (
                from label in db.Labels.AsNoTracking()
                join comment in db.Comments.AsNoTracking() on label.CommentId equals comment.Id
                orderby label.CreatedAt, label.CommentId
                select new { comment.Body, comment.AuthorName, comment.AuthorUrl, comment.AuthorEmail, comment.ElapsedMs, label.Kind })
            .ToListAsync(ct);
        return LabelledData.Deduplicate(rows.Select(r => new LabelledComment(
            new SpamModelInput(r.Body, r.AuthorName, r.AuthorUrl, r.AuthorEmail, r.ElapsedMs), r.Kind == LabelKind.Spam, SourceName)));
    }

    /// <summary>
    /// The newest <paramref name="holdOutShare"/> of the labels are held out. A model retrained here never saw them, nor any
    /// label newer than its training, so evaluating any version on today's held-out share is fair to it.
    /// </summary>
    public static (IReadOnlyList<LabelledComment> Training, IReadOnlyList<LabelledComment> HeldOut) Split(
        IReadOnlyList<LabelledComment> labels, double holdOutShare)
    {
        var held = (int)Math.Round(labels.Count * holdOutShare);
        return ([.. labels.Take(labels.Count - held)], [.. labels.Skip(labels.Count - held)]);
    }
}
