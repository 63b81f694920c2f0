using Microsoft.Extensions.DependencyInjection;
using Moderation.Data;
using Moderation.Data.Comments;
using Moderation.Data.Reviews;

namespace Moderation.FunctionalTests.Infrastructure;

/// <summary>Scored (and optionally labelled) comments stored straight into a host's database, for the admin API's figures.</summary>
public static class LabelledComments
{
    public sealed record Seed(double Score, LabelKind? Label = null, CommentStatus Status = CommentStatus.Held, string? Email = null);

    public static Comment Scored(string siteId, double score, int n, CommentStatus status = CommentStatus.Held, string? email = null,
        DateTime? submittedAt = null, bool spamText = false)
    {
        var address = email ?? $"reader{n}@example.org";
        var at = submittedAt ?? DateTime.UtcNow.AddHours(-1);
        return new Comment
        {
            Id = Guid.CreateVersion7(),
            SiteId = siteId,
            ThreadId = "admin/figures",
            AuthorName = spamText ? $"Cheap Deals {n}" : $"Reader {n}",
            AuthorEmail = address,
            EmailHash = CommentMapping.HashEmail(address),
            AuthorUrl = spamText ? $"http://deals{n}.example" : null,
            Body = spamText ? SpamText(n) : HamText(n),
            ClientIp = $"198.51.100.{n % 250}",
            UserAgent = "Test/1.0",
            SubmittedAt = at,
            ScoredAt = at,
            PublishedAt = status == CommentStatus.Approved ? at : null,
            Status = status,
            SpamScore = score,
            ModelVersion = "test",
        };
    }

    public static string SpamText(int n) =>
        $"Buy cheap replica watches {n} at http://deals{n}.example/offer now!!! Limited offer, free shipping, casino bonus code {n}, click http://deals{n}.example/win";

    public static string HamText(int n) =>
        $"I went to the council meeting number {n} last night and the plan for the river path seems sensible to me, though parking near the school is still a worry.";

    /// <summary>Stores <paramref name="comments"/> and, for each given kind, a label on the comment at the same index.</summary>
    public static async Task StoreAsync(IServiceProvider services, IReadOnlyList<Comment> comments, IReadOnlyList<LabelKind?>? labels = null)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ModerationDb>();
        db.Comments.AddRange(comments);
        await db.SaveChangesAsync();
        if (labels is null) return;
        var at = DateTime.UtcNow.AddMinutes(-comments.Count);
        for (var i = 0; i < comments.Count; i++)
            if (labels[i] is { } kind)
                db.Labels.Add(new Label { CommentId = comments[i].Id, Kind = kind, By = "tests", CreatedAt = at.AddSeconds(i) });
        await db.SaveChangesAsync();
    }

    /// <summary><paramref name="count"/> labelled comments, spam and ham alternating, with texts a model can tell apart.</summary>
    public static async Task StoreTrainingSetAsync(IServiceProvider services, string siteId, int count)
    {
        var comments = new List<Comment>();
        var labels = new List<LabelKind?>();
        for (var i = 0; i < count; i++)
        {
            var spam = i % 2 == 0;
            comments.Add(Scored(siteId, spam ? 0.8 : 0.2, i, spam ? CommentStatus.Spam : CommentStatus.Approved, spamText: spam));
            labels.Add(spam ? LabelKind.Spam : LabelKind.Ham);
        }
        await StoreAsync(services, comments, labels);
    }
}
